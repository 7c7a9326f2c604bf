//! The iCalendar feed of an inspector's visits (API.md "Visits", last item): rendering (pure,
//! `ics`), which visits and how they read (`events`), the two feeds, and renewing the secret
//! address from the account page.
pub mod events;
pub mod feed;
pub mod ics;
pub mod link;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

/// The secret address of an inspector's feed, as `/me` and the account page show it.
pub fn feed_url(base_url: &str, token: &str) -> String {
    format!("{base_url}/calendar/{token}.ics")
}

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(feed::api_feed))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calendar/{file}", get(feed::secret_feed))
        .route("/account/agenda-link", post(link::renew))
}
