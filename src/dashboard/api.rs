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
    let code = super::region_code_for(&user, &code)?;
    // The figures are one statement; the read transaction gives it a plan made once per
    // connection, and the risk scores computed after it (if any are not kept) the same snapshot
    // (`db::begin_read`).
    let txn = crate::db::begin_read(&state.db).await?;
    let (dashboard, _) =
        figures::dashboard(&txn, &state.config.risk_weights, &code, Utc::now(), false).await?;
    txn.commit().await?;
    Ok(Json(dashboard))
}
