//! `GET /api/v1/framework`, `GET /api/v1/framework/versions[/{id}]` and
//! `POST /api/v1/framework/versions` (API.md "Assessment framework").
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::domain::{FrameworkDoc, Rating};
use super::queries;
use super::rules::validate;
use super::upload::FrameworkUpload;
use crate::app::AppState;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult, Problem};
use crate::web::current_user::CurrentUser;
use crate::web::json::ApiJson;

/// A version as the API serves it: the contract's document plus its id and publication.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkView {
    pub id: Uuid,
    pub published_at: DateTime<Utc>,
    pub is_current: bool,
    #[serde(flatten)]
    pub document: FrameworkDocument,
}

/// The contract's shape, also what an upload looks like (and what the upload page starts from).
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkDocument {
    pub version: String,
    /// The rating codes in scale order.
    pub ratings: Vec<Rating>,
    pub themes: Vec<ThemeView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThemeView {
    pub code: String,
    pub title: String,
    pub legal_basis: String,
    pub criteria: Vec<CriterionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionView {
    pub code: String,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionSummary {
    pub id: Uuid,
    pub version: String,
    pub published_at: DateTime<Utc>,
    pub is_current: bool,
}

impl From<&FrameworkDoc> for FrameworkDocument {
    fn from(doc: &FrameworkDoc) -> Self {
        FrameworkDocument {
            version: doc.version.clone(),
            ratings: doc.ratings.iter().map(|level| level.code).collect(),
            themes: doc
                .themes
                .iter()
                .map(|theme| ThemeView {
                    code: theme.code.clone(),
                    title: theme.title.clone(),
                    legal_basis: theme.legal_basis.clone(),
                    criteria: theme
                        .criteria
                        .iter()
                        .map(|c| CriterionView {
                            code: c.code.clone(),
                            title: c.title.clone(),
                            description: c.description.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl From<&FrameworkDoc> for FrameworkView {
    fn from(doc: &FrameworkDoc) -> Self {
        FrameworkView {
            id: doc.id,
            published_at: doc.published_at,
            is_current: doc.is_current,
            document: doc.into(),
        }
    }
}

/// The framework version in force, for every signed-in user.
#[utoipa::path(get, path = "/framework", tag = "framework",
    security(("bearer" = [])),
    responses((status = 200, body = FrameworkView), (status = 401, body = Problem)))]
pub async fn current(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> AppResult<Json<FrameworkView>> {
    let doc = queries::current(&state.db).await?;
    Ok(Json((&doc).into()))
}

/// Every version ever published, newest first.
#[utoipa::path(get, path = "/framework/versions", tag = "framework",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<VersionSummary>), (status = 401, body = Problem)))]
pub async fn list_versions(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> AppResult<Json<Vec<VersionSummary>>> {
    let versions = queries::versions(&state.db).await?;
    Ok(Json(
        versions
            .into_iter()
            .map(|v| VersionSummary {
                id: v.id,
                version: v.version,
                published_at: v.published_at,
                is_current: v.is_current,
            })
            .collect(),
    ))
}

/// One version, current or earlier, in the same shape as `/framework`.
#[utoipa::path(get, path = "/framework/versions/{id}", tag = "framework",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The version's id")),
    responses(
        (status = 200, body = FrameworkView),
        (status = 401, body = Problem), (status = 404, body = Problem),
    ))]
pub async fn version(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<FrameworkView>> {
    // A malformed id cannot name a version: the same 404 as an unknown one.
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let doc = queries::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json((&doc).into()))
}

/// Admin: publish a new version, which becomes current at once. Earlier versions stay as they
/// were. Leave `ratings` out for the standard scale.
#[utoipa::path(post, path = "/framework/versions", tag = "framework",
    security(("bearer" = [])),
    request_body = FrameworkUpload,
    responses(
        (status = 201, body = FrameworkView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem, description = "A version with this name exists"),
        (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem),
    ))]
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    // Taken as a `Result` so that a non-admin hears 403 before anything about the body.
    body: Result<ApiJson<FrameworkUpload>, AppError>,
) -> AppResult<(
    StatusCode,
    [(header::HeaderName, String); 1],
    Json<FrameworkView>,
)> {
    user.require_role(&[Role::Admin])?;
    let ApiJson(upload) = body?;
    let framework = validate(upload).map_err(AppError::Validation)?;
    let doc = queries::publish(&state.db, &framework, user.id).await?;
    tracing::info!(user_id = %user.id, version_id = %doc.id, "framework version published");
    let location = format!("/api/v1/framework/versions/{}", doc.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json((&doc).into()),
    ))
}
