//! A provider can report an improvement point as done, with a short explanation; the inspector
//! confirms it (the point becomes `opgelost`) or sends it back with a note.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds a single column.
        for column in [
            text_null("provider_note"),
            timestamp_with_time_zone_null("provider_done_at"),
            text_null("inspector_note"),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table("improvement_points")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["provider_note", "provider_done_at", "inspector_note"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("improvement_points")
                        .drop_column(name)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
