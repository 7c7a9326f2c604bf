//! Schema migrations, shared by SQLite and PostgreSQL. One file per change; never edit one that has
//! been applied somewhere: add a new one instead.
pub use sea_orm_migration::prelude::*;

mod m20261122_000001_regions;
mod m20261122_000002_providers;
mod m20261122_000003_users_sessions;
mod m20261122_000004_provider_register;
mod m20261122_000005_framework;
mod m20261122_000006_signals;
mod m20261122_000007_outbox;
mod m20261122_000008_visits;
mod m20261122_000009_follow_ups;
mod m20261122_000010_reminders;
mod m20261122_000011_point_responses;
mod m20261122_000012_theme_findings;
mod m20261122_000013_national_indexes;
mod m20261123_000014_open_points_index;
mod m20261123_000015_signals_status_provider_index;
mod m20261123_000016_visit_summaries;
mod m20261205_000017_national_read_paths;
mod m20261205_000018_provider_risks;
mod m20261205_000019_month_counts;
mod m20261205_000020_drop_submissions_at_index;
mod m20261206_000021_provider_risks_stale_index;
mod m20261206_000022_provider_risks_stale_index_covering;
mod m20261206_000023_providers_search_index_city;

/// The statements that summarise completed visits, for data written in bulk after migrating.
pub mod visit_summaries {
    pub use super::m20261123_000016_visit_summaries::{
        BACKFILL_LAST_VISITS as LAST_VISITS, BACKFILL_THEME_SCORES as THEME_SCORES,
    };
    pub use super::m20261205_000017_national_read_paths::PROVIDERS_LAST_VISIT;
}

/// The kept risk scores: a row per provider, and `valid_until` of one not computed yet.
pub mod provider_risks {
    pub use super::m20261205_000018_provider_risks::{BACKFILL, NEVER};
}

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_regions::Migration),
            Box::new(m20261122_000002_providers::Migration),
            Box::new(m20261122_000003_users_sessions::Migration),
            Box::new(m20261122_000004_provider_register::Migration),
            Box::new(m20261122_000005_framework::Migration),
            Box::new(m20261122_000006_signals::Migration),
            Box::new(m20261122_000007_outbox::Migration),
            Box::new(m20261122_000008_visits::Migration),
            Box::new(m20261122_000009_follow_ups::Migration),
            Box::new(m20261122_000010_reminders::Migration),
            Box::new(m20261122_000011_point_responses::Migration),
            Box::new(m20261122_000012_theme_findings::Migration),
            Box::new(m20261122_000013_national_indexes::Migration),
            Box::new(m20261123_000014_open_points_index::Migration),
            Box::new(m20261123_000015_signals_status_provider_index::Migration),
            Box::new(m20261123_000016_visit_summaries::Migration),
            Box::new(m20261205_000017_national_read_paths::Migration),
            Box::new(m20261205_000018_provider_risks::Migration),
            Box::new(m20261205_000019_month_counts::Migration),
            Box::new(m20261205_000020_drop_submissions_at_index::Migration),
            Box::new(m20261206_000021_provider_risks_stale_index::Migration),
            Box::new(m20261206_000022_provider_risks_stale_index_covering::Migration),
            Box::new(m20261206_000023_providers_search_index_city::Migration),
        ]
    }
}
