//! A page of a list and the list's total in one statement.
//!
//! The lists (the register, the signal list) showed a page and "n in all" with two statements:
//! a count and the page. Each statement is a round trip to the database (on SQLite a hand-over
//! to the connection's worker thread and back), and under the national benchmark those
//! hand-overs were a tenth of the server's processor time. The total now comes with the page's
//! rows, in a way that suits each database (measured on the national data set, README
//! "Performance"):
//! - PostgreSQL chooses the page's ids with the total beside each of them (`COUNT(*) OVER ()`,
//!   counted over every matching row before the limit applies) and joins the page's rows to
//!   them: the matching rows are read once. A count as a scalar subquery beside the page read
//!   them a second time; the register's search statement made 18–28% more requests a second
//!   in `pgbench` without it.
//! - SQLite keeps that count beside the page (an uncorrelated scalar subquery, evaluated once
//!   per statement, not per row): it answers it from a covering index, where the window made it
//!   materialise every match first (the signal list's statement took 0.79 ms instead of 0.41).
//!
//! Only a page past the end (no rows to carry the total) costs a second statement.
//!
//! Either way the rows are joined to the page's ids (`page`; on SQLite by the rows' `rowid`,
//! which the page carries as well), which also carry their sort keys (`page_sort_0`, …), and
//! ordered by those: the rows then come out of the join already in that
//! order, which both databases can tell, so they do not sort them again. Sorting the 50 joined
//! rows by the list's own expressions copied every row, wide as it is, and computed
//! `lower(name)` anew for each: the register's search statement ran 13% more often a second on
//! PostgreSQL without it (`pgbench`), and took 6% less time on SQLite (README "Performance").
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query, SelectStatement};
use sea_orm::{
    ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, Order, QueryOrder, QuerySelect,
    QueryTrait, Select,
};

use crate::error::AppResult;

/// The column that carries the total.
const TOTAL: &str = "page_total";
/// The alias of the page's ids.
const PAGE: &str = "page";

/// A list's order: its sort expressions, each with its direction, and last the id, which makes
/// the order unique.
#[derive(Debug, Clone)]
pub struct SortKeys {
    pub keys: Vec<(Expr, Order)>,
    /// The id column (qualified with its table) and its direction.
    pub id: (Expr, Order),
}

/// `select` ordered by `order`.
pub fn ordered<S: QueryOrder>(select: S, order: &SortKeys) -> S {
    order
        .keys
        .iter()
        .chain(std::iter::once(&order.id))
        .fold(select, |select, (expr, direction)| {
            select.order_by(expr.clone(), direction.clone())
        })
}

/// The rows of `rows` (the entity, unordered) whose `id` is among `ids` (the page's ids in the
/// list's order `order`, offset and limited, selecting only `id`), as `M`, in that order, and the
/// number of rows `matching` (the same filter, unordered) selects.
///
/// `ids` must read the entity's own table under its own name (joins and subqueries beside it
/// are fine): on SQLite the page also selects that table's `rowid` and the rows are joined by it,
/// so the table must be an ordinary rowid table (not `WITHOUT ROWID`). Otherwise the statement
/// fails ("no such column"); it cannot return other rows.
pub async fn with_total<C, E, M>(
    db: &C,
    rows: Select<E>,
    ids: SelectStatement,
    id: E::Column,
    matching: Select<E>,
    order: &SortKeys,
) -> AppResult<(Vec<M>, u64)>
where
    C: ConnectionTrait,
    E: EntityTrait,
    M: FromQueryResult,
{
    let count = count_of(matching);
    let statement = match db.get_database_backend() {
        DbBackend::Postgres => joined_to_page(rows, ids, id, order, None, false),
        DbBackend::Sqlite => joined_to_page(rows, ids, id, order, Some(count.clone()), true),
        _ => joined_to_page(rows, ids, id, order, Some(count.clone()), false),
    };
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

/// `rows` joined to `ids AS page`, which carries the sort keys of `order` as `page_sort_<n>`,
/// ordered by those and the page's id, with the total: `count` beside each row (SQLite), or
/// without one `COUNT(*) OVER ()` beside each of the page's ids (PostgreSQL; the module's notes).
/// (The id is not selected a second time as a sort key: PostgreSQL then no longer saw the order
/// it already had.)
///
/// `by_rowid` (SQLite): the page carries each row's `rowid` too, which every index entry holds,
/// and the rows are joined by it: a UUID key is a separate unique index in SQLite, so joining by
/// the id looked each row up twice, in that index and then in the table. The register's search
/// statement took 4–5% less time (`pysqlite3`, README "Performance").
fn joined_to_page<E: EntityTrait>(
    mut rows: Select<E>,
    mut ids: SelectStatement,
    id: E::Column,
    order: &SortKeys,
    count: Option<SelectStatement>,
    by_rowid: bool,
) -> SelectStatement {
    let page = Alias::new(PAGE);
    let sort_key = |n: usize| Alias::new(format!("page_sort_{n}"));
    let (rowid, page_rowid) = (Alias::new("rowid"), Alias::new("page_rowid"));
    if by_rowid {
        ids.expr_as(Expr::col((E::default(), rowid.clone())), page_rowid.clone());
    }
    for (n, (expr, _)) in order.keys.iter().enumerate() {
        ids.expr_as(expr.clone(), sort_key(n));
    }
    let total = match count {
        Some(count) => Expr::from(count),
        None => {
            ids.expr_as(Expr::cust("COUNT(*) OVER ()"), Alias::new(TOTAL));
            Expr::col((page.clone(), Alias::new(TOTAL)))
        }
    };
    let on = if by_rowid {
        Expr::col((page.clone(), page_rowid)).equals((E::default(), rowid))
    } else {
        Expr::col((page.clone(), id)).equals((E::default(), id))
    };
    QueryTrait::query(&mut rows).join_subquery(JoinType::InnerJoin, ids, page.clone(), on);
    for (n, (_, direction)) in order.keys.iter().enumerate() {
        rows = rows.order_by(Expr::col((page.clone(), sort_key(n))), direction.clone());
    }
    rows.order_by(Expr::col((page, id)), order.id.1.clone())
        .expr_as(total, TOTAL)
        .into_query()
}

/// `SELECT COUNT(*) FROM (matching)`.
fn count_of<E: EntityTrait>(matching: Select<E>) -> SelectStatement {
    Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_subquery(matching.into_query(), Alias::new("matching"))
        .to_owned()
}
