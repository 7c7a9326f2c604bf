//! The inspector's findings per theme of the framework, written in the concept report beside the
//! ratings: a JSON object `{"A": "…", "B": "…"}` (empty object when none).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("reports")
                    .add_column(text("theme_findings").default("{}"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("reports")
                    .drop_column("theme_findings")
                    .to_owned(),
            )
            .await
    }
}
