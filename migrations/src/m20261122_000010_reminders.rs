//! Reminders to providers: when the reminder of a report's response deadline went out, and when
//! the "due soon" message of an improvement point did. Null means "not yet"; the reminder job
//! claims a row by setting it only while it is still null, so two app instances never both send.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER TABLE: SQLite accepts only one change per statement.
        manager
            .alter_table(
                Table::alter()
                    .table("reports")
                    .add_column(timestamp_with_time_zone_null("reminder_sent_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("improvement_points")
                    .add_column(timestamp_with_time_zone_null("due_reminder_sent_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("improvement_points")
                    .drop_column("due_reminder_sent_at")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("reports")
                    .drop_column("reminder_sent_at")
                    .to_owned(),
            )
            .await
    }
}
