//! Signals (meldingen): worries about a provider from the public, and providers' own calamity
//! reports, with their status history, a shared rate-limit log and per-year reference counters.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("reference_counters")
                    .col(string_len("name", 16).primary_key())
                    .col(big_integer("last_value"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("signals")
                    .col(pk_uuid("id"))
                    .col(string_len("reference", 16).unique_key())
                    // SHA-256 of the tracking token the reporter got once.
                    .col(string_len("tracking_token_hash", 64))
                    .col(string_len("status", 16))
                    .col(string_len("priority", 8))
                    .col(string_len("category", 24))
                    .col(text("description"))
                    .col(date_null("occurred_on"))
                    .col(string_len("reporter_role", 16))
                    .col(boolean("anonymous"))
                    .col(string_null("contact_name"))
                    .col(string_null("contact_email"))
                    .col(uuid_null("provider_id"))
                    .col(string_null("provider_name"))
                    .col(string_len_null("municipality_code", 6))
                    .col(string_len("region_code", 6))
                    .col(uuid_null("assignee_id"))
                    // Visits arrive later; the link is checked in code until then.
                    .col(uuid_null("visit_id"))
                    .col(text_null("resolution"))
                    // A signal about the same event as another: it moves with that one.
                    .col(uuid_null("duplicate_of"))
                    // The provider user who filed it (mandatory calamity report), if any.
                    .col(uuid_null("filed_by"))
                    // Calamity report details asked of providers (JSON), if any.
                    .col(text_null("calamity"))
                    .col(timestamp_with_time_zone("received_at"))
                    .col(date("triage_due"))
                    .col(timestamp_with_time_zone_null("closed_at"))
                    .col(timestamp_with_time_zone_null("contact_erased_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("signals", "provider_id")
                            .to("providers", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("signals", "municipality_code")
                            .to("municipalities", "code"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("signals", "region_code")
                            .to("regions", "code"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("signals", "assignee_id")
                            .to("users", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("signals", "duplicate_of")
                            .to("signals", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("signals", "filed_by")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "signals_region_status_idx",
                vec!["region_code", "status", "received_at"],
            ),
            ("signals_provider_idx", vec!["provider_id"]),
            ("signals_duplicate_of_idx", vec!["duplicate_of"]),
        ] {
            let mut index = Index::create();
            index.name(name).table("signals");
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("signal_events")
                    .col(pk_uuid("id"))
                    .col(uuid("signal_id"))
                    .col(string_len("status", 16))
                    .col(timestamp_with_time_zone("at"))
                    .col(uuid_null("actor_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("signal_events", "signal_id")
                            .to("signals", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("signal_events_signal_idx")
                    .table("signal_events")
                    .col("signal_id")
                    .col("at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("signal_submissions")
                    .col(big_pk_auto("id"))
                    .col(string_len("client_key", 64))
                    .col(timestamp_with_time_zone("at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("signal_submissions_client_at_idx")
                    .table("signal_submissions")
                    .col("client_key")
                    .col("at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "signal_submissions",
            "signal_events",
            "signals",
            "reference_counters",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
