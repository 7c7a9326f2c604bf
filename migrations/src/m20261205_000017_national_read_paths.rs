//! Read paths of the national benchmark (issue 8), each from a profile of the page that used it:
//! - the signal list's queue: the index on (region, status, triage date, provider) also carries
//!   priority, received_at and id, so a page of open signals is chosen and sorted from the index
//!   alone and only the 50 rows shown are read (`signals::queries::list`);
//! - the dashboard's signals per category: one range of (region, category, received_at) per
//!   category instead of grouping the region's signals of the year;
//! - the provider register's search and order: (region, lower(name), id, name, city), so the
//!   name and city filter, the count and the order by name read the index, not the provider rows
//!   (PostgreSQL reads an index alone only when it holds the name itself too);
//! - the dashboard's scores per theme: one range of (region, theme, starts_at) per theme code;
//! - `providers.last_visit_at` (the start of the provider's last completed visit, written with
//!   `provider_last_visits` by `visits::summaries`) with an index on (region, active,
//!   last_visit_at): "never visited" and "last visit too long ago" are two index ranges instead
//!   of a probe per provider;
//! - the retention job: a partial index of the closed signals whose reporter's contact details are
//!   still kept, so the daily job no longer reads all signals (a few seconds at start).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const QUEUE_OLD: &str = "signals_region_status_due_provider_idx";
const QUEUE_OLD_COLUMNS: &[&str] = &["region_code", "status", "triage_due", "provider_id"];

/// `(name, table, definition)`: plain SQL, because two are on an expression or partial, and the
/// same text works on SQLite and PostgreSQL.
const CREATE: &[(&str, &str, &str)] = &[
    (
        "signals_region_status_queue_idx",
        "signals",
        "(region_code, status, triage_due, provider_id, priority, received_at, id)",
    ),
    (
        "signals_region_category_received_idx",
        "signals",
        "(region_code, category, received_at)",
    ),
    (
        "signals_contact_kept_idx",
        "signals",
        "(closed_at) WHERE contact_erased_at IS NULL \
         AND (contact_name IS NOT NULL OR contact_email IS NOT NULL)",
    ),
    (
        "providers_region_lower_name_idx",
        "providers",
        "(region_code, (LOWER(name)), id, name, city)",
    ),
    (
        "visit_theme_scores_region_theme_idx",
        "visit_theme_scores",
        "(region_code, theme_code, starts_at, points, assessed)",
    ),
    (
        "providers_region_active_last_visit_idx",
        "providers",
        "(region_code, active, last_visit_at)",
    ),
];

/// Every provider's `last_visit_at` from `provider_last_visits` (also `visits::summaries::rebuild`).
pub const PROVIDERS_LAST_VISIT: &str = "UPDATE providers SET last_visit_at = \
     (SELECT starts_at FROM provider_last_visits WHERE provider_id = providers.id)";

/// Replaced by the lower-case name index (same prefix, and no query orders by the name as is).
const NAME_OLD: &str = "providers_region_name_idx";
/// Replaced by the index per theme (the scores were its only reader).
const THEMES_OLD: &str = "visit_theme_scores_region_starts_idx";
const THEMES_OLD_COLUMNS: &[&str] = &[
    "region_code",
    "starts_at",
    "theme_code",
    "points",
    "assessed",
];

fn plain_index(name: &str, table: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(Alias::new(table));
    for column in columns {
        index.col(Alias::new(*column));
    }
    index.to_owned()
}

fn drop_index(name: &str, table: &str) -> IndexDropStatement {
    Index::drop().name(name).table(Alias::new(table)).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("providers")
                    .add_column(timestamp_with_time_zone_null("last_visit_at"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(PROVIDERS_LAST_VISIT).await?;
        for (name, table, definition) in CREATE {
            db.execute_unprepared(&format!("CREATE INDEX {name} ON {table} {definition}"))
                .await?;
        }
        manager.drop_index(drop_index(QUEUE_OLD, "signals")).await?;
        manager
            .drop_index(drop_index(NAME_OLD, "providers"))
            .await?;
        manager
            .drop_index(drop_index(THEMES_OLD, "visit_theme_scores"))
            .await?;
        for table in ["signals", "providers", "visit_theme_scores"] {
            db.execute_unprepared(&format!("ANALYZE {table}")).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(plain_index(
                THEMES_OLD,
                "visit_theme_scores",
                THEMES_OLD_COLUMNS,
            ))
            .await?;
        manager
            .create_index(plain_index(NAME_OLD, "providers", &["region_code", "name"]))
            .await?;
        manager
            .create_index(plain_index(QUEUE_OLD, "signals", QUEUE_OLD_COLUMNS))
            .await?;
        for (name, table, _) in CREATE {
            manager.drop_index(drop_index(name, table)).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("providers")
                    .drop_column("last_visit_at")
                    .to_owned(),
            )
            .await
    }
}
