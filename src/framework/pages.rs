//! `/toetsingskader` (the framework in force, and earlier versions at `/toetsingskader/{id}`) for
//! admins and inspectors; `/toetsingskader/nieuw`, where an admin publishes a new version by
//! pasting its JSON.
use crate::domain::text::day_nl;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
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
        published_on: day_nl(doc.published_at),
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
                published_on: day_nl(v.published_at),
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
