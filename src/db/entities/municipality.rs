use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "municipalities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    pub province: String,
    pub cbs_region_code: String,
    pub supervising_region_code: Option<String>,
}

impl Model {
    /// The region whose GGD supervises this municipality: the admin's override, else CBS's.
    pub fn region_code(&self) -> &str {
        self.supervising_region_code
            .as_deref()
            .unwrap_or(&self.cbs_region_code)
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
