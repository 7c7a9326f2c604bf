//! A page of a list and the list's total in one statement.
//!
//! The lists (the register, the signal list) showed a page and "n in all" with two statements:
//! a count and the page. Each statement is a round trip to the database (on SQLite a hand-over
//! to the connection's worker thread and back), and under the national benchmark those
//! hand-overs were a tenth of the server's processor time. Here the count rides along with the
//! page as an uncorrelated scalar subquery, which both databases evaluate once per statement,
//! not per row. Only a page past the end (no rows to carry the total) costs a second statement.
use sea_orm::sea_query::{Alias, Expr, Query, SelectStatement};
use sea_orm::{ConnectionTrait, EntityTrait, FromQueryResult, QuerySelect, QueryTrait, Select};

use crate::error::AppResult;

/// The column that carries the total.
const TOTAL: &str = "page_total";

/// The rows of `page` (already ordered and limited) as `M`, and the number of rows `matching`
/// selects.
pub async fn with_total<C, E, M>(
    db: &C,
    page: Select<E>,
    matching: Select<E>,
) -> AppResult<(Vec<M>, u64)>
where
    C: ConnectionTrait,
    E: EntityTrait,
    M: FromQueryResult,
{
    let count = count_of(matching);
    let statement = page.expr_as(Expr::from(count.clone()), TOTAL).into_query();
    let rows = db.query_all(&statement).await?;
    let total = match rows.first() {
        Some(row) => row.try_get::<i64>("", TOTAL)?,
        // Past the last page: nothing carried the total, so it is counted on its own.
        None => match db.query_one(&count).await? {
            Some(row) => row.try_get_by_index::<i64>(0)?,
            None => 0,
        },
    };
    let items = rows
        .iter()
        .map(|row| M::from_query_result(row, ""))
        .collect::<Result<Vec<M>, _>>()?;
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

/// `SELECT COUNT(*) FROM (matching)`.
fn count_of<E: EntityTrait>(matching: Select<E>) -> SelectStatement {
    Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_subquery(matching.into_query(), Alias::new("matching"))
        .to_owned()
}
