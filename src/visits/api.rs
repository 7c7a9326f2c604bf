//! `/api/v1/visits`: planning, listing, rescheduling and cancelling.
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::AppState;
use crate::audit::Actor;
use crate::db::entities::visit;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult, Problem};
use crate::providers::queries as providers;
use crate::visits::notify::Notifier;
use crate::visits::plan::{self, NewVisit, Plan};
use crate::visits::queries::{self, Links, ListFilter, Scope};
use crate::visits::rules::{Reason, VisitStatus};
use crate::web::current_user::CurrentUser;
use crate::web::json::ApiJson;
use crate::web::pagination::{Page, Paging};
use crate::web::parse_id;
use crate::web::query::ApiQuery;

#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitRequest {
    pub provider_id: Uuid,
    pub inspector_ids: Vec<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub announced: bool,
    pub reason: Reason,
    #[serde(default)]
    pub signal_ids: Vec<Uuid>,
    /// For a `heronderzoek`: the report whose open improvement points this visit re-examines.
    #[serde(default)]
    pub report_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VisitView {
    pub id: Uuid,
    pub provider_id: Uuid,
    pub inspector_ids: Vec<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub announced: bool,
    pub reason: String,
    pub signal_ids: Vec<Uuid>,
    /// For a heronderzoek: the improvement points it re-examines.
    pub improvement_point_ids: Vec<Uuid>,
    pub region_code: String,
    pub status: String,
    /// The framework version the visit is scored against.
    pub framework_version_id: Uuid,
    pub created_at: DateTime<Utc>,
}

impl VisitView {
    fn new(model: visit::Model, links: Links) -> Self {
        VisitView {
            id: model.id,
            provider_id: model.provider_id,
            inspector_ids: links.inspectors,
            signal_ids: links.signals,
            improvement_point_ids: links.improvement_points,
            starts_at: model.starts_at,
            ends_at: model.ends_at,
            announced: model.announced,
            reason: model.reason,
            region_code: model.region_code,
            status: model.status,
            framework_version_id: model.framework_version_id,
            created_at: model.created_at,
        }
    }
}

impl VisitView {
    /// What a provider user may read: no linked signals, and a visit after a signal or calamity
    /// reads as a routine one (`Reason::for_provider`), so no one can tell a worry was filed.
    fn for_reader(mut self, user: &CurrentUser) -> Self {
        if user.role == Role::Provider {
            self.signal_ids.clear();
            self.reason = Reason::parse(&self.reason)
                .map_or(self.reason, |r| r.for_provider().as_str().to_string());
        }
        self
    }
}

async fn view_of(state: &AppState, model: visit::Model) -> AppResult<VisitView> {
    let links = queries::links(&state.db, &[model.id])
        .await?
        .remove(&model.id)
        .unwrap_or_default();
    Ok(VisitView::new(model, links))
}

fn planner(user: &CurrentUser) -> AppResult<()> {
    user.require_role(&[Role::Admin, Role::Inspector])
}

/// Plan a visit (admin; inspector of the provider's region).
#[utoipa::path(post, path = "/visits", tag = "visits", security(("bearer" = [])), request_body = VisitRequest,
    responses((status = 201, body = VisitView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, description = "Provider unknown or outside the caller's region", body = Problem),
              (status = 409, description = "An inspector already has a visit then", body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<VisitRequest>,
) -> AppResult<(StatusCode, Json<VisitView>)> {
    planner(&user)?;
    // The provider's visibility is checked first: outside the region it does not exist.
    let provider =
        providers::find(&state.db, &providers::Scope::of(&user), body.provider_id).await?;
    let plan = Plan {
        inspector_ids: body.inspector_ids,
        starts_at: body.starts_at,
        ends_at: body.ends_at,
    };
    let new = NewVisit {
        plan,
        announced: body.announced,
        reason: body.reason,
        signal_ids: body.signal_ids,
        report_id: body.report_id,
    };
    let created = plan::create(
        &state.db,
        &Notifier::of(&state),
        &Actor::from(&user),
        &provider,
        new,
    )
    .await?;
    state.wake_mail_worker();
    Ok((StatusCode::CREATED, Json(view_of(&state, created).await?)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ListQuery {
    /// A date (`2026-11-22`) or a moment (RFC 3339): visits that end after it.
    pub from: Option<String>,
    /// A date or a moment: visits that start before it (a date includes that whole day).
    pub to: Option<String>,
    pub provider_id: Option<Uuid>,
    pub inspector_id: Option<Uuid>,
    pub status: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

fn moment(value: &str, field: &str, end_of_day: bool) -> AppResult<DateTime<Utc>> {
    if let Ok(at) = value.parse::<DateTime<Utc>>() {
        return Ok(at);
    }
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        AppError::validation(
            field,
            "Gebruik een datum (2026-11-22) of een tijdstip (2026-11-22T10:00:00Z).",
        )
    })?;
    let day = if end_of_day {
        date.succ_opt().unwrap_or(date)
    } else {
        date
    };
    Ok(day
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc())
        .unwrap_or_default())
}

impl ListQuery {
    pub fn filter(&self) -> AppResult<ListFilter> {
        Ok(ListFilter {
            from: self
                .from
                .as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| moment(v, "from", false))
                .transpose()?,
            to: self
                .to
                .as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| moment(v, "to", true))
                .transpose()?,
            provider_id: self.provider_id,
            inspector_id: self.inspector_id,
            status: match self.status.as_deref().filter(|s| !s.is_empty()) {
                Some(s) => Some(VisitStatus::parse(s).ok_or_else(|| {
                    AppError::validation("status", format!("Kies uit: {}.", VisitStatus::codes()))
                })?),
                None => None,
            },
            newest_first: false,
        })
    }
}

/// Visits in time order: admins all, inspectors their region, a provider user its own visits
/// that were announced or have taken place.
#[utoipa::path(get, path = "/visits", tag = "visits", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Page<VisitView>), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Json<Page<VisitView>>> {
    let paging = Paging::new(query.page, query.per_page)?;
    let (items, total) =
        queries::list(&state.db, &Scope::of(&user), &query.filter()?, paging).await?;
    let ids: Vec<Uuid> = items.iter().map(|v| v.id).collect();
    let mut links = queries::links(&state.db, &ids).await?;
    let items = items
        .into_iter()
        .map(|v| {
            let l = links.remove(&v.id).unwrap_or_default();
            VisitView::new(v, l).for_reader(&user)
        })
        .collect();
    Ok(Json(Page::new(items, total, paging)))
}

/// One visit (404 when it does not exist or is not visible to the caller).
#[utoipa::path(get, path = "/visits/{id}", tag = "visits", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = VisitView), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<VisitView>> {
    let found = queries::find(&state.db, &Scope::of(&user), parse_id(&id)?).await?;
    Ok(Json(view_of(&state, found).await?.for_reader(&user)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct VisitPatch {
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub inspector_ids: Option<Vec<Uuid>>,
    /// Only `geannuleerd`; a visit becomes `uitgevoerd` by completing it.
    pub status: Option<VisitStatus>,
}

/// Reschedule (times, inspectors) or cancel a planned visit; the same checks as planning.
#[utoipa::path(patch, path = "/visits/{id}", tag = "visits", security(("bearer" = [])), params(("id" = String, Path)), request_body = VisitPatch,
    responses((status = 200, body = VisitView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<VisitPatch>,
) -> AppResult<Json<VisitView>> {
    planner(&user)?;
    let scope = Scope::of(&user);
    let id = parse_id(&id)?;
    let cancel = match patch.status {
        None => false,
        Some(VisitStatus::Geannuleerd) => true,
        Some(_) => {
            return Err(AppError::validation(
                "status",
                "Een bezoek kan hier alleen worden geannuleerd; uitvoeren gaat via 'afronden'.",
            ));
        }
    };
    let plan =
        if patch.starts_at.is_some() || patch.ends_at.is_some() || patch.inspector_ids.is_some() {
            let current = queries::find(&state.db, &scope, id).await?;
            let inspectors = match patch.inspector_ids {
                Some(ids) => ids,
                None => {
                    queries::links(&state.db, &[id])
                        .await?
                        .remove(&id)
                        .unwrap_or_default()
                        .inspectors
                }
            };
            Some(Plan {
                inspector_ids: inspectors,
                starts_at: patch.starts_at.unwrap_or(current.starts_at),
                ends_at: patch.ends_at.unwrap_or(current.ends_at),
            })
        } else {
            None
        };
    let updated = plan::update(
        &state.db,
        &Notifier::of(&state),
        &scope,
        &Actor::from(&user),
        id,
        plan,
        cancel,
    )
    .await?;
    state.wake_mail_worker();
    Ok(Json(view_of(&state, updated).await?))
}
