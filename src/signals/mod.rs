//! Signals (meldingen): public intake and follow-up, the GGD's triage, providers' calamity
//! reports, retention of contact details.
pub mod api;
pub mod change;
pub mod create;
pub mod input;
pub mod notify;
pub mod public_pages;
pub mod queries;
pub mod retention;
pub mod rules;
pub mod staff_pages;
pub mod view;

use axum::Router;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::create, api::list))
        .routes(routes!(api::status))
        .routes(routes!(api::show, api::update))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/melding",
            get(public_pages::form).post(public_pages::submit),
        )
        .route(
            "/melding/status",
            get(public_pages::status_form).post(public_pages::status_lookup),
        )
        .route("/meldingen", get(staff_pages::list))
        .route(
            "/meldingen/{id}",
            get(staff_pages::show).post(staff_pages::act),
        )
}
