//! Visits (inspectiebezoeken): planning, assessment against the framework, completion.
pub mod api;
pub mod assessment;
pub mod complete;
pub mod plan;
pub mod queries;
pub mod rules;
pub mod scoring;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::create, api::list))
        .routes(routes!(api::show, api::update))
        .routes(routes!(assessment::put, assessment::get))
        .routes(routes!(complete::complete))
}
