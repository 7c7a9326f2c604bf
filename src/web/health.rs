//! Liveness and readiness for load balancers and orchestration.
use axum::extract::State;
use axum::http::StatusCode;

use crate::app::AppState;

/// The process runs.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers; a load balancer should not send traffic otherwise.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if crate::db::is_ready(&state.db).await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database niet bereikbaar")
    }
}
