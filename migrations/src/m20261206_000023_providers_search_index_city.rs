//! The register's search index (migration 000017: region, lower(name), id, name, city) with
//! lower(city) as its last column. On PostgreSQL the search filters on `lower(name) LIKE …` and
//! `lower(city) LIKE …` over every provider of the region (to count the matches): PostgreSQL
//! took lower(name) from the index but computed lower(city) for each entry, a conversion to wide
//! characters and back in a UTF-8 database, about a twelfth of its processor time under the
//! national benchmark's search. With lower(city) stored beside it the search statement made
//! 9% ("zorg", 492 of Twente's 856 providers match) to 25% ("enschede", 65 match) more requests a
//! second in `pgbench` on the national data set. The plain `city` stays in the index: PostgreSQL
//! reads an index alone only when it holds every column the query names, including the ones
//! inside an expression. SQLite searches with `LIKE` alone (`providers::queries::search_like`),
//! so there the new column is not read; the index is the same on both databases all the same, as
//! every other index is, and costs a few bytes per provider.
//!
//! As in 000022 the new index has a name of its own and is created before the old one goes
//! (repeatable after a first attempt that stopped halfway; no pooled SQLite connection with an
//! older schema cached can refuse the name).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const OLD: (&str, &str) = (
    "providers_region_lower_name_idx",
    "(region_code, (LOWER(name)), id, name, city)",
);
const NEW: (&str, &str) = (
    "providers_region_search_idx",
    "(region_code, (LOWER(name)), id, name, city, (LOWER(city)))",
);

/// Creates `create` (if not there yet), then drops `drop` (if still there). Plain SQL: indexes
/// on expressions, and the same text works on SQLite and PostgreSQL.
async fn replace(
    manager: &SchemaManager<'_>,
    (name, columns): (&str, &str),
    drop: &str,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    db.execute_unprepared(&format!(
        "CREATE INDEX IF NOT EXISTS {name} ON providers {columns}"
    ))
    .await?;
    db.execute_unprepared(&format!("DROP INDEX IF EXISTS {drop}"))
        .await?;
    // Statistics for the new index's expressions, as migration 000017 gathers for its indexes.
    db.execute_unprepared("ANALYZE providers").await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace(manager, NEW, OLD.0).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace(manager, OLD, NEW.0).await
    }
}
