//! The reminder job: finds what is due, claims it and queues the emails.
//!
//! Several app instances may run the job at the same moment. Each row is claimed with a
//! conditional UPDATE (`… SET reminder_sent_at = now WHERE … reminder_sent_at IS NULL`) inside
//! the transaction that also queues the email, and an email is queued only when that UPDATE
//! changed the row: on PostgreSQL the second instance waits for the first one's row lock and then
//! finds the column set; on SQLite `BEGIN IMMEDIATE` runs the transactions one after the other.
use std::collections::BTreeMap;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use tokio::sync::watch;
use uuid::Uuid;

use super::{ReportReminder, points, portal_url, reminder_due};
use crate::app::AppState;
use crate::audit::{self, Actor};
use crate::db::entities::{provider, report, visit};
use crate::domain::text::{date_nl, day_nl};
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult};
use crate::mail;
use crate::web::templates::Templates;

/// The report status in which a response is awaited.
const SENT: &str = "verzonden";

pub(super) fn actor() -> Actor {
    Actor {
        id: None,
        name: "herinneringen".into(),
    }
}

/// Queues what is due on the Dutch date of `now`; returns how many deadline reminders and how
/// many improvement-point emails were queued. The caller wakes the mail worker. A failure for
/// one report or provider is logged and the others still go; the first failure is returned.
pub async fn run_once(
    db: &DatabaseConnection,
    templates: &Templates,
    base_url: &str,
    now: DateTime<Utc>,
) -> AppResult<(usize, usize)> {
    let today = dutch_date(now);
    let mut first_error = None;

    let candidates = report::Entity::find()
        .filter(report::Column::Status.eq(SENT))
        .filter(report::Column::ReminderSentAt.is_null())
        .filter(report::Column::ResponseDue.gte(today))
        .order_by_asc(report::Column::ResponseDue)
        .all(db)
        .await?;
    let mut reminded = 0;
    for found in candidates {
        match remind_report(db, templates, base_url, &found, now).await {
            Ok(sent) => reminded += usize::from(sent),
            Err(err) => {
                tracing::error!(report_id = %found.id, error = %err, "report reminder failed");
                first_error.get_or_insert(err);
            }
        }
    }

    let per_provider = points::due_per_provider(db, today).await?;
    let mut announced = 0;
    for (provider_id, items) in per_provider {
        match points::announce(db, templates, base_url, provider_id, items, now).await {
            Ok(sent) => announced += usize::from(sent),
            Err(err) => {
                tracing::error!(%provider_id, error = %err, "improvement point reminder failed");
                first_error.get_or_insert(err);
            }
        }
    }
    if reminded + announced > 0 {
        tracing::info!(reminded, announced, "reminders queued");
    }
    match first_error {
        Some(err) => Err(err),
        None => Ok((reminded, announced)),
    }
}

pub(super) async fn provider_of(db: &DatabaseConnection, id: Uuid) -> AppResult<provider::Model> {
    provider::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("report without provider"))
}

pub(super) async fn visit_start(
    db: &DatabaseConnection,
    found: &report::Model,
) -> AppResult<DateTime<Utc>> {
    let the_visit = visit::Entity::find_by_id(found.visit_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("report without visit"))?;
    Ok(the_visit.starts_at)
}

/// One report's reminder, if its window is open and no instance claimed it yet.
async fn remind_report(
    db: &DatabaseConnection,
    templates: &Templates,
    base_url: &str,
    found: &report::Model,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let Some(due) = found.response_due else {
        return Ok(false);
    };
    if !reminder_due(due, dutch_date(now)) {
        return Ok(false);
    }
    let the_provider = provider_of(db, found.provider_id).await?;
    let visit_day = day_nl(visit_start(db, found).await?);
    let txn = crate::db::begin_write(db).await?;
    let claimed = report::Entity::update_many()
        .col_expr(report::Column::ReminderSentAt, Expr::value(now))
        .filter(report::Column::Id.eq(found.id))
        // A response that arrived meanwhile makes the reminder moot.
        .filter(report::Column::Status.eq(SENT))
        .filter(report::Column::ReminderSentAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    let context = ReportReminder {
        provider: the_provider.name.clone(),
        visit_day,
        deadline: date_nl(due),
        portal_url: portal_url(base_url, found.id),
    };
    mail::enqueue(
        &txn,
        templates,
        &the_provider.email,
        "report_reminder",
        &context,
    )
    .await?;
    let changes = BTreeMap::from([("reminder_sent_at".to_string(), json!({"new": now}))]);
    audit::record(
        &txn,
        &actor(),
        "report.reminder_sent",
        "report",
        &found.id.to_string(),
        changes,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Runs [`run_once`] at start and then every hour until `stop` turns true, waking the mail
/// worker when something was queued. Hourly rather than daily: the rules depend on the Dutch
/// date, and a daily run keeps the time of day the instance happened to start at, so a
/// reminder could leave up to a day late — a third of a 3-working-day window. An hourly run
/// sends within an hour of the date turning; a run that finds nothing costs two small queries,
/// and the claims make every repeat harmless.
pub async fn run_hourly(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        match run_once(
            &state.db,
            &state.templates,
            &state.config.base_url,
            Utc::now(),
        )
        .await
        {
            Ok((0, 0)) => {}
            Ok(_) => state.wake_mail_worker(),
            Err(err) => {
                tracing::error!(error = %err, "reminder job failed");
                // What was queued before the failure still deserves to leave now.
                state.wake_mail_worker();
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(StdDuration::from_secs(60 * 60)) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
