//! `/api/v1/session` and `/api/v1/me`.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::auth::sessions::{self, SessionKind};
use crate::db::entities::user;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult, FieldError, Problem};
use crate::web::current_user::CurrentUser;
use crate::web::json::ApiJson;

#[derive(Debug, Deserialize, ToSchema)]
pub struct SessionRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub region_code: Option<String>,
    pub provider_id: Option<Uuid>,
    /// Inspectors only: the secret iCalendar feed URL of their visits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_url: Option<String>,
}

impl UserView {
    fn from_model(user: &user::Model) -> AppResult<Self> {
        Ok(UserView {
            id: user.id,
            email: user.email.clone(),
            name: user.name.clone(),
            role: Role::parse(&user.role).ok_or_else(|| AppError::internal("unknown role"))?,
            region_code: user.region_code.clone(),
            provider_id: user.provider_id,
            calendar_url: None,
        })
    }
}

/// Sign in; returns a bearer token for the other endpoints.
#[utoipa::path(post, path = "/session", tag = "auth",
    request_body = SessionRequest,
    responses(
        (status = 201, body = SessionResponse),
        (status = 401, description = "Wrong email or password (one answer for both)", body = Problem),
        (status = 422, body = Problem),
        (status = 429, description = "5 failures for this email within 15 minutes", body = Problem),
    ))]
pub async fn create_session(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SessionRequest>,
) -> AppResult<(StatusCode, Json<SessionResponse>)> {
    let mut errors = Vec::new();
    if body.email.trim().is_empty() {
        errors.push(FieldError::new("email", "Vul uw e-mailadres in."));
    }
    if body.password.is_empty() {
        errors.push(FieldError::new("password", "Vul uw wachtwoord in."));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let signed_in = sessions::sign_in(
        &state.db,
        &body.email,
        &body.password,
        SessionKind::Api,
        state.config.session_ttl_hours,
    )
    .await?;
    tracing::info!(user_id = %signed_in.user.id, "signed in (api)");
    Ok((
        StatusCode::CREATED,
        Json(SessionResponse {
            token: signed_in.token,
            expires_at: signed_in.expires_at,
            user: UserView::from_model(&signed_in.user)?,
        }),
    ))
}

/// Sign out: the token stops working.
#[utoipa::path(delete, path = "/session", tag = "auth",
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn delete_session(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<StatusCode> {
    sessions::end_session(&state.db, &user.session_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(get, path = "/me", tag = "auth",
    security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 401, body = Problem)))]
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> Json<UserView> {
    let calendar_url = (user.role == Role::Inspector)
        .then(|| crate::calendar::feed_url(&state.config.base_url, &user.calendar_token));
    Json(UserView {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        region_code: user.region_code,
        provider_id: user.provider_id,
        calendar_url,
    })
}
