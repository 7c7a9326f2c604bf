//! Signal references: `M-2026-000001`, numbered from 1 every year.
//!
//! SQLite keeps one row per year in `reference_counters` and advances it in the filing's own
//! transaction: SQLite runs one writer at a time, so nobody waits on that row.
//!
//! PostgreSQL takes the number from a sequence per year (`signal_reference_2026`). A counter row
//! stays locked from its update until the filing commits, flush to disk included, so filings
//! would queue on it one by one: with pgbench on this machine, 32 clients advancing one row
//! reach some 1,200 per second, `nextval` some 26,000. A sequence hands out numbers without
//! locks and outside the transaction; a filing that fails leaves a gap in the numbers, which a
//! reference may have (the unique index still forbids a number twice).
//!
//! A year's sequence is created when the year's first number is needed. It starts after the
//! year's counter row, which the demo and national data sets fill and which filings used before
//! the sequences existed, so numbers continue where they were.
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::error::{AppError, AppResult};

/// A number taken before the filing's transaction (PostgreSQL), or one still to take inside it
/// (SQLite).
pub enum Reserved {
    Taken(String),
    InTransaction(i32),
}

/// Call before the filing's transaction begins, with the pool.
pub async fn reserve(db: &DatabaseConnection, year: i32) -> AppResult<Reserved> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(Reserved::InTransaction(year));
    }
    let value = match nextval(db, year).await {
        Ok(value) => value,
        Err(first) => {
            // Most likely the year's first filing in this database: create its sequence and try
            // once more. A filing at the same moment may create it first; that is fine too.
            let _ = create_sequence(db, year).await;
            nextval(db, year).await.map_err(|_| first)?
        }
    };
    Ok(Reserved::Taken(format_reference(year, value)))
}

impl Reserved {
    /// The reference, advancing SQLite's counter row in the filing's transaction `txn`.
    pub async fn take<C: ConnectionTrait>(self, txn: &C) -> AppResult<String> {
        match self {
            Reserved::Taken(reference) => Ok(reference),
            Reserved::InTransaction(year) => {
                let value = advance_counter(txn, year).await?;
                Ok(format_reference(year, value))
            }
        }
    }
}

/// The next reference of `year` inside one transaction: the demo data, which files its signals
/// in a single transaction of its own.
pub async fn next<C: ConnectionTrait>(db: &C, year: i32) -> AppResult<String> {
    let value = if db.get_database_backend() == DbBackend::Postgres {
        create_sequence(db, year).await?;
        nextval(db, year).await?
    } else {
        advance_counter(db, year).await?
    };
    Ok(format_reference(year, value))
}

fn format_reference(year: i32, value: i64) -> String {
    format!("M-{year}-{value:06}")
}

fn counter_name(year: i32) -> String {
    format!("M-{year}")
}

fn sequence_name(year: i32) -> String {
    // `year` is a number, so the name is safe to put in SQL.
    format!("signal_reference_{year}")
}

async fn advance_counter<C: ConnectionTrait>(db: &C, year: i32) -> AppResult<i64> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "INSERT INTO reference_counters (name, last_value) VALUES (?, 1) \
             ON CONFLICT (name) DO UPDATE SET last_value = reference_counters.last_value + 1 \
             RETURNING last_value",
            [counter_name(year).into()],
        ))
        .await?
        .ok_or_else(|| AppError::internal("reference counter returned nothing"))?;
    Ok(row.try_get("", "last_value")?)
}

async fn nextval<C: ConnectionTrait>(db: &C, year: i32) -> AppResult<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT nextval('{}') AS value", sequence_name(year)),
        ))
        .await?
        .ok_or_else(|| AppError::internal("nextval returned nothing"))?;
    Ok(row.try_get("", "value")?)
}

async fn create_sequence<C: ConnectionTrait>(db: &C, year: i32) -> AppResult<()> {
    let counted: Option<i64> = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT last_value FROM reference_counters WHERE name = $1",
            [counter_name(year).into()],
        ))
        .await?
        .map(|row| row.try_get("", "last_value"))
        .transpose()?;
    let start = counted.unwrap_or(0) + 1;
    db.execute_unprepared(&format!(
        "CREATE SEQUENCE IF NOT EXISTS {} START WITH {start}",
        sequence_name(year)
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_have_six_digits_and_grow_beyond() {
        assert_eq!(format_reference(2026, 1), "M-2026-000001");
        assert_eq!(format_reference(2026, 1_234_567), "M-2026-1234567");
    }
}
