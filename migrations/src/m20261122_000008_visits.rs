//! Visits with their inspectors, linked signals and ratings, and the reports that completing a
//! visit creates (with their improvement points). A visit records the framework version it is
//! scored against, so a later version never changes its scores.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("visits")
                    .col(pk_uuid("id"))
                    .col(uuid("provider_id"))
                    .col(string_len("region_code", 6))
                    .col(uuid("framework_version_id"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(timestamp_with_time_zone("ends_at"))
                    .col(boolean("announced"))
                    .col(string_len("reason", 16))
                    .col(string_len("status", 16))
                    .col(uuid_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("visits", "provider_id")
                            .to("providers", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("visits", "region_code")
                            .to("regions", "code"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("visits", "framework_version_id")
                            .to("framework_versions", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("visits", "created_by")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("visits_region_starts_idx", ["region_code", "starts_at"]),
            ("visits_provider_starts_idx", ["provider_id", "starts_at"]),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("visits")
                        .col(cols[0])
                        .col(cols[1])
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("visit_inspectors")
                    .col(uuid("visit_id"))
                    .col(uuid("inspector_id"))
                    .primary_key(Index::create().col("visit_id").col("inspector_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("visit_inspectors", "visit_id")
                            .to("visits", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("visit_inspectors", "inspector_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("visit_inspectors_inspector_idx")
                    .table("visit_inspectors")
                    .col("inspector_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("visit_signals")
                    .col(uuid("visit_id"))
                    .col(uuid("signal_id"))
                    .primary_key(Index::create().col("visit_id").col("signal_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("visit_signals", "visit_id")
                            .to("visits", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("visit_signals", "signal_id")
                            .to("signals", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("visit_ratings")
                    .col(uuid("visit_id"))
                    .col(string_len("criterion_code", 8))
                    .col(string_len("rating", 16))
                    .col(text_null("finding"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .primary_key(Index::create().col("visit_id").col("criterion_code"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("visit_ratings", "visit_id")
                            .to("visits", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("reports")
                    .col(pk_uuid("id"))
                    .col(uuid("visit_id").unique_key())
                    .col(uuid("provider_id"))
                    .col(string_len("region_code", 6))
                    .col(uuid("framework_version_id"))
                    .col(string_len("status", 24))
                    .col(text("summary"))
                    .col(text("advice"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(date_null("response_due"))
                    .col(text_null("response_text"))
                    .col(timestamp_with_time_zone_null("response_received_at"))
                    .col(timestamp_with_time_zone_null("finalized_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("reports", "visit_id")
                            .to("visits", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("reports", "provider_id")
                            .to("providers", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("reports", "region_code")
                            .to("regions", "code"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("reports", "framework_version_id")
                            .to("framework_versions", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("reports_region_status_idx")
                    .table("reports")
                    .col("region_code")
                    .col("status")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("improvement_points")
                    .col(pk_uuid("id"))
                    .col(uuid("report_id"))
                    .col(string_len("criterion_code", 8))
                    .col(text("description"))
                    .col(date("due_date"))
                    .col(string_len("status", 16))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("resolved_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("improvement_points", "report_id")
                            .to("reports", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("improvement_points_report_idx")
                    .table("improvement_points")
                    .col("report_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "improvement_points",
            "reports",
            "visit_ratings",
            "visit_signals",
            "visit_inspectors",
            "visits",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
