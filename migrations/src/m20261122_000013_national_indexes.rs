//! Indexes for the national data set (issue 8), each chosen from the query plan of a dashboard,
//! list or risk query that scanned a table at national scale. Most are covering: every column the
//! query reads is in the index, so counting a region's records never visits the table rows.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (name, table, columns). Replaced indexes are dropped below: each is a prefix of a new one.
const CREATE: &[(&str, &str, &[&str])] = &[
    // Dashboard: received in the last 30 days / per month / per category, one region.
    (
        "signals_region_received_idx",
        "signals",
        &["region_code", "received_at", "category"],
    ),
    // Dashboard: still `ontvangen` after the triage date (replaces region+status).
    (
        "signals_region_status_due_idx",
        "signals",
        &["region_code", "status", "triage_due"],
    ),
    // Risk: a provider's signals of the last 12 months per category, duplicates left out
    // (replaces provider_id alone).
    (
        "signals_provider_received_idx",
        "signals",
        &["provider_id", "received_at", "category", "duplicate_of"],
    ),
    // Risk and dashboard: a provider's last completed visit; never or long ago visited
    // (replaces provider+starts_at).
    (
        "visits_provider_status_starts_idx",
        "visits",
        &["provider_id", "status", "starts_at"],
    ),
    // Dashboard: planned, completed and cancelled visits of a region, and the visits whose
    // ratings make the scores.
    (
        "visits_region_status_starts_idx",
        "visits",
        &["region_code", "status", "starts_at", "framework_version_id"],
    ),
    // Scores and risk: the ratings of a visit without reading the findings.
    (
        "visit_ratings_visit_rating_idx",
        "visit_ratings",
        &["visit_id", "criterion_code", "rating"],
    ),
    // Dashboard: reports finalised in the last year (replaces region+status).
    (
        "reports_region_status_final_idx",
        "reports",
        &["region_code", "status", "finalized_at", "response_due"],
    ),
    // The rate limit's purge of attempts older than the window.
    ("signal_submissions_at_idx", "signal_submissions", &["at"]),
];

const REPLACED: &[(&str, &str, &[&str])] = &[
    (
        "signals_region_status_idx",
        "signals",
        &["region_code", "status"],
    ),
    ("signals_provider_idx", "signals", &["provider_id"]),
    (
        "visits_provider_starts_idx",
        "visits",
        &["provider_id", "starts_at"],
    ),
    (
        "reports_region_status_idx",
        "reports",
        &["region_code", "status"],
    ),
];

fn create(name: &str, table: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(Alias::new(table));
    for column in columns {
        index.col(Alias::new(*column));
    }
    index.to_owned()
}

fn drop(name: &str, table: &str) -> IndexDropStatement {
    Index::drop().name(name).table(Alias::new(table)).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in CREATE {
            manager.create_index(create(name, table, columns)).await?;
        }

        for (name, table, _) in REPLACED {
            manager.drop_index(drop(name, table)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in REPLACED {
            manager.create_index(create(name, table, columns)).await?;
        }
        for (name, table, _) in CREATE {
            manager.drop_index(drop(name, table)).await?;
        }
        Ok(())
    }
}
