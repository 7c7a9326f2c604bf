//! The feeds: `GET /api/v1/calendar.ics` for API clients (bearer token) and
//! `GET /calendar/{token}.ics`, the secret address a calendar app subscribes to (it cannot sign
//! in, so the token in the address is the credential).
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::app::AppState;
use crate::auth::tokens;
use crate::calendar::{events, ics};
use crate::db::entities::user;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult, Problem};
use crate::web::current_user::CurrentUser;

/// The signed-in inspector's visits as an RFC 5545 calendar.
#[utoipa::path(get, path = "/calendar.ics", tag = "visits", security(("bearer" = [])),
    responses(
        (status = 200, description = "One VEVENT per non-cancelled visit the inspector takes part in; UID `{visit id}@toezicht`",
         content_type = "text/calendar", body = String),
        (status = 401, body = Problem),
        (status = 403, description = "Only inspectors have a calendar", body = Problem)))]
pub async fn api_feed(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require_role(&[Role::Inspector])?;
    calendar(&state, user.id, &user.name).await
}

/// The feed behind the secret address. An unknown token, one of a user who is not (or no
/// longer) an active inspector, and a replaced one all get the same 404 as any unknown page,
/// so the answer tells nothing about which tokens ever existed.
pub async fn secret_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    // axum cannot match a parameter and a literal suffix in one segment, so `.ics` is ours.
    let token = file
        .strip_suffix(".ics")
        .filter(|t| tokens::looks_like_token(t))
        .ok_or(AppError::NotFound)?;
    // The lookup on the unique column is the comparison: there is no stored token to hold the
    // sent one against byte by byte.
    let owner = user::Entity::find()
        .filter(user::Column::CalendarToken.eq(token))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.eq(Role::Inspector.as_str()))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    calendar(&state, owner.id, &owner.name).await
}

async fn calendar(state: &AppState, inspector_id: Uuid, name: &str) -> AppResult<Response> {
    let events = events::of_inspector(&state.db, inspector_id, &state.config.base_url).await?;
    let body = ics::render(&format!("Bezoeken {name}"), &events);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            // A private feed: no shared cache may keep it.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            // Stricter than the global `same-origin`: the address itself is the secret.
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
        ],
        body,
    )
        .into_response())
}
