//! Write transactions, one at a time on SQLite.
//!
//! SQLite has one writer. Left to itself, a connection that finds the write lock taken sleeps in
//! SQLite's busy handler (1, 2, 5, 10 … 100 ms) and tries again, so under load most of a write's
//! time went to sleeping: the national benchmark's signal intake. Here writers queue on an async
//! lock instead and each starts the moment the previous one commits. PostgreSQL locks rows itself
//! and takes no turn.
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// One per process: every SQLite database this process writes to shares it (in practice one
/// file; the tests open many and only queue a little longer).
static SQLITE_WRITER: LazyLock<Arc<Mutex<()>>> = LazyLock::new(|| Arc::new(Mutex::new(())));

/// As long as SQLite's own busy timeout: a writer that cannot get its turn fails as it did
/// before, instead of waiting forever.
const TURN_TIMEOUT: Duration = Duration::from_secs(5);

/// A transaction that will write; use it as a connection and end it with `commit`.
pub struct WriteTxn {
    // Declared first so it is dropped (rolled back) before the turn is given up.
    txn: DatabaseTransaction,
    _turn: Option<OwnedMutexGuard<()>>,
}

/// Begins a transaction that will write. On SQLite it first waits for its turn, then takes the
/// write lock at `BEGIN IMMEDIATE`, so that a read early in the transaction can never be
/// invalidated by another writer ("database is locked").
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    let turn = if db.get_database_backend() == DbBackend::Sqlite {
        let lock = SQLITE_WRITER.clone().lock_owned();
        Some(
            tokio::time::timeout(TURN_TIMEOUT, lock)
                .await
                .map_err(|_| DbErr::Custom("database is locked (waited 5 s for a turn)".into()))?,
        )
    } else {
        None
    };
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    Ok(WriteTxn { txn, _turn: turn })
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}
