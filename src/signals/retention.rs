//! Retention (DOMAIN.md "Privacy"): the reporter's name and email address of a signal closed
//! longer than the retention period are erased; the signal itself is kept (15 years, Wmo
//! art. 5.3.4). Each erasure is in the audit log — which fields, never their values.
use std::collections::BTreeMap;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;
use tokio::sync::watch;

use crate::audit::{self, Actor};
use crate::db::entities::{outbox_message, signal};
use crate::error::AppResult;
use crate::signals::rules::SignalStatus;

/// What an erased recipient address reads in the outbox (`.invalid` can never be delivered).
pub const ERASED_ADDRESS: &str = "gewist@bewaartermijn.invalid";

/// Erases what has passed the retention period; returns the references of the signals erased.
pub async fn erase_expired_contacts(
    db: &DatabaseConnection,
    retention_days: u32,
    now: DateTime<Utc>,
) -> AppResult<Vec<String>> {
    let cutoff = now - Duration::days(i64::from(retention_days));
    let due = signal::Entity::find()
        .filter(signal::Column::Status.eq(SignalStatus::Afgesloten.as_str()))
        .filter(signal::Column::ClosedAt.lt(cutoff))
        .filter(signal::Column::ContactErasedAt.is_null())
        .filter(
            Condition::any()
                .add(signal::Column::ContactName.is_not_null())
                .add(signal::Column::ContactEmail.is_not_null()),
        )
        .all(db)
        .await?;
    let actor = Actor {
        id: None,
        name: "bewaartermijn".into(),
    };
    let mut erased = Vec::new();
    for found in due {
        let txn = crate::db::begin_write(db).await?;
        // Conditional, so two app instances running the job at once erase (and log) it once.
        let result = signal::Entity::update_many()
            .col_expr(
                signal::Column::ContactName,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                signal::Column::ContactEmail,
                Expr::value(Option::<String>::None),
            )
            .col_expr(signal::Column::ContactErasedAt, Expr::value(now))
            .filter(signal::Column::Id.eq(found.id))
            .filter(signal::Column::ContactErasedAt.is_null())
            .exec(&txn)
            .await?;
        if result.rows_affected == 1 {
            let mut fields = Vec::new();
            if found.contact_name.is_some() {
                fields.push("contact_name");
            }
            if found.contact_email.is_some() {
                fields.push("contact_email");
            }
            let changes = BTreeMap::from([
                ("erased".to_string(), json!(fields)),
                ("retention_days".to_string(), json!(retention_days)),
            ]);
            audit::record(
                &txn,
                &actor,
                "signal.contact_erased",
                "signal",
                &found.id.to_string(),
                changes,
            )
            .await?;
            // The emails sent to the reporter keep the address too: erase it there as well.
            if let Some(address) = &found.contact_email {
                outbox_message::Entity::update_many()
                    .col_expr(
                        outbox_message::Column::ToAddress,
                        Expr::value(ERASED_ADDRESS),
                    )
                    .filter(outbox_message::Column::ToAddress.eq(address.as_str()))
                    .filter(outbox_message::Column::Subject.contains(found.reference.as_str()))
                    .exec(&txn)
                    .await?;
            }
            erased.push(found.reference);
        }
        txn.commit().await?;
    }
    if !erased.is_empty() {
        tracing::info!(
            count = erased.len(),
            retention_days,
            "erased reporters' contact details"
        );
    }
    Ok(erased)
}

/// Runs the erasure at start and then once a day, until `stop` turns true.
pub async fn run_daily(
    db: DatabaseConnection,
    retention_days: u32,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if let Err(err) = erase_expired_contacts(&db, retention_days, Utc::now()).await {
            tracing::error!(error = %err, "retention job failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(StdDuration::from_secs(24 * 60 * 60)) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// Every minute: forgets the rate limit's attempts that no longer count (see
/// `queries::submission_key`), so a hashed address is kept for two minutes at most.
pub async fn run_submission_purge(db: DatabaseConnection, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(err) = purge_submissions(&db).await {
            tracing::error!(error = %err, "purging rate-limit attempts failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(StdDuration::from_secs(60)) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

async fn purge_submissions(db: &DatabaseConnection) -> AppResult<()> {
    // A write like any other: on SQLite it takes its turn (`db::begin_write`).
    let txn = crate::db::begin_write(db).await?;
    crate::signals::queries::purge_submissions(&txn, Utc::now()).await?;
    txn.commit().await?;
    Ok(())
}
