//! A connection given back to the pool inside a transaction (a request that went away while a
//! statement of its transaction ran) is closed, not handed to the next request still inside that
//! transaction; every SQLite connection keeps the plans it prepared (`db::sqlite_plans`), and
//! every PostgreSQL connection plans each statement once.
use sea_orm::ConnectionTrait;
use sqlx_core::transaction::TransactionManager;

use crate::helpers::TestDb;

#[tokio::test]
async fn a_connection_left_inside_a_transaction_is_not_handed_out_again() {
    let test_db = TestDb::create().await;
    let db = toezicht::db::connect(&test_db.url).await.unwrap();
    // As a dropped request can: a transaction begun, a statement run, no commit or rollback.
    macro_rules! left_inside_a_transaction {
        ($pool:expr, $database:ty) => {{
            let pool = $pool;
            let mut conn = pool.acquire().await.unwrap();
            let mut tx = sqlx::Connection::begin(&mut *conn).await.unwrap();
            sqlx::query("SELECT 1").execute(&mut *tx).await.unwrap();
            std::mem::forget(tx);
            drop(conn);
            for _ in 0..3 {
                let conn = pool.acquire().await.unwrap();
                let depth =
                    <$database as sqlx::Database>::TransactionManager::get_transaction_depth(&conn);
                assert_eq!(depth, 0, "a pooled connection inside a transaction");
            }
        }};
    }
    if toezicht::db::is_postgres(&db) {
        left_inside_a_transaction!(db.get_postgres_connection_pool(), sqlx::Postgres);
        // Every PostgreSQL connection plans each statement once (`db::connect`): without it
        // the signal list's page was planned anew on every request …
        let pool = db.get_postgres_connection_pool();
        let mut held = Vec::new();
        for _ in 0..3 {
            let mut conn = pool.acquire().await.unwrap();
            let mode: String = sqlx::query_scalar("SHOW plan_cache_mode")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!(mode, "force_generic_plan");
            // … and without parallel workers, which such plans started for a region's list.
            let workers: String = sqlx::query_scalar("SHOW max_parallel_workers_per_gather")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!(workers, "0");
            held.push(conn);
        }
    } else {
        left_inside_a_transaction!(db.get_sqlite_connection_pool(), sqlx::Sqlite);
        // Every SQLite connection keeps the plans it prepared (`db::sqlite_plans`): without it
        // each page and each search would be parsed and planned anew on every request.
        let pool = db.get_sqlite_connection_pool();
        let mut held = Vec::new();
        for _ in 0..3 {
            let mut conn = pool.acquire().await.unwrap();
            assert!(
                toezicht::db::sqlite_plans::keeps_plans(&mut conn)
                    .await
                    .unwrap()
            );
            held.push(conn);
        }
    }
    // And the read snapshots that pages begin work on every connection.
    for _ in 0..10 {
        let txn = toezicht::db::begin_read(&db).await.unwrap();
        txn.execute_unprepared("SELECT 1").await.unwrap();
        txn.commit().await.unwrap();
    }
}

/// The pool pings a connection before handing it out only when it lay idle for a second
/// (`db::connect`): one that the database dropped meanwhile (a restart, an idle timeout, a
/// firewall) is replaced before a request gets it, instead of failing that request.
#[tokio::test]
async fn a_connection_dropped_while_idle_is_replaced_before_use() {
    let test_db = TestDb::create().await;
    let db = toezicht::db::connect(&test_db.url).await.unwrap();
    if toezicht::db::is_postgres(&db) {
        // The pool's connections, each ended by the server as a restart or a timeout would.
        let pool = db.get_postgres_connection_pool();
        let mut pids = Vec::new();
        let mut held = Vec::new();
        for _ in 0..3 {
            let mut conn = pool.acquire().await.unwrap();
            let (pid,): (i32,) = sqlx::query_as("SELECT pg_backend_pid()")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            pids.push(pid);
            held.push(conn);
        }
        drop(held);
        let admin = toezicht::db::connect(&test_db.url).await.unwrap();
        for pid in &pids {
            admin
                .execute_unprepared(&format!("SELECT pg_terminate_backend({pid})"))
                .await
                .unwrap();
        }
    }
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    for _ in 0..5 {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT 1 AS one",
            ))
            .await
            .expect("a statement after the pool lay idle");
        let one: i32 = row.unwrap().try_get("", "one").unwrap();
        assert_eq!(one, 1);
    }
}
