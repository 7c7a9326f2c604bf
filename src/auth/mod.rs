//! Sign-in: users, argon2id passwords, database sessions (bearer tokens for the API, cookies for
//! the pages), throttling.
pub mod api;
pub mod pages;
pub mod password;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::create_session, api::delete_session))
        .routes(routes!(api::me))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/account", get(pages::account))
}
