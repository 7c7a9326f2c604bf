use sea_orm::entity::prelude::*;

/// Points and assessed criteria of completed visits per region, Dutch calendar month (`YYYY-MM`)
/// of `starts_at` and theme, kept by triggers on `visit_theme_scores` (migration 000019).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "theme_months")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub region_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub theme_code: String,
    pub points: i32,
    pub assessed: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
