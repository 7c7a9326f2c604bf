//! `/aanbieders/import`: an admin uploads a municipality's provider list (CSV).
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::app::AppState;
use crate::audit::Actor;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use crate::providers::csv_io::{self, RowError};
use crate::web::csrf::{self, CsrfToken};
use crate::web::current_user::CurrentUser;
use crate::web::templates::Layout;

/// Spreadsheets of a few thousand providers fit easily.
pub const MAX_UPLOAD: usize = 5 * 1024 * 1024;

#[derive(Serialize)]
struct ImportPage {
    #[serde(flatten)]
    layout: Layout,
    done: bool,
    file_error: Option<String>,
    rows: usize,
    valid: usize,
    stored: usize,
    errors: Vec<RowError>,
    error_count: usize,
    valid_only: bool,
}

fn empty(layout: Layout) -> ImportPage {
    ImportPage {
        layout,
        done: false,
        file_error: None,
        rows: 0,
        valid: 0,
        stored: 0,
        errors: Vec::new(),
        error_count: 0,
        valid_only: false,
    }
}

pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let page = empty(Layout::new(
        "Aanbieders importeren",
        Some(&user),
        &csrf.value,
        "/aanbieders",
    ));
    Ok((csrf, state.templates.page("providers/import", &page)?).into_response())
}

pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let unreadable = |_| AppError::BadRequest("het bestand kon niet worden ontvangen".into());
    let (mut sent_token, mut file, mut valid_only) = (None, None, false);
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf_token") => sent_token = Some(field.text().await.map_err(unreadable)?),
            Some("file") => file = Some(field.bytes().await.map_err(unreadable)?),
            Some("valid_only") => valid_only = field.text().await.map_err(unreadable)? == "ja",
            _ => {}
        }
    }
    csrf::verify(&headers, sent_token.as_deref())?;
    let mut page = empty(Layout::new(
        "Aanbieders importeren",
        Some(&user),
        &csrf.value,
        "/aanbieders",
    ));
    page.valid_only = valid_only;
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        page.file_error = Some("Kies een CSV-bestand om te importeren.".into());
        let html = state.templates.page("providers/import", &page)?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, html).into_response());
    };
    let outcome = csv_io::import(&state.db, &Actor::from(&user), &bytes, valid_only).await?;
    tracing::info!(user_id = %user.id, rows = outcome.checked.rows, stored = outcome.stored, "provider import");
    let status = if outcome.stored == 0
        && (outcome.checked.file_error.is_some() || !outcome.checked.errors.is_empty())
    {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.done = true;
    page.rows = outcome.checked.rows;
    page.valid = outcome.checked.valid.len();
    page.stored = outcome.stored;
    page.file_error = outcome.checked.file_error;
    page.error_count = outcome.checked.errors.len();
    page.errors = outcome.checked.errors;
    let html = state.templates.page("providers/import", &page)?;
    Ok((status, csrf, html).into_response())
}
