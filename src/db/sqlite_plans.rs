//! SQLite's query planner stability guarantee (QPSG), switched on for every connection.
//!
//! SQLite 3.51 compiles the value bound to a `LIMIT ?` into the statement, and plans a
//! `LIKE ?` for the pattern bound at the time. To do so it marks those parameters, and binding
//! any value to a marked parameter, even the same one, makes the statement prepare itself anew
//! on its next step. So every page (`LIMIT ? OFFSET ?`), the sign-in check of every request
//! (`LIMIT 1`) and every search was parsed and planned again on each execution: 7% of the
//! server's time under the national benchmark (`perf`: `sqlite3Reprepare`; gdb on it named the
//! statements), and 3 statements a second for the background tasks. With QPSG a statement keeps
//! the plan it was prepared with, whatever is bound, as PostgreSQL's generic plans do
//! (`db::begin_read`), and sqlx's statement cache does what it is there for.
//!
//! sqlx has no option for `sqlite3_db_config`, so this goes through the connection's raw handle.
use std::os::raw::c_int;

use libsqlite3_sys::{SQLITE_DBCONFIG_ENABLE_QPSG, SQLITE_OK, sqlite3_db_config};
use sqlx::SqliteConnection;

/// Switches QPSG on (`1`), or with `-1` only reads it; returns the setting after the call.
async fn qpsg(conn: &mut SqliteConnection, value: c_int) -> Result<bool, sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    let mut now: c_int = 0;
    // SAFETY: `db` is the open connection that the locked handle keeps to itself until it is
    // dropped, after this call. SQLITE_DBCONFIG_ENABLE_QPSG takes an int (1 on, 0 off, -1 leave
    // as it is) and a pointer to an int that receives the setting, which outlives the call.
    let rc = unsafe { sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_QPSG, value, &mut now) };
    if rc == SQLITE_OK {
        Ok(now == 1)
    } else {
        Err(sqlx::Error::Protocol(format!(
            "SQLite refused SQLITE_DBCONFIG_ENABLE_QPSG (code {rc})"
        )))
    }
}

/// For every new connection (`db::connect`). A connection on which SQLite would not switch it on
/// is still used (only slower), but said so in the log.
pub async fn keep_plans(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    if !qpsg(conn, 1).await? {
        tracing::warn!("SQLite did not switch on QPSG: statements are prepared anew when rebound");
    }
    Ok(())
}

/// Whether this connection keeps its plans (for the tests).
pub async fn keeps_plans(conn: &mut SqliteConnection) -> Result<bool, sqlx::Error> {
    qpsg(conn, -1).await
}
