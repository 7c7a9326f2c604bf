//! Completing a visit: it becomes `uitgevoerd` and a concept report is made, with an improvement
//! point for every criterion that is not (fully) met, due three months later by default.
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{Months, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};
use uuid::Uuid;

use crate::app::AppState;
use crate::audit::{self, Actor};
use crate::db::entities::{improvement_point, report, visit_rating};
use crate::domain::role::Role;
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult, Problem};
use crate::framework::domain::Rating;
use crate::reports::view::{self, ReportView};
use crate::visits::assessment::framework_of;
use crate::visits::queries::{self, Scope};
use crate::visits::rules::VisitStatus;
use crate::visits::scoring;
use crate::visits::summaries;
use crate::web::current_user::CurrentUser;
use crate::web::parse_id;

pub const IMPROVEMENT_MONTHS: u32 = 3;

/// Complete the visit (inspector of the region): a concept report with its improvement points.
#[utoipa::path(post, path = "/visits/{id}/complete", tag = "visits", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 201, body = ReportView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, description = "Not planned, still in the future, or nothing assessed", body = Problem)))]
pub async fn complete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<(StatusCode, Json<ReportView>)> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    let report = run(
        &state.db,
        &Scope::of(&user),
        &Actor::from(&user),
        parse_id(&id)?,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(report)))
}

/// Completes a planned visit that has started and has at least one assessed criterion.
pub async fn run(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: &Actor,
    id: Uuid,
) -> AppResult<ReportView> {
    let txn = crate::db::begin_write(db).await?;
    let found = queries::find(&txn, scope, id).await?;
    if found.status != VisitStatus::Gepland.as_str() {
        return Err(AppError::Conflict(
            "Dit bezoek is al afgerond of geannuleerd.".into(),
        ));
    }
    let now = Utc::now();
    if found.starts_at > now {
        return Err(AppError::Conflict(
            "Een bezoek dat nog moet beginnen kan niet worden afgerond.".into(),
        ));
    }
    let ratings = visit_rating::Entity::find()
        .filter(visit_rating::Column::VisitId.eq(found.id))
        .all(&txn)
        .await?;
    let assessed = ratings
        .iter()
        .filter_map(|r| Rating::parse(&r.rating))
        .filter(|r| scoring::points(*r).is_some())
        .count();
    if assessed == 0 {
        return Err(AppError::Conflict(
            "Beoordeel eerst minstens één criterium.".into(),
        ));
    }
    let framework = framework_of(&txn, &found).await?;
    let created = report::ActiveModel {
        id: Set(Uuid::new_v4()),
        visit_id: Set(found.id),
        provider_id: Set(found.provider_id),
        region_code: Set(found.region_code.clone()),
        framework_version_id: Set(found.framework_version_id),
        status: Set("concept".into()),
        summary: Set(String::new()),
        advice: Set(String::new()),
        theme_findings: Set("{}".into()),
        sent_at: Set(None),
        response_due: Set(None),
        response_text: Set(None),
        response_received_at: Set(None),
        finalized_at: Set(None),
        reminder_sent_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let due = dutch_date(now)
        .checked_add_months(Months::new(IMPROVEMENT_MONTHS))
        .unwrap_or(dutch_date(now));
    for rating in &ratings {
        if !matches!(
            Rating::parse(&rating.rating),
            Some(Rating::VoldoetNiet | Rating::VoldoetDeels)
        ) {
            continue;
        }
        let title = framework
            .criterion(&rating.criterion_code)
            .map(|c| c.title.clone())
            .unwrap_or_default();
        let finding = rating.finding.clone().unwrap_or_default();
        improvement_point::ActiveModel {
            id: Set(Uuid::new_v4()),
            report_id: Set(created.id),
            criterion_code: Set(rating.criterion_code.clone()),
            description: Set(format!("{title}. Bevinding: {finding}")),
            due_date: Set(due),
            status: Set("open".into()),
            created_at: Set(now),
            resolved_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let mut done = found.clone().into_active_model();
    done.status = Set(VisitStatus::Uitgevoerd.as_str().into());
    done.updated_at = Set(now);
    done.update(&txn).await?;
    // What the dashboard and the risk ranking read of this visit, now that it is final.
    summaries::record_completed(&txn, &found, &framework, &ratings).await?;
    let changes = std::collections::BTreeMap::from([(
        "status".to_string(),
        serde_json::json!({"old": "gepland", "new": "uitgevoerd"}),
    )]);
    audit::record(
        &txn,
        actor,
        "visit.completed",
        "visit",
        &found.id.to_string(),
        changes,
    )
    .await?;
    let result = view::load(&txn, created).await?;
    txn.commit().await?;
    Ok(result)
}
