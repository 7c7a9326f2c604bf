//! The assessment framework (*toetsingskader*): versioned themes, criteria and rating scale.
//! Versions are only ever added, never changed, so a visit scored against an older version keeps
//! its criteria. Everyone signed in reads it; admins publish new versions (API or upload page).
pub mod api;
pub mod domain;
pub mod pages;
pub mod queries;
pub mod rules;
pub mod seed;
pub mod upload;

use axum::Router;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::current))
        .routes(routes!(api::list_versions, api::publish))
        .routes(routes!(api::version))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/toetsingskader", get(pages::current))
        .route(
            "/toetsingskader/nieuw",
            get(pages::new_form).post(pages::publish),
        )
        .route("/toetsingskader/{id}", get(pages::version))
}
