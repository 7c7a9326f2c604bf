//! `/toetsingskader` (the framework in force, and earlier versions at `/toetsingskader/{id}`) for
//! admins and inspectors; `/toetsingskader/nieuw`, where an admin publishes a new version by
//! pasting its JSON.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::api::FrameworkDocument;
use super::domain::FrameworkDoc;
use super::queries;
use super::upload::parse_text;
use crate::app::AppState;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult, FieldError};
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::current_user::CurrentUser;
use crate::web::templates::Layout;

const PATH: &str = "/toetsingskader";

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    gepubliceerd: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    document: String,
}

#[derive(Serialize)]
struct FrameworkPage {
    #[serde(flatten)]
    layout: Layout,
    version: String,
    published_on: String,
    is_current: bool,
    themes: Vec<ThemeRow>,
    ratings: Vec<RatingRow>,
    versions: Vec<VersionRow>,
    can_publish: bool,
    published: bool,
}

#[derive(Serialize)]
struct ThemeRow {
    code: String,
    title: String,
    legal_basis: String,
    criteria: Vec<CriterionRow>,
}

#[derive(Serialize)]
struct CriterionRow {
    code: String,
    title: String,
    description: String,
}

#[derive(Serialize)]
struct RatingRow {
    code: &'static str,
    label: String,
    points: String,
}

#[derive(Serialize)]
struct VersionRow {
    href: String,
    version: String,
    published_on: String,
    is_current: bool,
    is_shown: bool,
}

#[derive(Serialize)]
struct NewVersionPage {
    #[serde(flatten)]
    layout: Layout,
    document: String,
    errors: Vec<FieldError>,
}

pub async fn current(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Query(query): Query<ShowQuery>,
) -> AppResult<(CsrfToken, Html<String>)> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    let doc = queries::current(&state.db).await?;
    let html = render(&state, &user, &csrf, &doc, query.gepubliceerd.is_some()).await?;
    Ok((csrf, html))
}

pub async fn version(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> AppResult<(CsrfToken, Html<String>)> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let doc = queries::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let html = render(&state, &user, &csrf, &doc, false).await?;
    Ok((csrf, html))
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    doc: &FrameworkDoc,
    published: bool,
) -> AppResult<Html<String>> {
    let versions = queries::versions(&state.db).await?;
    let title = if doc.is_current {
        "Toetsingskader".to_string()
    } else {
        format!("Toetsingskader: {}", doc.version)
    };
    let page = FrameworkPage {
        layout: Layout::new(title, Some(user), &csrf.value, PATH),
        version: doc.version.clone(),
        published_on: date_nl(doc.published_at),
        is_current: doc.is_current,
        themes: doc
            .themes
            .iter()
            .map(|t| ThemeRow {
                code: t.code.clone(),
                title: t.title.clone(),
                legal_basis: t.legal_basis.clone(),
                criteria: t
                    .criteria
                    .iter()
                    .map(|c| CriterionRow {
                        code: c.code.clone(),
                        title: c.title.clone(),
                        description: c.description.clone(),
                    })
                    .collect(),
            })
            .collect(),
        ratings: doc
            .ratings
            .iter()
            .map(|level| RatingRow {
                code: level.code.as_str(),
                label: level.label.clone(),
                points: level
                    .points
                    .map_or_else(|| "telt niet mee".to_string(), |p| p.to_string()),
            })
            .collect(),
        versions: versions
            .into_iter()
            .map(|v| VersionRow {
                href: format!("{PATH}/{}", v.id),
                published_on: date_nl(v.published_at),
                is_shown: v.id == doc.id,
                is_current: v.is_current,
                version: v.version,
            })
            .collect(),
        can_publish: user.role == Role::Admin,
        published,
    };
    state.templates.page("framework/show", &page)
}

pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
) -> AppResult<(CsrfToken, Html<String>)> {
    user.require_role(&[Role::Admin])?;
    // Start from the version in force: most new versions are edits of it.
    let doc = queries::current(&state.db).await?;
    let document =
        serde_json::to_string_pretty(&FrameworkDocument::from(&doc)).map_err(AppError::internal)?;
    let html = render_form(&state, &user, &csrf, document, Vec::new())?;
    Ok((csrf, html))
}

pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<PublishForm>,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let (status, errors) = match parse_text(&form.document) {
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        Ok(framework) => match queries::publish(&state.db, &framework, user.id).await {
            Ok(doc) => {
                tracing::info!(user_id = %user.id, version_id = %doc.id, "framework version published");
                return Ok(Redirect::to(&format!("{PATH}?gepubliceerd=1")).into_response());
            }
            Err(AppError::Conflict(message)) => (
                StatusCode::CONFLICT,
                vec![FieldError::new("version", message)],
            ),
            Err(other) => return Err(other),
        },
    };
    let html = render_form(&state, &user, &csrf, form.document, errors)?;
    Ok((status, csrf, html).into_response())
}

fn render_form(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    document: String,
    errors: Vec<FieldError>,
) -> AppResult<Html<String>> {
    let page = NewVersionPage {
        layout: Layout::new("Nieuwe versie publiceren", Some(user), &csrf.value, PATH),
        document,
        errors,
    };
    state.templates.page("framework/new", &page)
}

/// A date as people in the Netherlands read it: "22 november 2026", on the Amsterdam calendar.
fn date_nl(at: DateTime<Utc>) -> String {
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let local = (at + amsterdam_offset(at)).date_naive();
    let month = MONTHS[local.month0() as usize];
    format!("{} {month} {}", local.day(), local.year())
}

/// CET or CEST: summer time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the
/// last Sunday of October (EU rule), which is all a date needs.
fn amsterdam_offset(at: DateTime<Utc>) -> Duration {
    let switch = |month: u32| {
        NaiveDate::from_ymd_opt(at.year(), month, 31)
            .map(|last| last - Duration::days(i64::from(last.weekday().num_days_from_sunday())))
            .and_then(|sunday| sunday.and_hms_opt(1, 0, 0))
            .map(|naive| naive.and_utc())
    };
    match (switch(3), switch(10)) {
        (Some(start), Some(end)) if at >= start && at < end => Duration::hours(2),
        _ => Duration::hours(1),
    }
}

#[cfg(test)]
mod tests {
    use super::date_nl;
    use chrono::{TimeZone, Utc};

    #[test]
    fn dates_are_written_in_dutch_on_the_amsterdam_calendar() {
        let at = |y, m, d, h, min| Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap();
        assert_eq!(date_nl(at(2026, 11, 22, 10, 0)), "22 november 2026");
        assert_eq!(
            date_nl(at(2026, 12, 31, 23, 30)),
            "1 januari 2027",
            "CET is UTC+1"
        );
        assert_eq!(
            date_nl(at(2026, 6, 30, 22, 30)),
            "1 juli 2026",
            "CEST is UTC+2"
        );
        assert_eq!(date_nl(at(2026, 10, 24, 22, 30)), "25 oktober 2026");
        // Summer time ends on 25 October 2026 at 01:00 UTC.
        assert_eq!(date_nl(at(2026, 10, 25, 22, 30)), "25 oktober 2026");
        assert_eq!(
            date_nl(at(2026, 3, 29, 0, 30)),
            "29 maart 2026",
            "still CET"
        );
        assert_eq!(
            date_nl(at(2026, 3, 29, 22, 30)),
            "30 maart 2026",
            "CEST from 01:00 UTC"
        );
    }
}
