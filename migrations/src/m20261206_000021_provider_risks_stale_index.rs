//! An index on `provider_risks (region_code, active, weights, valid_until)`: the dashboard asks
//! on every request which of the region's kept scores it may not use (kept with other weights,
//! or expired), nearly always none. The ranking's index (migration 000018) has the score before
//! the weights, so that question read all of a region's scores (800 in a large region); on this
//! index it is three short ranges (`risk::stored::stale_in_region`).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "provider_risks_stale_idx";
const TABLE: &str = "provider_risks";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Alias::new(TABLE))
                    .col(Alias::new("region_code"))
                    .col(Alias::new("active"))
                    .col(Alias::new("weights"))
                    .col(Alias::new("valid_until"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Alias::new(TABLE)).to_owned())
            .await
    }
}
