//! Visits (inspectiebezoeken): planning, assessment against the framework, completion.
pub mod api;
pub mod assessment;
pub mod complete;
pub mod notify;
pub mod pages;
pub mod plan;
pub mod queries;
pub mod rules;
pub mod scoring;
pub mod summaries;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::create, api::list))
        .routes(routes!(api::show, api::update))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(assessment::put, assessment::get))
                .layer(DefaultBodyLimit::max(assessment::MAX_BODY)),
        )
        .routes(routes!(complete::complete))
}

pub fn router() -> Router<AppState> {
    use pages::{assess, detail, export, form, list};
    Router::new()
        .route("/bezoeken", get(list::agenda))
        .route("/bezoeken/export.csv", get(export::export))
        .route("/bezoeken/nieuw", get(form::new_form).post(form::create))
        .route("/bezoeken/{id}", get(detail::show))
        .route(
            "/bezoeken/{id}/wijzigen",
            get(form::edit_form).post(form::update),
        )
        .route("/bezoeken/{id}/annuleren", post(form::cancel))
        .route("/bezoeken/{id}/afronden", post(form::complete))
        .route(
            "/bezoeken/{id}/beoordeling",
            get(assess::form)
                .post(assess::save_all)
                .layer(DefaultBodyLimit::max(assessment::MAX_BODY)),
        )
        .route(
            "/bezoeken/{id}/beoordeling/criterium",
            post(assess::save_one),
        )
}
