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

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// Connects to SQLite (`sqlite://…`) or PostgreSQL (`postgres://…`).
///
/// SQLite runs in WAL mode with foreign keys enforced and a busy timeout, so readers never wait
/// for the writer and concurrent writers queue instead of failing with "database is locked".
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_string());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5));
    if url.starts_with("sqlite:") {
        options
            .max_connections(8)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|opts| {
                opts.journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
            });
    } else {
        options.max_connections(16).min_connections(1);
    }
    Database::connect(options).await
}

/// Applies pending migrations, then loads the reference data (idempotent).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await?;
    fixtures::load_reference_data(db).await
}

/// Begins a transaction that will write. On SQLite it takes the write lock at `BEGIN IMMEDIATE`,
/// so that it waits (busy timeout) for another writer instead of failing with "database is
/// locked" when a read earlier in the transaction saw data another connection has since changed.
/// PostgreSQL ignores the mode.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
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
