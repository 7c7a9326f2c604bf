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
pub mod one_statement;
pub mod paged;
pub mod sqlite_plans;
mod write;

pub use write::{WriteTxn, begin_write};

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

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
        .acquire_timeout(Duration::from_secs(5))
        // A connection is pinged before it is handed out only when it has lain unused for a
        // second: one that answered a moment ago is alive, and the ping sqlx sends by default on
        // every checkout is a round trip of its own (two per request, beside one or two
        // statements). What the ping is for, a connection the server or a firewall dropped
        // while it lay idle, is still caught.
        .test_before_acquire_if_idle_for(Duration::from_secs(1));
    if url.starts_with("sqlite:") {
        // Measured on the national data set (benches/national.sh): more connections than twice
        // the cores only add contention (writes take turns anyway, `db::begin_write`). The page
        // cache is 4 MB per connection: 16 MB measured no faster (in WAL mode a connection drops
        // its whole cache whenever another one has written, so under intake it never stays
        // warm; the OS caches the file anyway) and kept the server at 260 MB instead of 140.
        // Rows come back from SQLite's worker thread through a channel: with sqlx's 50 rows the
        // thread stopped and was woken again every 50 rows of a longer result (the signal list's
        // provider filter: 356); 1,024 lets it run to the end (the list: +20% requests/s).
        options
            .max_connections(6)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|opts| {
                opts.journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    .pragma("cache_size", "-4000")
                    .row_buffer_size(1024)
            })
            .map_sqlx_sqlite_pool_opts(|pool| {
                pool.after_connect(|conn, _| Box::pin(sqlite_plans::keep_plans(conn)))
                    .after_release(|conn, _| {
                        Box::pin(async move { Ok(no_open_transaction::<sqlx::Sqlite>(conn)) })
                    })
            });
    } else {
        // Measured on the national data set with 32 concurrent requests on two cores: 8
        // connections (four per core) served the dashboard a tenth faster than 16 and half as
        // fast again as 32; more server processes than that only take turns on the cores.
        // Each statement planned once per connection (`plan_cache_mode = force_generic_plan`,
        // sent with the connection's start-up): PostgreSQL's own choice planned some statements
        // anew on every run, the signal list's page among them (its generic plan estimated
        // dearer, the plan itself the same), and planning it cost a third of running it: the
        // statement ran 4,050 times a second instead of 2,900 (`pgbench`), the signal list
        // served 10–15% more requests (README "Performance"). The dashboard's statements had
        // been planned so since an earlier measurement (28% of the database's processor time
        // in the planner), inside `begin_read`; the application's statements are the same for
        // every region and day, and now every connection plans them once.
        // And without parallel workers (`max_parallel_workers_per_gather = 0`): a plan made
        // without the values estimates a region's rows from the whole table (24,000 open
        // signals instead of 450), and after one `ANALYZE` the signal list's plan started two
        // workers on every run, 8 ms instead of 0.6: 435 requests a second instead of 1,805.
        // Every statement here reads a page, a count or a region's figures, for which starting
        // workers costs more than it saves, and with requests running side by side the cores
        // are busy anyway.
        options
            .max_connections(8)
            .min_connections(1)
            .map_sqlx_postgres_opts(|opts| {
                opts.options([
                    ("plan_cache_mode", "force_generic_plan"),
                    ("max_parallel_workers_per_gather", "0"),
                ])
            })
            .map_sqlx_postgres_pool_opts(|pool| {
                pool.after_release(|conn, _| {
                    Box::pin(async move { Ok(no_open_transaction::<sqlx::Postgres>(conn)) })
                })
            });
    }
    Database::connect(options).await
}

/// Whether a connection given back to the pool may be handed out again: not while it is still
/// in a transaction. A request that goes away mid-transaction (its client closed the connection)
/// drops its transaction while a statement holds the connection, and then the rollback on drop
/// cannot be queued; the next request to get that connection would find the transaction still
/// open ("there is already a transaction in progress"). Such a connection is closed instead.
fn no_open_transaction<DB: sqlx::Database>(conn: &DB::Connection) -> bool {
    use sqlx_core::transaction::TransactionManager;
    let open = DB::TransactionManager::get_transaction_depth(conn) > 0;
    if open {
        tracing::warn!("closing a database connection given back inside a transaction");
    }
    !open
}

/// Applies pending migrations, then loads the reference data (idempotent).
///
/// On PostgreSQL each migration runs in a transaction of its own (sea-orm-migration's choice
/// there). On SQLite it would run statement by statement, each on whichever pooled connection is
/// free: a migration that failed halfway left its first tables behind, and the next start failed
/// on them ("already exists") for good. There all pending migrations run in one transaction on
/// one connection, which takes the write lock at once (`BEGIN IMMEDIATE`): they are applied
/// together or not at all, and every statement sees the schema the ones before it made (on
/// different connections one now and then did not: migration 000022's notes). Only
/// when some are pending: a start with nothing to migrate (a second instance beside a serving
/// one, say) takes no write lock.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    if is_postgres(db) {
        Migrator::up(db, None).await?;
    } else if !Migrator::get_pending_migrations(db).await?.is_empty() {
        let txn = db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        match Migrator::up(&txn, None).await {
            Ok(()) => txn.commit().await?,
            Err(failed) => {
                // Rolled back here rather than on drop, so the connection goes back to the pool
                // outside a transaction (`no_open_transaction`) and the cause is what is reported.
                if let Err(rollback) = txn.rollback().await {
                    tracing::warn!(%rollback, "rolling back the failed migrations failed");
                }
                return Err(failed);
            }
        }
    }
    if !is_postgres(db) {
        // Statistics for indexes a migration just added (PostgreSQL keeps its own up to date).
        // With the limit, SQLite samples instead of reading whole tables: milliseconds, also at
        // national scale, and nothing at all when the statistics are still good.
        db.execute_unprepared("PRAGMA analysis_limit = 1000; PRAGMA optimize;")
            .await?;
    }
    fixtures::load_reference_data(db).await
}

/// Begins a transaction that only reads, so that all its reads see one snapshot: a page whose
/// numbers, read by several statements, must agree (the dashboard: its figures in one statement,
/// then the risk scores that are not kept; a list reads its total and rows in one statement,
/// `db::paged`, and needs none). On PostgreSQL it is `REPEATABLE READ` (one snapshot for the
/// whole transaction, not one per statement); its statements are planned once per connection,
/// as every statement is (`connect`). On SQLite a transaction reads one snapshot anyway.
pub async fn begin_read(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    if is_postgres(db) {
        txn.execute_unprepared("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await?;
    }
    Ok(txn)
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
