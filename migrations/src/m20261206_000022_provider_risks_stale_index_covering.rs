//! The stale-score index of migration 000021 with the provider's id as its last column, so that
//! "which of the region's kept scores may not be used" is answered from the index alone.
//! Without it PostgreSQL's plan for the dashboard (a generic plan, `db::begin_read`) preferred
//! the ranking's index, which holds the id, and read all of a region's scores there (231 pages
//! in a large region once the background task had rewritten them a few times) three times per
//! request to find, nearly always, none; on this index each of the three ranges is one page.
//!
//! The new index gets a name of its own and is created before the old one goes. Dropping and
//! creating one name failed now and then on SQLite ("index … already exists"): the migrator's
//! statements go to different pooled connections, and a connection whose cached schema still
//! held the dropped index refused the create while parsing it, before SQLite checks whether the
//! schema changed. A name that never existed cannot be refused so.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "provider_risks";
const OLD: &str = "provider_risks_stale_idx";
const NEW: &str = "provider_risks_stale_id_idx";

fn stale_index(name: &str, with_id: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(name)
        .table(Alias::new(TABLE))
        .col(Alias::new("region_code"))
        .col(Alias::new("active"))
        .col(Alias::new("weights"))
        .col(Alias::new("valid_until"))
        .if_not_exists();
    if with_id {
        index.col(Alias::new("provider_id"));
    }
    index.to_owned()
}

/// Creates `create` (if not there yet), then drops `drop` (if still there): repeatable after a
/// first attempt that stopped halfway, which SQLite does not undo.
async fn replace(
    manager: &SchemaManager<'_>,
    create: IndexCreateStatement,
    drop: &str,
) -> Result<(), DbErr> {
    manager.create_index(create).await?;
    manager
        .drop_index(
            Index::drop()
                .name(drop)
                .table(Alias::new(TABLE))
                .if_exists()
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace(manager, stale_index(NEW, true), OLD).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace(manager, stale_index(OLD, false), NEW).await
    }
}
