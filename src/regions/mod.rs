//! GGD regions and municipalities: the public reference list, and the admin's override of which
//! region supervises a municipality (DOMAIN.md "Regions in practice").
pub mod api;
pub mod pages;
pub mod queries;

use axum::Router;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_regions))
        .routes(routes!(api::set_supervising_region))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/beheer/gemeenten", get(pages::page).post(pages::submit))
}
