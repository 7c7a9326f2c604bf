//! A page of a list and the list's total in one statement.
//!
//! The lists (the register, the signal list) showed a page and "n in all" with two statements:
//! a count and the page. Each statement is a round trip to the database (on SQLite a hand-over
//! to the connection's worker thread and back), and under the national benchmark those
//! hand-overs were a tenth of the server's processor time. Here the page's ids are chosen with
//! the total beside each of them (`COUNT(*) OVER ()`, counted over every matching row before the
//! limit applies), and the page's rows are joined to them: the matching rows are read once, where
//! a count as a scalar subquery beside the page read them a second time (on PostgreSQL the
//! register's search +16% statements per second). Only a page past the end (no rows to carry
//! the total) costs a second statement.
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, EntityTrait, FromQueryResult, QuerySelect, QueryTrait, Select};

use crate::error::AppResult;

/// The column that carries the total.
const TOTAL: &str = "page_total";
/// The alias of the page's ids.
const PAGE: &str = "page";

/// The rows of `rows` (the entity in the list's order) whose `id` is among `ids` (the page's ids
/// in the list's order, offset and limited, selecting only `id`), as `M`, and the number of rows
/// `matching` (the same filter, unordered) selects.
pub async fn with_total<C, E, M>(
    db: &C,
    mut rows: Select<E>,
    mut ids: SelectStatement,
    id: E::Column,
    matching: Select<E>,
) -> AppResult<(Vec<M>, u64)>
where
    C: ConnectionTrait,
    E: EntityTrait,
    M: FromQueryResult,
{
    let page = Alias::new(PAGE);
    ids.expr_as(Expr::cust("COUNT(*) OVER ()"), Alias::new(TOTAL));
    QueryTrait::query(&mut rows).join_subquery(
        JoinType::InnerJoin,
        ids,
        page.clone(),
        Expr::col((page.clone(), id)).equals((E::default(), id)),
    );
    let statement = rows
        .expr_as(Expr::col((page, Alias::new(TOTAL))), TOTAL)
        .into_query();
    let rows = db.query_all(&statement).await?;
    let total = match rows.first() {
        Some(row) => row.try_get::<i64>("", TOTAL)?,
        // Past the last page: nothing carried the total, so it is counted on its own.
        None => match db.query_one(&count_of(matching)).await? {
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
