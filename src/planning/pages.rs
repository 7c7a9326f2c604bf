//! `/regio/{code}/planning`: the proposal as a page, with one-click planning per row.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::api::{PlanResponse, build};
use super::gather::WindowQuery;
use super::propose::ProposedVisit;
use crate::app::AppState;
use crate::db::entities::region;
use crate::domain::local_time::{monday_of, parse_date};
use crate::domain::role::Role;
use crate::domain::text::date_nl;
use crate::error::{AppError, AppResult};
use crate::providers::queries as providers;
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::current_user::CurrentUser;
use crate::web::templates::Layout;

#[derive(Serialize, Default)]
struct Errors {
    from: Option<String>,
    weeks: Option<String>,
    capacity_per_week: Option<String>,
}

#[derive(Serialize)]
struct SummaryItem {
    href: String,
    message: String,
}

#[derive(Serialize)]
struct Row {
    provider_id: Uuid,
    name: String,
    score: u32,
    level: String,
    due: String,
    mandatory: bool,
    reasons: Vec<String>,
    week_start: String,
}

#[derive(Serialize)]
struct WeekView {
    heading: String,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct PlanningPage {
    #[serde(flatten)]
    layout: Layout,
    region_code: String,
    region_name: String,
    from: String,
    weeks: String,
    capacity_per_week: String,
    has_errors: bool,
    summary: Vec<SummaryItem>,
    errors: Errors,
    notice: Option<String>,
    can_plan: bool,
    weeks_list: Vec<WeekView>,
    already_planned: Vec<Row>,
    shortfall: Vec<Row>,
    has_proposal: bool,
}

fn row(v: ProposedVisit, week_start: String) -> Row {
    Row {
        provider_id: v.provider_id,
        name: v.name,
        score: v.risk.score,
        level: v.risk.level,
        due: v.due.map_or_else(|| "nooit bezocht".into(), date_nl),
        mandatory: v.mandatory,
        reasons: v.reasons,
        week_start,
    }
}

/// The page for `query`: the proposal, or the form with its problems (422).
async fn render(
    state: &AppState,
    user: &CurrentUser,
    csrf: CsrfToken,
    region: region::Model,
    query: &WindowQuery,
    notice: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<Response> {
    let mut page = PlanningPage {
        layout: Layout::new(
            format!("Planning {}", region.name),
            Some(user),
            &csrf.value,
            &format!("/regio/{}", region.code),
        ),
        region_code: region.code.clone(),
        region_name: region.name.clone(),
        from: query.from.clone().unwrap_or_default(),
        weeks: query.weeks.clone().unwrap_or_default(),
        capacity_per_week: query.capacity_per_week.clone().unwrap_or_default(),
        has_errors: false,
        summary: Vec::new(),
        errors: Errors::default(),
        can_plan: user.role == Role::Inspector,
        has_proposal: false,
        notice,
        weeks_list: Vec::new(),
        already_planned: Vec::new(),
        shortfall: Vec::new(),
    };
    let status = match build(state, region, query, now).await {
        Ok(plan) => {
            fill(&mut page, plan);
            if page.notice.is_some() {
                StatusCode::CONFLICT
            } else {
                StatusCode::OK
            }
        }
        Err(AppError::Validation(problems)) => {
            for p in problems {
                let slot = match p.field.as_str() {
                    "from" => &mut page.errors.from,
                    "weeks" => &mut page.errors.weeks,
                    _ => &mut page.errors.capacity_per_week,
                };
                *slot = Some(p.message.clone());
                page.summary.push(SummaryItem {
                    href: format!("#{}", p.field),
                    message: p.message,
                });
            }
            page.has_errors = true;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(other) => return Err(other),
    };
    let html = state.templates.page("planning/region", &page)?;
    Ok((status, csrf, html).into_response())
}

fn fill(page: &mut PlanningPage, plan: PlanResponse) {
    page.from = plan.from.to_string();
    page.weeks = plan.weeks.to_string();
    page.capacity_per_week = plan.capacity_per_week.to_string();
    page.has_proposal = true;
    page.weeks_list = plan
        .weeks_list
        .into_iter()
        .map(|w| WeekView {
            heading: format!("Week {} (vanaf {})", w.week_number, date_nl(w.week_start)),
            rows: w
                .visits
                .into_iter()
                .map(|v| row(v, w.week_start.to_string()))
                .collect(),
        })
        .collect();
    page.already_planned = plan
        .already_planned
        .into_iter()
        .map(|v| row(v, String::new()))
        .collect();
    page.shortfall = plan
        .shortfall
        .into_iter()
        .map(|v| row(v, String::new()))
        .collect();
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(code): Path<String>,
    Query(query): Query<WindowQuery>,
) -> AppResult<Response> {
    let region = crate::dashboard::visible_region(&state.db, &user, &code).await?;
    render(&state, &user, csrf, region, &query, None, Utc::now()).await
}

#[derive(Debug, Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    provider_id: String,
    #[serde(default)]
    week_start: String,
    from: Option<String>,
    weeks: Option<String>,
    capacity_per_week: Option<String>,
}

/// "Inplannen": plans the visit in the chosen week and opens it, so the inspector can adjust the
/// time; a week without a free morning shows the proposal again with a message.
pub async fn schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<PlanForm>,
) -> AppResult<Response> {
    let region = crate::dashboard::visible_region(&state.db, &user, &code).await?;
    if user.role != Role::Inspector {
        return Err(AppError::Forbidden(
            "Alleen een toezichthouder plant bezoeken in de eigen agenda.".into(),
        ));
    }
    let provider_id = Uuid::parse_str(form.provider_id.trim())
        .map_err(|_| AppError::validation("provider_id", "Kies een aanbieder."))?;
    let week_start = parse_date(&form.week_start)
        .map(monday_of)
        .map_err(|m| AppError::validation("week_start", m))?;
    let provider = providers::find(&state.db, &providers::Scope::of(&user), provider_id).await?;
    // Only active providers of this region are supervised (and proposed).
    if provider.region_code != region.code || !provider.active {
        return Err(AppError::NotFound);
    }
    let now = Utc::now();
    if let Some(created) =
        super::schedule::in_week(&state, &user, &provider, week_start, now).await?
    {
        state.wake_mail_worker();
        return Ok(
            Redirect::to(&format!("/bezoeken/{}?melding=gepland", created.id)).into_response(),
        );
    }
    let notice = format!(
        "In week {} (vanaf {}) heeft u geen vrije ochtend meer voor een bezoek aan {}. Kies een andere week of plan het bezoek zelf in.",
        crate::domain::local_time::week_number(week_start),
        date_nl(week_start),
        provider.name
    );
    let query = WindowQuery {
        from: form.from,
        weeks: form.weeks,
        capacity_per_week: form.capacity_per_week,
    };
    render(&state, &user, csrf, region, &query, Some(notice), now).await
}
