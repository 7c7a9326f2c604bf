//! GGD regions and municipalities. The rows themselves are reference data loaded by the application
//! from `fixtures/` (idempotently, on every start), so a new CBS year is a fixture change, not a
//! migration.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("regions")
                    .col(string_len("code", 6).primary_key())
                    .col(string("name"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("municipalities")
                    .col(string_len("code", 6).primary_key())
                    .col(string("name"))
                    .col(string("province"))
                    // The CBS (statistical) GGD region.
                    .col(string_len("cbs_region_code", 6))
                    // The region whose GGD the municipality appointed as supervisor, when it differs
                    // from the CBS region (set by an admin).
                    .col(string_len_null("supervising_region_code", 6))
                    .foreign_key(
                        ForeignKey::create()
                            .from("municipalities", "cbs_region_code")
                            .to("regions", "code"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("municipalities", "supervising_region_code")
                            .to("regions", "code"),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("municipalities").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("regions").to_owned())
            .await
    }
}
