//! `GET /api/v1/regions/{code}/dashboard`.
use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;

use super::figures::{self, Dashboard};
use crate::app::AppState;
use crate::error::{AppResult, Problem};
use crate::web::current_user::CurrentUser;

/// The key figures of a GGD region (admin: any region; inspector: its own).
#[utoipa::path(get, path = "/regions/{code}/dashboard", tag = "regions",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "CBS region code, e.g. GG3406")),
    responses(
        (status = 200, body = Dashboard),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
    ))]
pub async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Dashboard>> {
    let region = super::visible_region(&state.db, &user, &code).await?;
    // One snapshot, so every figure counts the same data (`db::begin_read`).
    let txn = crate::db::begin_read(&state.db).await?;
    let dashboard =
        figures::dashboard(&txn, &state.config.risk_weights, region, Utc::now()).await?;
    txn.commit().await?;
    Ok(Json(dashboard))
}
