//! Signals (meldingen): public intake and follow-up, the GGD's triage, providers' calamity
//! reports, retention of contact details.
pub mod api;
pub mod change;
pub mod create;
pub mod export;
pub mod input;
pub mod intake;
pub mod notify;
pub mod public_form;
pub mod queries;
pub mod reference;
pub mod retention;
pub mod rules;
pub mod staff_common;
pub mod staff_detail;
pub mod staff_list;
pub mod status_page;
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
        .route("/melding", get(public_form::form).post(public_form::submit))
        .route(
            "/melding/status",
            get(status_page::status_form).post(status_page::status_lookup),
        )
        .route("/meldingen", get(staff_list::list))
        .route("/meldingen/export.csv", get(export::export))
        .route(
            "/meldingen/{id}",
            get(staff_detail::show).post(staff_detail::act),
        )
}
