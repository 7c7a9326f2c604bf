//! The mail outbox: every email is first a row here, written in the transaction of the change that
//! causes it, and then delivered by a background worker with retries (API.md "Mail outbox").
//! `locked_until` is a lease: a worker that claims a row owns it until then, so several app
//! instances on one database never send one message twice, and a crashed worker's rows come free.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(pk_uuid("id"))
                    .col(string("to_address"))
                    .col(string_len("subject", 500))
                    .col(text("body_text"))
                    .col(text("body_html"))
                    // queued | sent | failed
                    .col(string_len("status", 16))
                    .col(integer("attempts").default(0))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .to_owned(),
            )
            .await?;
        // The worker's question: which queued messages are due?
        manager
            .create_index(
                Index::create()
                    .name("outbox_status_next_attempt_idx")
                    .table("outbox")
                    .col("status")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await?;
        // The admin's list: newest first.
        manager
            .create_index(
                Index::create()
                    .name("outbox_created_at_idx")
                    .table("outbox")
                    .col("created_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("outbox").to_owned())
            .await
    }
}
