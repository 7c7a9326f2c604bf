//! The stale-score index of migration 000021 with the provider's id as its last column, so that
//! "which of the region's kept scores may not be used" is answered from the index alone.
//! Without it PostgreSQL's plan for the dashboard (a generic plan, `db::begin_read`) preferred
//! the ranking's index, which holds the id, and read all of a region's scores there (231 pages
//! in a large region once the background task had rewritten them a few times) three times per
//! request to find, nearly always, none; on this index each of the three ranges is one page.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "provider_risks_stale_idx";
const TABLE: &str = "provider_risks";

fn stale_index(with_id: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(NAME)
        .table(Alias::new(TABLE))
        .col(Alias::new("region_code"))
        .col(Alias::new("active"))
        .col(Alias::new("weights"))
        .col(Alias::new("valid_until"));
    if with_id {
        index.col(Alias::new("provider_id"));
    }
    index.to_owned()
}

/// Drops the index (if there: SQLite does not undo a migration's earlier statements when a later
/// one fails, so a first attempt that stopped halfway can be repeated) and creates it anew.
async fn replace(manager: &SchemaManager<'_>, with_id: bool) -> Result<(), DbErr> {
    manager
        .drop_index(
            Index::drop()
                .name(NAME)
                .table(Alias::new(TABLE))
                .if_exists()
                .to_owned(),
        )
        .await?;
    manager.create_index(stale_index(with_id)).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace(manager, false).await
    }
}
