//! The register of contracted providers (aanbieders): API, pages, CSV import and export.
pub mod api;
pub mod csv_io;
pub mod input;
pub mod queries;
pub mod view;

use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::create, api::list))
        .routes(routes!(api::show, api::update))
        .routes(routes!(api::public_list))
}

pub fn router() -> Router<AppState> {
    Router::new()
}
