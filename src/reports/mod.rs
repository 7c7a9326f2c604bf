//! Reports (onderzoeksrapporten): created in `concept` when a visit is completed; sending,
//! the provider's response and finalising follow in this area.
pub mod api;
pub mod document;
pub mod edit;
pub mod export;
pub mod lifecycle;
pub mod list_page;
pub mod notify;
pub mod open_data;
pub mod pages;
pub mod points;
pub mod queries;
pub mod reminders;
pub mod rules;
pub mod table;
pub mod view;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list))
        .routes(routes!(api::show, api::update))
        .routes(routes!(api::send))
        .routes(routes!(api::respond))
        .routes(routes!(api::finalize))
        .routes(routes!(api::update_point))
        .routes(routes!(api::report_done))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/rapporten", get(list_page::list))
        .route("/rapporten/export.csv", get(export::export))
        .route(
            "/open-data/{region_code}/scores.csv",
            get(open_data::scores),
        )
        .route(
            "/rapporten/{id}",
            // Summary, advice, six theme findings and every point: more than 64 KiB of text.
            get(pages::show)
                .post(pages::update)
                .layer(DefaultBodyLimit::max(512 * 1024)),
        )
        .route("/rapporten/{id}/versturen", post(pages::send))
        .route("/rapporten/{id}/definitief", post(pages::finalize))
        .route(
            "/rapporten/{id}/verbeterpunten/{point_id}",
            post(pages::point),
        )
}
