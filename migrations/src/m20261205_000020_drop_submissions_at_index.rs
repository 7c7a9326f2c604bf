//! Drops the index on `signal_submissions (at)` (migration 000013). The rate limit reads an
//! address's attempts from `(client_key, at)`; with the other index there, PostgreSQL, whose
//! statistics of this table (about a minute of attempts) often describe it as nearly empty,
//! chose to read every attempt of the last minute by time and filter them by address: at 2,000
//! filings a second, each filing read tens of thousands of rows (national benchmark). The one
//! other reader, the purge of attempts older than a minute, runs once a minute and reads the
//! table whole instead.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "signal_submissions_at_idx";
const TABLE: &str = "signal_submissions";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Alias::new(TABLE)).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Alias::new(TABLE))
                    .col(Alias::new("at"))
                    .to_owned(),
            )
            .await
    }
}
