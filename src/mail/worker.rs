//! The outbox worker, run by `app::serve` in every app instance. It claims due messages with a
//! lease (`locked_until`), so instances sharing one database never send a message twice, sends
//! them, and records the outcome: `sent`, or another attempt after a back-off, or `failed` after
//! [`MAX_ATTEMPTS`].
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, UpdateMany,
};
use tokio::sync::watch;
use uuid::Uuid;

use super::OutboxStatus;
use super::mailer::{SEND_TIMEOUT, SendError};
use crate::app::AppState;
use crate::db::entities::outbox_message::{self, Column, Entity as Outbox};

/// After this many failed attempts a message is `failed`; an admin can queue it again.
pub const MAX_ATTEMPTS: i32 = 10;
/// How long a claim holds: longer than sending one message may take ([`SEND_TIMEOUT`]).
const LEASE: Duration = Duration::from_secs(60);
/// Messages claimed at once; the rest wait for the next round (or another instance).
const BATCH: usize = 10;
/// How often the worker looks for due messages when nobody wakes it.
const POLL: Duration = Duration::from_secs(1);
/// The longest wait between two attempts.
const MAX_BACKOFF_SECS: u64 = 3600;

/// The wait before the next attempt after `attempts` failed ones: base, 2×base, 4×base, …,
/// at most an hour.
pub fn backoff_secs(base_secs: u64, attempts: i32) -> u64 {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    base_secs
        .saturating_mul(1u64 << doublings)
        .min(MAX_BACKOFF_SECS)
}

/// Runs until `stop` turns true (or its sender is gone): a round of sending, then a wait of
/// [`POLL`] or until [`AppState::wake_mail_worker`] is called.
pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    tracing::info!(mailer = state.mailer.kind(), "outbox worker started");
    loop {
        match send_due(&state, Some(&stop)).await {
            // A full batch: more may be due, go on without waiting.
            Ok(handled) if handled == BATCH => continue,
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "outbox worker: database error"),
        }
        if *stop.borrow() {
            break;
        }
        tokio::select! {
            changed = stop.changed() => if changed.is_err() || *stop.borrow() { break },
            () = state.mail_wake.notified() => {},
            () = tokio::time::sleep(POLL) => {},
        }
    }
    tracing::info!("outbox worker stopped");
}

/// One round: claims the due messages (at most a batch) and sends them. Returns how many it
/// tried. For tests that turn the background worker off and drive it themselves.
pub async fn run_once(state: &AppState) -> Result<usize, DbErr> {
    send_due(state, None).await
}

async fn send_due(state: &AppState, stop: Option<&watch::Receiver<bool>>) -> Result<usize, DbErr> {
    let now = Utc::now();
    let lease_until = now + LEASE;
    let claimed = claim(&state.db, now, lease_until, BATCH).await?;
    let mut tried = 0;
    for message in &claimed {
        let stopping = stop.is_some_and(|s| *s.borrow());
        // Sending past the lease could let another instance claim and send it as well.
        if stopping || Utc::now() + SEND_TIMEOUT >= lease_until {
            release(&state.db, message.id).await?;
            continue;
        }
        let outcome = state.mailer.send(message).await;
        record(state, message, outcome).await?;
        tried += 1;
    }
    Ok(tried)
}

/// Takes a lease on up to `limit` due messages and returns them, oldest first. One statement:
/// `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED) RETURNING *` on PostgreSQL,
/// where concurrent claimers skip each other's rows; on SQLite, which runs one writer at a time,
/// the same statement without the lock clause is atomic by itself.
pub async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<outbox_message::Model>, DbErr> {
    let mut claimed = claim_statement(now, lease_until, limit)
        .exec_with_returning(db)
        .await?;
    claimed.sort_by_key(|m| (m.created_at, m.id));
    Ok(claimed)
}

fn claim_statement(
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: usize,
) -> UpdateMany<Outbox> {
    let due = Outbox::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Status.eq(OutboxStatus::Queued.as_str()))
        .filter(Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(Column::LockedUntil.is_null())
                .add(Column::LockedUntil.lt(now)),
        )
        .order_by_asc(Column::NextAttemptAt)
        .limit(limit as u64)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .into_query();
    Outbox::update_many()
        .col_expr(Column::LockedUntil, Expr::value(lease_until))
        .filter(Column::Id.in_subquery(due))
}

/// Gives a claimed message back unsent (the worker is stopping or its lease is nearly over).
async fn release(db: &DatabaseConnection, id: Uuid) -> Result<(), DbErr> {
    Outbox::update_many()
        .col_expr(
            Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(OutboxStatus::Queued.as_str()))
        .exec(db)
        .await
        .map(|_| ())
}

async fn record(
    state: &AppState,
    message: &outbox_message::Model,
    outcome: Result<(), SendError>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let attempts = message.attempts.saturating_add(1);
    let no_lease = Expr::value(Option::<DateTime<Utc>>::None);
    let update = Outbox::update_many()
        .col_expr(Column::Attempts, Expr::value(attempts))
        .col_expr(Column::LockedUntil, no_lease)
        .filter(Column::Id.eq(message.id))
        .filter(Column::Status.eq(OutboxStatus::Queued.as_str()));
    let update = match outcome {
        Ok(()) => {
            tracing::info!(message_id = %message.id, attempts, "email sent");
            update
                .col_expr(Column::Status, Expr::value(OutboxStatus::Sent.as_str()))
                .col_expr(Column::SentAt, Expr::value(Some(now)))
                .col_expr(Column::LastError, Expr::value(Option::<String>::None))
        }
        Err(err) => {
            let give_up = attempts >= MAX_ATTEMPTS;
            let wait = backoff_secs(state.config.mail_retry_base_secs, attempts);
            let next = now + chrono::Duration::seconds(i64::try_from(wait).unwrap_or(i64::MAX));
            tracing::warn!(message_id = %message.id, attempts, reason = err.kind, give_up,
                retry_in_secs = wait, "email not sent");
            let status = if give_up {
                OutboxStatus::Failed
            } else {
                OutboxStatus::Queued
            };
            update
                .col_expr(Column::Status, Expr::value(status.as_str()))
                .col_expr(Column::LastError, Expr::value(Some(err.message)))
                .col_expr(Column::NextAttemptAt, Expr::value(next))
        }
    };
    update.exec(&state.db).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use sea_orm::DbBackend;

    use super::*;

    #[test]
    fn postgres_claimers_skip_each_others_rows_and_sqlite_needs_no_lock_clause() {
        let now = Utc::now();
        let statement = claim_statement(now, now + LEASE, BATCH);
        let postgres = statement.clone().build(DbBackend::Postgres).to_string();
        assert!(postgres.contains("FOR UPDATE SKIP LOCKED"), "{postgres}");
        assert!(postgres.contains("LIMIT"), "{postgres}");
        let sqlite = statement.build(DbBackend::Sqlite).to_string();
        assert!(!sqlite.contains("FOR UPDATE"), "{sqlite}");
        assert!(sqlite.contains("IN (SELECT"), "{sqlite}");
    }

    #[test]
    fn back_off_doubles_from_the_base_up_to_an_hour() {
        let waits: Vec<_> = (1..=11).map(|n| backoff_secs(5, n)).collect();
        assert_eq!(waits, [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600]);
        assert_eq!(backoff_secs(5, 0), 5);
        assert_eq!(backoff_secs(5, i32::MAX), 3600);
        assert_eq!(backoff_secs(0, 7), 0);
        assert_eq!(backoff_secs(u64::MAX, 3), 3600);
    }
}
