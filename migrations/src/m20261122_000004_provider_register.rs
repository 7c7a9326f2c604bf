//! The provider register: which municipalities contract a provider, and the audit log of changes
//! (who, when, what) that DOMAIN.md "Privacy" asks for.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("provider_contracts")
                    .col(uuid("provider_id"))
                    .col(string_len("municipality_code", 6))
                    .primary_key(Index::create().col("provider_id").col("municipality_code"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("provider_contracts", "provider_id")
                            .to("providers", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("provider_contracts", "municipality_code")
                            .to("municipalities", "code"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("provider_contracts_municipality_idx")
                    .table("provider_contracts")
                    .col("municipality_code")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(pk_uuid("id"))
                    .col(timestamp_with_time_zone("at"))
                    // Null when the change came from the command line or the system itself.
                    .col(uuid_null("actor_id"))
                    // The actor's name at the time, so the log stays readable if users change.
                    .col(string("actor_name"))
                    .col(string_len("action", 64))
                    .col(string_len("entity_type", 32))
                    .col(string_len("entity_id", 64))
                    // JSON: {"field": {"old": …, "new": …}}
                    .col(text("changes"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_log_entity_idx")
                    .table("audit_log")
                    .col("entity_type")
                    .col("entity_id")
                    .col("at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("providers_municipality_idx")
                    .table("providers")
                    .col("municipality_code")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("providers_municipality_idx")
                    .table("providers")
                    .to_owned(),
            )
            .await?;
        for table in ["audit_log", "provider_contracts"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
