//! The provider's reports in its portal: the list (sent and final, never a concept), the report
//! as a document with the form for its response before the deadline, and reporting an
//! improvement point as done.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::audit::Actor;
use sea_orm::EntityTrait;

use crate::db::entities::report;
use crate::domain::role::Role;
use crate::domain::text::{date_nl, day_nl};
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult};
use crate::reports::document::{self, Document, Reader};
use crate::reports::queries::{self, ListFilter, Scope};
use crate::reports::rules::{self, ReportStatus};
use crate::reports::{lifecycle, points};
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::current_user::CurrentUser;
use crate::web::pagination::Paging;
use crate::web::parse_id;
use crate::web::templates::Layout;

fn provider_only(user: &CurrentUser) -> AppResult<Scope> {
    user.require_role(&[Role::Provider])?;
    Ok(Scope::of(user))
}

#[derive(Serialize)]
pub struct ReportRow {
    id: String,
    visit_day: String,
    status: &'static str,
    response_due: Option<String>,
    awaiting_response: bool,
}

/// The provider's reports for the portal's start page, newest first.
pub async fn for_portal(state: &AppState, user: &CurrentUser) -> AppResult<Vec<ReportRow>> {
    let scope = provider_only(user)?;
    let (items, _) = queries::list(
        &state.db,
        &scope,
        &ListFilter::default(),
        Paging::new(None, Some(50))?,
    )
    .await?;
    let today = dutch_date(Utc::now());
    let mut rows = Vec::with_capacity(items.len());
    for r in items {
        let status = ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Verzonden);
        let day = crate::db::entities::visit::Entity::find_by_id(r.visit_id)
            .one(&state.db)
            .await?
            .map(|v| day_nl(v.starts_at))
            .unwrap_or_default();
        rows.push(ReportRow {
            id: r.id.to_string(),
            visit_day: day,
            status: status.label_nl(),
            response_due: r.response_due.map(date_nl),
            awaiting_response: rules::may_respond(status, r.response_due, today).is_ok(),
        });
    }
    Ok(rows)
}

#[derive(Serialize)]
struct ReportPage {
    #[serde(flatten)]
    layout: Layout,
    notice: Option<&'static str>,
    error: Option<String>,
    doc: Document,
    can_respond: bool,
    response_text: String,
    staff_points: bool,
    provider_points: bool,
}

#[derive(Deserialize)]
pub struct Notice {
    melding: Option<String>,
}

fn notice_text(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "reactie" => {
            "Uw reactie is ontvangen. Zij wordt als bijlage bij het definitieve rapport gevoegd."
        }
        "punt" => {
            "Het verbeterpunt is gereed gemeld. De toezichthouder bevestigt het of neemt contact met u op."
        }
        _ => return None,
    })
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    found: &report::Model,
    notice: Option<&'static str>,
    error: Option<String>,
    response_text: String,
) -> AppResult<Response> {
    let doc = document::build(&state.db, found, Reader::Provider).await?;
    let status = ReportStatus::parse(&found.status).unwrap_or(ReportStatus::Verzonden);
    let today = dutch_date(Utc::now());
    let failed = error.is_some();
    let page = ReportPage {
        layout: Layout::new(
            format!("Rapport {}", doc.cover.visit_day),
            Some(user),
            &csrf.value,
            "/portaal",
        ),
        notice,
        error,
        can_respond: rules::may_respond(status, found.response_due, today).is_ok(),
        response_text,
        staff_points: false,
        provider_points: true,
        doc,
    };
    let code = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        code,
        csrf.clone(),
        state.templates.page("portal/report", &page)?,
    )
        .into_response())
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
    Query(notice): Query<Notice>,
) -> AppResult<Response> {
    let scope = provider_only(&user)?;
    let found = queries::find(&state.db, &scope, parse_id(&id)?).await?;
    render(
        &state,
        &user,
        &csrf,
        &found,
        notice_text(notice.melding.as_deref()),
        None,
        String::new(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct ResponseForm {
    #[serde(default)]
    text: String,
}

/// A refusal shown on the page: a missing text beside the field, a passed deadline at the top.
fn message_of(err: AppError) -> Result<String, AppError> {
    match err {
        AppError::Validation(problems) => Ok(problems
            .into_iter()
            .map(|p| p.message)
            .collect::<Vec<_>>()
            .join(" ")),
        AppError::Conflict(message) => Ok(message),
        other => Err(other),
    }
}

pub async fn respond(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ResponseForm>,
) -> AppResult<Response> {
    let scope = provider_only(&user)?;
    let found = queries::find(&state.db, &scope, parse_id(&id)?).await?;
    match lifecycle::respond(&state.db, &scope, &Actor::from(&user), found.id, &form.text).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/portaal/rapporten/{}?melding=reactie", found.id))
                .into_response(),
        ),
        Err(err) => {
            let message = message_of(err)?;
            render(&state, &user, &csrf, &found, None, Some(message), form.text).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneForm {
    #[serde(default)]
    explanation: String,
}

pub async fn point_done(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path((id, point_id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<DoneForm>,
) -> AppResult<Response> {
    let scope = provider_only(&user)?;
    let found = queries::find(&state.db, &scope, parse_id(&id)?).await?;
    let point_id = parse_id(&point_id)?;
    match points::provider_done(
        &state.db,
        &scope,
        &Actor::from(&user),
        found.id,
        point_id,
        Some(&form.explanation),
    )
    .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/portaal/rapporten/{}?melding=punt", found.id)).into_response(),
        ),
        Err(err) => {
            let message = message_of(err)?;
            render(
                &state,
                &user,
                &csrf,
                &found,
                None,
                Some(message),
                String::new(),
            )
            .await
        }
    }
}
