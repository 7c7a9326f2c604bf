//! The steps of a report, each in one write transaction with its audit entry and (where the
//! provider is told) its email in the outbox: edit the concept, send it, the provider's response,
//! finalise, and the improvement points' status.
use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::db::WriteTxn;
use crate::db::entities::{improvement_point, provider, report, visit};
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult};
use crate::reports::edit::{self, ReportEdit};
use crate::reports::notify::{self, Notifier};
use crate::reports::queries::{self, Scope};
use crate::reports::rules::{self, PointStatus, ReportStatus};

fn status_of(report: &report::Model) -> AppResult<ReportStatus> {
    ReportStatus::parse(&report.status)
        .ok_or_else(|| AppError::internal("report with an unknown status"))
}

fn refuse(result: Result<(), rules::Refusal>) -> AppResult<()> {
    result.map_err(|why| AppError::Conflict(why.into()))
}

async fn record(
    txn: &WriteTxn,
    actor: &Actor,
    action: &str,
    id: Uuid,
    changes: BTreeMap<String, serde_json::Value>,
) -> AppResult<()> {
    audit::record(txn, actor, action, "report", &id.to_string(), changes).await
}

fn status_change(from: ReportStatus, to: ReportStatus) -> BTreeMap<String, serde_json::Value> {
    BTreeMap::from([(
        "status".to_string(),
        json!({"old": from.as_str(), "new": to.as_str()}),
    )])
}

async fn visit_and_provider(
    txn: &WriteTxn,
    report: &report::Model,
) -> AppResult<(visit::Model, provider::Model)> {
    let the_visit = visit::Entity::find_by_id(report.visit_id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::internal("report without visit"))?;
    let the_provider = provider::Entity::find_by_id(report.provider_id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::internal("report without provider"))?;
    Ok((the_visit, the_provider))
}

/// Changes a concept's texts and improvement points.
pub async fn edit(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: &Actor,
    id: Uuid,
    input: &ReportEdit,
) -> AppResult<report::Model> {
    let txn = crate::db::begin_write(db).await?;
    let found = queries::find(&txn, scope, id).await?;
    refuse(rules::may_edit(status_of(&found)?))?;
    let (the_visit, _) = visit_and_provider(&txn, &found).await?;
    let framework = crate::visits::assessment::framework_of(&txn, &the_visit).await?;
    let existing = queries::points(&txn, found.id).await?;
    let own: Vec<Uuid> = existing.iter().map(|p| p.id).collect();
    let now = Utc::now();
    let checked =
        edit::check(input, &framework, &own, dutch_date(now)).map_err(AppError::Validation)?;
    let mut changes = BTreeMap::new();
    let mut active = found.clone().into_active_model();
    if let Some(summary) = checked.summary.filter(|s| *s != found.summary) {
        changes.insert("summary".into(), json!("gewijzigd"));
        active.summary = Set(summary);
    }
    if let Some(advice) = checked.advice.filter(|a| *a != found.advice) {
        changes.insert("advice".into(), json!("gewijzigd"));
        active.advice = Set(advice);
    }
    if let Some(findings) = checked.theme_findings {
        let json = serde_json::to_string(&findings).map_err(AppError::internal)?;
        if json != found.theme_findings {
            changes.insert("theme_findings".into(), json!("gewijzigd"));
            active.theme_findings = Set(json);
        }
    }
    if let Some(points) = checked.points {
        let kept: Vec<Uuid> = points.iter().filter_map(|p| p.id).collect();
        let removed: Vec<Uuid> = own
            .iter()
            .copied()
            .filter(|id| !kept.contains(id))
            .collect();
        if !removed.is_empty() {
            improvement_point::Entity::delete_many()
                .filter(improvement_point::Column::Id.is_in(removed.clone()))
                .exec(&txn)
                .await?;
        }
        for point in points {
            let current = point.id.and_then(|id| existing.iter().find(|e| e.id == id));
            let mut row = match current {
                Some(current) => current.clone().into_active_model(),
                None => improvement_point::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    report_id: Set(found.id),
                    status: Set(PointStatus::Open.as_str().into()),
                    created_at: Set(now),
                    resolved_at: Set(None),
                    ..Default::default()
                },
            };
            row.criterion_code = Set(point.criterion);
            row.description = Set(point.description);
            row.due_date = Set(point.due_date);
            // `save` would update a row whose key is set; a new point must be inserted.
            if current.is_some() {
                row.update(&txn).await?;
            } else {
                row.insert(&txn).await?;
            }
        }
        changes.insert(
            "improvement_points".into(),
            json!({"removed": removed.len()}),
        );
    }
    active.updated_at = Set(now);
    let updated = active.update(&txn).await?;
    if !changes.is_empty() {
        record(&txn, actor, "report.edited", found.id, changes).await?;
    }
    txn.commit().await?;
    Ok(updated)
}

/// Sends the concept to the provider: its deadline starts, and it gets an email.
pub async fn send(
    db: &DatabaseConnection,
    notifier: &Notifier<'_>,
    scope: &Scope,
    actor: &Actor,
    id: Uuid,
) -> AppResult<report::Model> {
    let txn = crate::db::begin_write(db).await?;
    let found = queries::find(&txn, scope, id).await?;
    let status = status_of(&found)?;
    refuse(rules::may_send(status))?;
    let now = Utc::now();
    let mut active = found.clone().into_active_model();
    active.status = Set(ReportStatus::Verzonden.as_str().into());
    active.sent_at = Set(Some(now));
    active.response_due = Set(Some(rules::response_due(dutch_date(now))));
    active.updated_at = Set(now);
    let updated = active.update(&txn).await?;
    let (the_visit, the_provider) = visit_and_provider(&txn, &updated).await?;
    let points = queries::points(&txn, updated.id).await?.len();
    notify::sent(&txn, notifier, &the_provider, &the_visit, &updated, points).await?;
    let changes = status_change(status, ReportStatus::Verzonden);
    record(&txn, actor, "report.sent", updated.id, changes).await?;
    txn.commit().await?;
    Ok(updated)
}

/// The provider's response (hoor en wederhoor), up to and including the due date.
pub async fn respond(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: &Actor,
    id: Uuid,
    text: &str,
) -> AppResult<report::Model> {
    let txn = crate::db::begin_write(db).await?;
    let found = queries::find(&txn, scope, id).await?;
    let status = status_of(&found)?;
    let now = Utc::now();
    // Too late or already answered says so first; the text matters only when it may be sent.
    refuse(rules::may_respond(
        status,
        found.response_due,
        dutch_date(now),
    ))?;
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::validation(
            "text",
            "Schrijf uw reactie op het rapport.",
        ));
    }
    if text.chars().count() > edit::MAX_TEXT {
        return Err(AppError::validation(
            "text",
            format!(
                "Uw reactie is te lang (hoogstens {} tekens).",
                edit::MAX_TEXT
            ),
        ));
    }
    let mut active = found.into_active_model();
    active.status = Set(ReportStatus::ZienswijzeOntvangen.as_str().into());
    active.response_text = Set(Some(text.to_string()));
    active.response_received_at = Set(Some(now));
    active.updated_at = Set(now);
    let updated = active.update(&txn).await?;
    let changes = status_change(status, ReportStatus::ZienswijzeOntvangen);
    record(&txn, actor, "report.response", updated.id, changes).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Makes the report final and tells the provider.
pub async fn finalize(
    db: &DatabaseConnection,
    notifier: &Notifier<'_>,
    scope: &Scope,
    actor: &Actor,
    id: Uuid,
) -> AppResult<report::Model> {
    let txn = crate::db::begin_write(db).await?;
    let found = queries::find(&txn, scope, id).await?;
    let status = status_of(&found)?;
    refuse(rules::may_finalize(status))?;
    let now = Utc::now();
    let mut active = found.into_active_model();
    active.status = Set(ReportStatus::Definitief.as_str().into());
    active.finalized_at = Set(Some(now));
    active.updated_at = Set(now);
    let updated = active.update(&txn).await?;
    let (the_visit, the_provider) = visit_and_provider(&txn, &updated).await?;
    let points = queries::points(&txn, updated.id).await?.len();
    notify::finalized(&txn, notifier, &the_provider, &the_visit, &updated, points).await?;
    let changes = status_change(status, ReportStatus::Definitief);
    record(&txn, actor, "report.finalized", updated.id, changes).await?;
    txn.commit().await?;
    Ok(updated)
}
