use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "provider_risks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub provider_id: Uuid,
    pub region_code: String,
    pub active: bool,
    pub name: String,
    pub score: i32,
    /// The factors as JSON (`risk::Factor`s).
    pub factors: String,
    pub valid_until: DateTimeUtc,
    pub weights: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
