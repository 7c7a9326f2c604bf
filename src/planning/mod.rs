//! Planning proposals (`GET /api/v1/regions/{code}/plan`, `/regio/{code}/planning`): which
//! providers to visit in which week, from the 3-year visit cycle and the risk score, and
//! one-click planning of a proposed visit in the inspector's agenda.
pub mod api;
pub mod gather;
pub mod pages;
pub mod propose;
pub mod schedule;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api::plan))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/regio/{code}/planning", get(pages::page))
        .route("/regio/{code}/planning/inplannen", post(pages::schedule))
}
