//! Several reads as one statement: each read is a part of one `UNION ALL`, its columns put in
//! the same row shape (`g`, `k`, `k2`, `id`, `n0`, `n1`, `n2`) and its rows told apart by `g`.
//! The region dashboard's seven reads were seven round trips, each with its own executor start
//! and snapshot (`dashboard::figures`, README "Performance"); the risk ranking's two reads
//! (`risk::stored::top_for_region`) are one too.
use sea_orm::sea_query::{Alias, Expr, Query, SelectStatement, UnionType};
use sea_orm::{ConnectionTrait, QueryResult};
use uuid::Uuid;

use crate::error::AppResult;

/// Where a part's columns go in the common row; `None` leaves that column NULL (text, id) or 0
/// (counts).
#[derive(Default)]
pub struct Shape {
    /// The part's number in `g`, or `None` when the part has a column `g` of its own.
    pub g: Option<i32>,
    pub k: Option<&'static str>,
    pub k2: Option<&'static str>,
    pub id: Option<&'static str>,
    pub n: [Option<&'static str>; 3],
}

/// One row of the statement.
#[derive(Debug)]
pub struct Row {
    pub g: i32,
    pub k: Option<String>,
    pub k2: Option<String>,
    pub id: Option<Uuid>,
    pub n: [i64; 3],
}

impl Row {
    fn read(row: &QueryResult) -> AppResult<Row> {
        // A column is a bigint on PostgreSQL when any part has one there (a COUNT or SUM), an
        // integer when every part's is; SQLite's are all 64-bit.
        let n = |column: &str| -> AppResult<i64> {
            let n = match row.try_get::<Option<i64>>("", column) {
                Ok(n) => n,
                Err(_) => row.try_get::<Option<i32>>("", column)?.map(i64::from),
            };
            Ok(n.unwrap_or(0))
        };
        Ok(Row {
            g: row.try_get("", "g")?,
            k: row.try_get("", "k")?,
            k2: row.try_get("", "k2")?,
            id: row.try_get("", "id")?,
            n: [n("n0")?, n("n1")?, n("n2")?],
        })
    }

    pub fn k(&self) -> String {
        self.k.clone().unwrap_or_default()
    }
}

/// The parts so far, as one statement.
#[derive(Default)]
pub struct Statement {
    union: Option<SelectStatement>,
}

impl Statement {
    /// Adds `query` as a part, its columns placed by `shape`.
    pub fn part(&mut self, query: SelectStatement, shape: Shape) {
        let p = Alias::new("p");
        let column = |name: Option<&str>, otherwise: Expr| {
            name.map_or(otherwise, |name| Expr::col((p.clone(), Alias::new(name))))
        };
        let mut q = Query::select();
        q.expr_as(
            shape
                .g
                .map_or_else(|| Expr::col((p.clone(), Alias::new("g"))), Expr::val),
            Alias::new("g"),
        )
        .expr_as(column(shape.k, Expr::cust("NULL")), Alias::new("k"))
        .expr_as(column(shape.k2, Expr::cust("NULL")), Alias::new("k2"))
        // Typed: PostgreSQL settles the type of a union's column pair by pair, and two untyped
        // NULLs would make it text, which a uuid further on cannot join.
        .expr_as(column(shape.id, Expr::val(None::<Uuid>)), Alias::new("id"));
        for (i, name) in shape.n.iter().enumerate() {
            q.expr_as(column(*name, Expr::cust("0")), Alias::new(format!("n{i}")));
        }
        q.from_subquery(query, p);
        match self.union.as_mut() {
            Some(union) => {
                union.union(UnionType::All, q);
            }
            None => self.union = Some(q),
        }
    }

    /// Runs the statement: its rows, in no particular order.
    pub async fn rows<C: ConnectionTrait>(self, db: &C) -> AppResult<Vec<Row>> {
        let Some(union) = self.union else {
            return Ok(Vec::new());
        };
        db.query_all(&union).await?.iter().map(Row::read).collect()
    }
}
