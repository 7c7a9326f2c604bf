//! Batched writing: multi-row INSERTs of up to 1,000 rows, 20 of them per transaction, with a
//! progress line on stderr every few seconds. Row-by-row inserts would take hours at national
//! scale; one huge transaction would hold SQLite's write lock (and PostgreSQL's WAL) for minutes.
use std::time::Instant;

use crate::db::WriteTxn;
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel};

/// SQLite allows 32,766 bound values per statement; stay under it whatever the column count.
const MAX_VALUES: usize = 30_000;
const MAX_ROWS: usize = 1_000;
const INSERTS_PER_TRANSACTION: usize = 20;

pub struct Batches<'a, A: ActiveModelTrait> {
    db: &'a DatabaseConnection,
    txn: Option<WriteTxn>,
    buf: Vec<A>,
    rows_per_insert: usize,
    inserts_in_txn: usize,
    written: u64,
    table: &'static str,
    started: Instant,
    last_report: Instant,
}

impl<'a, A> Batches<'a, A>
where
    A: ActiveModelTrait + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    pub fn new(db: &'a DatabaseConnection, table: &'static str, columns: usize) -> Self {
        let rows_per_insert = (MAX_VALUES / columns).min(MAX_ROWS);
        Batches {
            db,
            txn: None,
            buf: Vec::with_capacity(rows_per_insert),
            rows_per_insert,
            inserts_in_txn: 0,
            written: 0,
            table,
            started: Instant::now(),
            last_report: Instant::now(),
        }
    }

    pub async fn push(&mut self, row: A) -> Result<(), DbErr> {
        self.buf.push(row);
        if self.buf.len() >= self.rows_per_insert {
            self.insert().await?;
        }
        Ok(())
    }

    async fn insert(&mut self) -> Result<(), DbErr> {
        if self.buf.is_empty() {
            return Ok(());
        }
        if self.txn.is_none() {
            self.txn = Some(crate::db::begin_write(self.db).await?);
        }
        let rows = std::mem::replace(&mut self.buf, Vec::with_capacity(self.rows_per_insert));
        let txn = self.txn.as_ref().expect("transaction begun above");
        self.written += A::Entity::insert_many(rows)
            .exec_without_returning(txn)
            .await?;
        self.inserts_in_txn += 1;
        if self.inserts_in_txn >= INSERTS_PER_TRANSACTION {
            self.commit().await?;
        }
        if self.last_report.elapsed().as_secs() >= 2 {
            self.last_report = Instant::now();
            self.report("…");
        }
        Ok(())
    }

    async fn commit(&mut self) -> Result<(), DbErr> {
        if let Some(txn) = self.txn.take() {
            txn.commit().await?;
        }
        self.inserts_in_txn = 0;
        Ok(())
    }

    fn report(&self, suffix: &str) {
        eprintln!(
            "  {:<18} {:>10} rijen  {:>7.1} s {suffix}",
            self.table,
            self.written,
            self.started.elapsed().as_secs_f64()
        );
    }

    /// Writes what is left, commits, and returns the number of rows written.
    pub async fn finish(mut self) -> Result<u64, DbErr> {
        self.insert().await?;
        self.commit().await?;
        self.report("klaar");
        Ok(self.written)
    }
}
