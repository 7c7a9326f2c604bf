//! Improvement points after the report has gone out: the provider reports a point as done with a
//! short explanation; the inspector confirms it (`opgelost`) or sends it back (`open`, with a note).
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::db::entities::improvement_point;
use crate::error::{AppError, AppResult};
use crate::reports::edit::MAX_POINT;
use crate::reports::queries::{self, Scope};
use crate::reports::rules::{PointStatus, ReportStatus};

fn note(field: &str, text: Option<&str>, required: bool) -> AppResult<Option<String>> {
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    match text {
        None if required => Err(AppError::validation(
            field,
            "Licht kort toe wat er is gedaan.",
        )),
        Some(t) if t.chars().count() > MAX_POINT => Err(AppError::validation(
            field,
            format!("Deze toelichting is te lang (hoogstens {MAX_POINT} tekens)."),
        )),
        other => Ok(other.map(str::to_string)),
    }
}

async fn point_of(
    db: &crate::db::WriteTxn,
    scope: &Scope,
    report_id: Uuid,
    point_id: Uuid,
) -> AppResult<(ReportStatus, improvement_point::Model)> {
    let report = queries::find(db, scope, report_id).await?;
    let status = ReportStatus::parse(&report.status)
        .ok_or_else(|| AppError::internal("report with an unknown status"))?;
    let point = improvement_point::Entity::find_by_id(point_id)
        .filter(improvement_point::Column::ReportId.eq(report.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((status, point))
}

/// The inspector marks a point solved, or opens it again with a note for the provider.
pub async fn set_status(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: &Actor,
    report_id: Uuid,
    point_id: Uuid,
    status: PointStatus,
    inspector_note: Option<&str>,
) -> AppResult<improvement_point::Model> {
    let inspector_note = note("note", inspector_note, false)?;
    let txn = crate::db::begin_write(db).await?;
    let (report_status, point) = point_of(&txn, scope, report_id, point_id).await?;
    if report_status == ReportStatus::Concept {
        return Err(AppError::Conflict(
            "De verbeterpunten van een concept wijzigt u in het rapport zelf.".into(),
        ));
    }
    let before = point.status.clone();
    let mut active = point.into_active_model();
    active.status = Set(status.as_str().into());
    match status {
        PointStatus::Opgelost => active.resolved_at = Set(Some(Utc::now())),
        PointStatus::Open => {
            active.resolved_at = Set(None);
            // Sent back: the provider's "done" no longer stands.
            active.provider_done_at = Set(None);
        }
    }
    if inspector_note.is_some() {
        active.inspector_note = Set(inspector_note);
    }
    let updated = active.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "improvement_point.status",
        "improvement_point",
        &updated.id.to_string(),
        [(
            "status".to_string(),
            json!({"old": before, "new": updated.status}),
        )]
        .into(),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// The provider reports an open point as done, for the inspector to confirm.
pub async fn provider_done(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: &Actor,
    report_id: Uuid,
    point_id: Uuid,
    explanation: Option<&str>,
) -> AppResult<improvement_point::Model> {
    let explanation = note("explanation", explanation, true)?;
    let txn = crate::db::begin_write(db).await?;
    let (_, point) = point_of(&txn, scope, report_id, point_id).await?;
    if point.status != PointStatus::Open.as_str() {
        return Err(AppError::Conflict(
            "Dit verbeterpunt is al als opgelost bevestigd.".into(),
        ));
    }
    let mut active = point.into_active_model();
    active.provider_note = Set(explanation);
    active.provider_done_at = Set(Some(Utc::now()));
    active.inspector_note = Set(None);
    let updated = active.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "improvement_point.reported_done",
        "improvement_point",
        &updated.id.to_string(),
        [("provider_done".to_string(), json!(true))].into(),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}
