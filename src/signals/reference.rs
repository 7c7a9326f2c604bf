//! Signal references: `M-2026-000001`, numbered from 1 every year.
//!
//! SQLite keeps one row per year in `reference_counters` and advances it in the transaction that
//! writes the filings (`signals::intake`): SQLite runs one writer at a time, so nobody waits on
//! that row.
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
use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::error::{AppError, AppResult};

/// PostgreSQL: the references for filings in these years, in order, taken from the sequences
/// before the filings' transaction begins (a missing sequence is created here, where a failed
/// statement cannot abort that transaction). SQLite: `None`; take them with [`in_transaction`].
pub async fn before_transaction(
    db: &DatabaseConnection,
    years: &[i32],
) -> AppResult<Option<Vec<String>>> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(None);
    }
    let mut numbers: BTreeMap<i32, Vec<i64>> = BTreeMap::new();
    for (year, count) in per_year(years) {
        let taken = match nextvals(db, year, count).await {
            Ok(taken) => taken,
            Err(first) => {
                // Most likely the year's first filing in this database: create its sequence and
                // try once more. A filing at the same moment may create it first; fine too.
                let _ = create_sequence(db, year).await;
                nextvals(db, year, count).await.map_err(|_| first)?
            }
        };
        numbers.insert(year, taken);
    }
    Ok(Some(assign(years, |year, i| {
        numbers.get(&year).and_then(|n| n.get(i)).copied()
    })?))
}

/// SQLite: the references for filings in these years, in order, advancing each year's counter
/// once in the filings' transaction `txn`.
pub async fn in_transaction<C: ConnectionTrait>(txn: &C, years: &[i32]) -> AppResult<Vec<String>> {
    let mut first: BTreeMap<i32, i64> = BTreeMap::new();
    for (year, count) in per_year(years) {
        first.insert(year, advance(txn, year, count).await?);
    }
    assign(years, |year, i| {
        first
            .get(&year)
            .map(|f| f + i64::try_from(i).unwrap_or(i64::MAX))
    })
}

fn per_year(years: &[i32]) -> BTreeMap<i32, u32> {
    let mut counts = BTreeMap::new();
    for year in years {
        *counts.entry(*year).or_default() += 1;
    }
    counts
}

/// Gives the i-th filing of each year the i-th number of that year.
fn assign(years: &[i32], number: impl Fn(i32, usize) -> Option<i64>) -> AppResult<Vec<String>> {
    let mut seen: BTreeMap<i32, usize> = BTreeMap::new();
    years
        .iter()
        .map(|year| {
            let i = seen.entry(*year).or_default();
            let n = number(*year, *i).ok_or_else(|| AppError::internal("too few references"))?;
            *i += 1;
            Ok(format(*year, n))
        })
        .collect()
}

/// The next reference of `year` inside one transaction: the demo data, which files its signals
/// in a single transaction of its own.
pub async fn next<C: ConnectionTrait>(db: &C, year: i32) -> AppResult<String> {
    let value = if db.get_database_backend() == DbBackend::Postgres {
        create_sequence(db, year).await?;
        nextval(db, year).await?
    } else {
        advance(db, year, 1).await?
    };
    Ok(format(year, value))
}

pub fn format(year: i32, value: i64) -> String {
    format!("M-{year}-{value:06}")
}

fn counter_name(year: i32) -> String {
    format!("M-{year}")
}

fn sequence_name(year: i32) -> String {
    // `year` is a number, so the name is safe to put in SQL.
    format!("signal_reference_{year}")
}

/// Advances SQLite's counter of `year` by `count` and returns the first of the `count` numbers.
pub async fn advance<C: ConnectionTrait>(db: &C, year: i32, count: u32) -> AppResult<i64> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "INSERT INTO reference_counters (name, last_value) VALUES (?, ?) \
             ON CONFLICT (name) DO UPDATE SET last_value = reference_counters.last_value + ? \
             RETURNING last_value",
            [counter_name(year).into(), count.into(), count.into()],
        ))
        .await?
        .ok_or_else(|| AppError::internal("reference counter returned nothing"))?;
    let last: i64 = row.try_get("", "last_value")?;
    Ok(last - i64::from(count) + 1)
}

async fn nextval<C: ConnectionTrait>(db: &C, year: i32) -> AppResult<i64> {
    let mut taken = nextvals(db, year, 1).await?;
    taken
        .pop()
        .ok_or_else(|| AppError::internal("nextval returned nothing"))
}

/// `count` numbers of the year's sequence in one statement.
async fn nextvals<C: ConnectionTrait>(db: &C, year: i32, count: u32) -> AppResult<Vec<i64>> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!(
                "SELECT nextval('{}') AS value FROM generate_series(1, $1)",
                sequence_name(year)
            ),
            [i32::try_from(count).unwrap_or(i32::MAX).into()],
        ))
        .await?;
    let mut taken = rows
        .iter()
        .map(|row| row.try_get::<i64>("", "value"))
        .collect::<Result<Vec<_>, _>>()?;
    taken.sort_unstable();
    Ok(taken)
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
        assert_eq!(format(2026, 1), "M-2026-000001");
        assert_eq!(format(2026, 1_234_567), "M-2026-1234567");
    }
}

#[cfg(test)]
mod assign_tests {
    use super::*;

    #[test]
    fn each_year_numbers_its_own_filings_in_order() {
        let years = [2026, 2027, 2026];
        let refs = assign(&years, |year, i| {
            Some(if year == 2026 { 10 + i as i64 } else { 1 })
        })
        .unwrap();
        assert_eq!(refs, ["M-2026-000010", "M-2027-000001", "M-2026-000011"]);
        assert!(assign(&years, |_, _| None).is_err());
    }
}
