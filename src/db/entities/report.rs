use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub visit_id: Uuid,
    pub provider_id: Uuid,
    pub region_code: String,
    pub framework_version_id: Uuid,
    pub status: String,
    pub summary: String,
    pub advice: String,
    /// The inspector's findings per theme, a JSON object `{"A": "…"}`.
    pub theme_findings: String,
    pub sent_at: Option<DateTimeUtc>,
    pub response_due: Option<Date>,
    pub response_text: Option<String>,
    pub response_received_at: Option<DateTimeUtc>,
    pub finalized_at: Option<DateTimeUtc>,
    /// When the reminder of the response deadline was queued (`reports::reminders`).
    pub reminder_sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
