//! Who is making the request. The API takes `Authorization: Bearer <token>`; HTML pages take the
//! session cookie. Both are sessions in the database, so every app instance sees the same ones.
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum_extra::extract::cookie::CookieJar;
use uuid::Uuid;

use crate::app::AppState;
use crate::auth::sessions;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};

pub const SESSION_COOKIE: &str = "toezicht_sessie";

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub region_code: Option<String>,
    pub provider_id: Option<Uuid>,
    pub calendar_token: String,
    /// The hash of the session this request came with (to end it on sign-out).
    pub session_hash: String,
}

impl CurrentUser {
    /// Refuses (403) a user whose role may never do this.
    pub fn require_role(&self, allowed: &[Role]) -> AppResult<()> {
        if allowed.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "Uw rol geeft geen toegang tot deze functie.".into(),
            ))
        }
    }
}

/// The signed-in user, or `None`; cached in the request so that the page and its layout look it
/// up once.
#[derive(Clone)]
struct Resolved(Option<CurrentUser>);

pub async fn resolve(parts: &mut Parts, state: &AppState) -> AppResult<Option<CurrentUser>> {
    if let Some(Resolved(user)) = parts.extensions.get::<Resolved>() {
        return Ok(user.clone());
    }
    // Nested routers see the path without its prefix; the original URI tells an API call.
    let path = parts
        .extensions
        .get::<OriginalUri>()
        .map_or_else(|| parts.uri.path(), |original| original.0.path());
    let is_api = path.starts_with("/api/");
    let user = from_headers(&parts.headers, state, is_api).await?;
    parts.extensions.insert(Resolved(user.clone()));
    Ok(user)
}

/// A bearer token that does not work is an error (401); a stale cookie just means "signed out".
pub async fn from_headers(
    headers: &HeaderMap,
    state: &AppState,
    is_api: bool,
) -> AppResult<Option<CurrentUser>> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(AppError::Unauthorized)?;
        return match sessions::user_for_token(&state.db, token).await? {
            Some(user) => Ok(Some(user)),
            None => Err(AppError::Unauthorized),
        };
    }
    if is_api {
        return Ok(None);
    }
    let jar = CookieJar::from_headers(headers);
    match jar.get(SESSION_COOKIE) {
        Some(cookie) => Ok(sessions::user_for_token(&state.db, cookie.value()).await?),
        None => Ok(None),
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        resolve(parts, state).await?.ok_or(AppError::Unauthorized)
    }
}

/// For pages anyone may see, whose layout differs when someone is signed in.
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        resolve(parts, state).await.map(MaybeUser)
    }
}
