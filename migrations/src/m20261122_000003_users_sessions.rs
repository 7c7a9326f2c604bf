//! Users, database-backed sessions (shared by every app instance) and failed sign-in attempts for
//! throttling.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(pk_uuid("id"))
                    // Stored lower-cased, so the unique key is case-insensitive on both databases.
                    .col(string("email").unique_key())
                    .col(string("name"))
                    .col(string_len("role", 16))
                    .col(string_len_null("region_code", 6))
                    .col(uuid_null("provider_id"))
                    .col(string("password_hash"))
                    // Secret for the personal iCalendar feed URL.
                    .col(string("calendar_token").unique_key())
                    .col(boolean("active").default(true))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("users", "region_code")
                            .to("regions", "code"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("users", "provider_id")
                            .to("providers", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    // SHA-256 of the token: a leaked database does not hand out live sessions.
                    .col(string_len("token_hash", 64).primary_key())
                    .col(uuid("user_id"))
                    .col(string_len("kind", 8))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("sessions", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sessions_expires_at_idx")
                    .table("sessions")
                    .col("expires_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("login_failures")
                    .col(big_pk_auto("id"))
                    .col(string("email"))
                    .col(timestamp_with_time_zone("failed_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("login_failures_email_at_idx")
                    .table("login_failures")
                    .col("email")
                    .col("failed_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["login_failures", "sessions", "users"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
