use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub reference: String,
    pub tracking_token_hash: String,
    pub status: String,
    pub priority: String,
    pub category: String,
    pub description: String,
    pub occurred_on: Option<Date>,
    pub reporter_role: String,
    pub anonymous: bool,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub provider_id: Option<Uuid>,
    pub provider_name: Option<String>,
    pub municipality_code: Option<String>,
    pub region_code: String,
    pub assignee_id: Option<Uuid>,
    pub visit_id: Option<Uuid>,
    pub resolution: Option<String>,
    pub duplicate_of: Option<Uuid>,
    pub filed_by: Option<Uuid>,
    pub calamity: Option<String>,
    pub received_at: DateTimeUtc,
    pub triage_due: Date,
    pub closed_at: Option<DateTimeUtc>,
    pub contact_erased_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
