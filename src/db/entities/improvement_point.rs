use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "improvement_points")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub report_id: Uuid,
    pub criterion_code: String,
    pub description: String,
    pub due_date: Date,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub resolved_at: Option<DateTimeUtc>,
    /// The provider's explanation when it reports the point as done.
    pub provider_note: Option<String>,
    /// When the provider reported it done; cleared when the inspector sends it back.
    pub provider_done_at: Option<DateTimeUtc>,
    /// The inspector's answer when sending it back.
    pub inspector_note: Option<String>,
    /// When the provider was told the point is due soon (`reports::reminders`).
    pub due_reminder_sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
