//! `GET /api/v1/regions/{code}/plan`: the planning proposal of a region.
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::gather::{WindowQuery, candidates, window_or_422};
use super::propose::{ProposedVisit, Week, propose};
use crate::app::AppState;
use crate::dashboard::figures::RegionRef;
use crate::db::entities::region;
use crate::error::{AppResult, Problem};
use crate::web::current_user::CurrentUser;
use crate::web::query::ApiQuery;

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanResponse {
    pub region: RegionRef,
    /// The Monday of the first week.
    pub from: NaiveDate,
    pub weeks: u32,
    pub capacity_per_week: u32,
    pub weeks_list: Vec<Week>,
    /// Providers with a planned visit in the window: left out of the proposal.
    pub already_planned: Vec<ProposedVisit>,
    /// Providers that must be visited in the window (3-year cycle) but do not fit.
    pub shortfall: Vec<ProposedVisit>,
}

/// The proposal for a visible region (the caller checked access).
pub async fn build(
    state: &AppState,
    region: region::Model,
    query: &WindowQuery,
    now: DateTime<Utc>,
) -> AppResult<PlanResponse> {
    let window = window_or_422(query, now)?;
    let found = candidates(
        &state.db,
        &state.config.risk_weights,
        &region.code,
        &window,
        now,
    )
    .await?;
    let proposal = propose(&found, window.from, window.weeks, window.capacity_per_week);
    Ok(PlanResponse {
        region: RegionRef {
            code: region.code,
            name: region.name,
        },
        from: window.from,
        weeks: window.weeks,
        capacity_per_week: window.capacity_per_week,
        weeks_list: proposal.weeks,
        already_planned: proposal.already_planned,
        shortfall: proposal.shortfall,
    })
}

/// A proposal of which providers to visit in which week: every provider due for its 3-yearly
/// visit within the window first, then the highest risk (admin: any region; inspector: its own).
#[utoipa::path(get, path = "/regions/{code}/plan", tag = "regions",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "CBS region code, e.g. GG1106"), WindowQuery),
    responses(
        (status = 200, body = PlanResponse),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem),
    ))]
pub async fn plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    ApiQuery(query): ApiQuery<WindowQuery>,
) -> AppResult<Json<PlanResponse>> {
    let region = crate::dashboard::visible_region(&state.db, &user, &code).await?;
    Ok(Json(build(&state, region, &query, Utc::now()).await?))
}
