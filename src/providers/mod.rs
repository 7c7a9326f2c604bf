//! The register of contracted providers (aanbieders): API, pages, CSV import and export.
pub mod api;
pub mod csv_io;
pub mod form;
pub mod import_page;
pub mod input;
pub mod options;
pub mod pages;
pub mod queries;
pub mod view;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
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
        .route("/aanbieders", get(pages::list).post(form::create))
        .route("/aanbieders/nieuw", get(form::new_form))
        .route("/aanbieders/export.csv", get(pages::export))
        .route(
            "/aanbieders/import",
            get(import_page::form)
                .post(import_page::upload)
                .layer(DefaultBodyLimit::max(import_page::MAX_UPLOAD)),
        )
        .route("/aanbieders/{id}", get(pages::show).post(form::update))
        .route("/aanbieders/{id}/bewerken", get(form::edit_form))
}
