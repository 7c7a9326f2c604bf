//! `/api/v1/reports`: reading, editing the concept, sending, the provider's response,
//! finalising, and the improvement points' status (API.md "Reports").
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::AppState;
use crate::audit::Actor;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult, Problem};
use crate::reports::edit::ReportEdit;
use crate::reports::lifecycle;
use crate::reports::notify::Notifier;
use crate::reports::points;
use crate::reports::queries::{self, ListFilter, Scope};
use crate::reports::rules::{PointStatus, ReportStatus};
use crate::reports::view::{self, ImprovementPointView, ReportView};
use crate::web::current_user::CurrentUser;
use crate::web::json::ApiJson;
use crate::web::pagination::{Page, Paging};
use crate::web::parse_id;
use crate::web::query::ApiQuery;

fn staff(user: &CurrentUser) -> AppResult<Scope> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    Ok(Scope::of(user))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ListQuery {
    pub provider_id: Option<Uuid>,
    pub status: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Reports, newest first: admins all, inspectors their region, a provider user its own once sent.
#[utoipa::path(get, path = "/reports", tag = "reports", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Page<ReportView>), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Json<Page<ReportView>>> {
    let paging = Paging::new(query.page, query.per_page)?;
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(ReportStatus::parse(s).ok_or_else(|| {
            AppError::validation("status", format!("Kies uit: {}.", ReportStatus::codes()))
        })?),
        None => None,
    };
    let filter = ListFilter {
        provider_id: query.provider_id,
        status,
        ..ListFilter::default()
    };
    let (items, total) = queries::list(&state.db, &Scope::of(&user), &filter, paging).await?;
    let mut views = Vec::with_capacity(items.len());
    for item in items {
        views.push(view::load(&state.db, item).await?);
    }
    Ok(Json(Page::new(views, total, paging)))
}

/// One report (404 when it does not exist or is not visible: a concept for a provider user).
#[utoipa::path(get, path = "/reports/{id}", tag = "reports", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = ReportView), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<ReportView>> {
    let found = queries::find(&state.db, &Scope::of(&user), parse_id(&id)?).await?;
    Ok(Json(view::load(&state.db, found).await?))
}

/// Edit a concept: `summary`, `advice`, and the complete list of `improvement_points`.
#[utoipa::path(patch, path = "/reports/{id}", tag = "reports", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = ReportEdit,
    responses((status = 200, body = ReportView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, description = "Not a concept", body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReportEdit>,
) -> AppResult<Json<ReportView>> {
    let scope = staff(&user)?;
    let updated = lifecycle::edit(
        &state.db,
        &scope,
        &Actor::from(&user),
        parse_id(&id)?,
        &body,
    )
    .await?;
    Ok(Json(view::load(&state.db, updated).await?))
}

/// Send the concept to the provider: `verzonden`, a response deadline of 10 working days, an email.
#[utoipa::path(post, path = "/reports/{id}/send", tag = "reports", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = ReportView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, description = "Not a concept", body = Problem)))]
pub async fn send(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<ReportView>> {
    let scope = staff(&user)?;
    let notifier = Notifier::of(&state);
    let sent = lifecycle::send(
        &state.db,
        &notifier,
        &scope,
        &Actor::from(&user),
        parse_id(&id)?,
    )
    .await?;
    state.wake_mail_worker();
    Ok(Json(view::load(&state.db, sent).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResponseRequest {
    pub text: String,
}

/// The provider's response (provider user of that provider), up to and including `response_due`.
#[utoipa::path(post, path = "/reports/{id}/response", tag = "reports", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = ResponseRequest,
    responses((status = 200, body = ReportView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, description = "Too late or not awaiting a response", body = Problem),
              (status = 422, body = Problem)))]
pub async fn respond(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ResponseRequest>,
) -> AppResult<Json<ReportView>> {
    user.require_role(&[Role::Provider])?;
    let scope = Scope::of(&user);
    let updated = lifecycle::respond(
        &state.db,
        &scope,
        &Actor::from(&user),
        parse_id(&id)?,
        &body.text,
    )
    .await?;
    Ok(Json(view::load(&state.db, updated).await?))
}

/// Make the report final (from `verzonden` or `zienswijze_ontvangen`); the provider gets an email.
#[utoipa::path(post, path = "/reports/{id}/finalize", tag = "reports", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = ReportView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn finalize(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<ReportView>> {
    let scope = staff(&user)?;
    let notifier = Notifier::of(&state);
    let done = lifecycle::finalize(
        &state.db,
        &notifier,
        &scope,
        &Actor::from(&user),
        parse_id(&id)?,
    )
    .await?;
    state.wake_mail_worker();
    Ok(Json(view::load(&state.db, done).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PointPatch {
    /// `opgelost`, or `open` to send a point the provider reported as done back.
    pub status: PointStatus,
    /// A note for the provider (why it is not yet solved).
    pub note: Option<String>,
}

fn point_view(p: crate::db::entities::improvement_point::Model) -> ImprovementPointView {
    ImprovementPointView {
        id: p.id,
        criterion: p.criterion_code,
        description: p.description,
        due_date: p.due_date,
        status: p.status,
        provider_note: p.provider_note,
        reported_done_at: p.provider_done_at,
        inspector_note: p.inspector_note,
    }
}

/// Confirm an improvement point as solved, or open it again (inspector).
#[utoipa::path(patch, path = "/reports/{id}/improvement-points/{point_id}", tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path), ("point_id" = String, Path)), request_body = PointPatch,
    responses((status = 200, body = ImprovementPointView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_point(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, point_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<PointPatch>,
) -> AppResult<Json<ImprovementPointView>> {
    let scope = staff(&user)?;
    let updated = points::set_status(
        &state.db,
        &scope,
        &Actor::from(&user),
        parse_id(&id)?,
        parse_id(&point_id)?,
        body.status,
        body.note.as_deref(),
    )
    .await?;
    Ok(Json(point_view(updated)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DoneRequest {
    pub explanation: String,
}

/// The provider reports an improvement point as done, for the inspector to confirm.
#[utoipa::path(post, path = "/reports/{id}/improvement-points/{point_id}/done", tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path), ("point_id" = String, Path)), request_body = DoneRequest,
    responses((status = 200, body = ImprovementPointView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn report_done(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, point_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<DoneRequest>,
) -> AppResult<Json<ImprovementPointView>> {
    user.require_role(&[Role::Provider])?;
    let updated = points::provider_done(
        &state.db,
        &Scope::of(&user),
        &Actor::from(&user),
        parse_id(&id)?,
        parse_id(&point_id)?,
        Some(&body.explanation),
    )
    .await?;
    Ok(Json(point_view(updated)))
}
