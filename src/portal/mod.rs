//! `/portaal`: the provider's own pages: its reports (to read, respond to and report improvement
//! points done), its announced visits, and its mandatory calamity and violence reports (Wmo
//! art. 3.4).
pub mod calamity;
pub mod reports;
pub mod visits;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/portaal", get(calamity::overview))
        .route("/portaal/rapporten/{id}", get(reports::show))
        .route("/portaal/rapporten/{id}/reactie", post(reports::respond))
        .route(
            "/portaal/rapporten/{id}/verbeterpunten/{point_id}",
            post(reports::point_done),
        )
        .route(
            "/portaal/calamiteit",
            get(calamity::form).post(calamity::submit),
        )
}
