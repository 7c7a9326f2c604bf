//! Database connection, migrations and the data the application loads itself.
pub mod demo;
mod demo_ratings;
mod demo_reports;
pub mod demo_signals;
mod demo_visits;
mod demo_visits_data;
pub mod entities;
pub mod fixtures;
pub mod generate;
mod write;

pub use write::{WriteTxn, begin_write};

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};

/// Connects to SQLite (`sqlite://…`) or PostgreSQL (`postgres://…`).
///
/// SQLite runs in WAL mode with foreign keys enforced and a busy timeout, so readers never wait
/// for the writer and concurrent writers queue instead of failing with "database is locked".
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_string());
    options
        // Every statement at debug (`RUST_LOG=sqlx=debug` shows them with their duration, the
        // way the national benchmark was profiled); a slow one at warn, always.
        .sqlx_logging(true)
        .sqlx_logging_level(log::LevelFilter::Debug)
        .sqlx_slow_statements_logging_settings(log::LevelFilter::Warn, Duration::from_millis(250))
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5));
    if url.starts_with("sqlite:") {
        // Measured on the national data set (benches/national.sh): more connections than twice
        // the cores only add contention (writes take turns anyway, `db::begin_write`). The page
        // cache is 4 MB per connection: 16 MB measured no faster (in WAL mode a connection drops
        // its whole cache whenever another one has written, so under intake it never stays
        // warm; the OS caches the file anyway) and kept the server at 260 MB instead of 140.
        options
            .max_connections(6)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|opts| {
                opts.journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    .pragma("cache_size", "-4000")
            });
    } else {
        options.max_connections(16).min_connections(1);
    }
    Database::connect(options).await
}

/// Applies pending migrations, then loads the reference data (idempotent).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await?;
    if !is_postgres(db) {
        // Statistics for indexes a migration just added (PostgreSQL keeps its own up to date).
        // With the limit, SQLite samples instead of reading whole tables: milliseconds, also at
        // national scale, and nothing at all when the statistics are still good.
        db.execute_unprepared("PRAGMA analysis_limit = 1000; PRAGMA optimize;")
            .await?;
    }
    fixtures::load_reference_data(db).await
}

/// `true` when the database answers a trivial query (for `/readyz`).
pub async fn is_ready(db: &DatabaseConnection) -> bool {
    let sql = "SELECT 1";
    db.execute_unprepared(sql).await.is_ok()
}

pub fn is_postgres_txn<C: ConnectionTrait>(db: &C) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

pub fn is_postgres(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}
