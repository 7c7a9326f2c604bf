//! The region dashboard (`/regio/{code}`, `GET /api/v1/regions/{code}/dashboard`) and the
//! admins' national overview (`/regio`): key figures, series and charts, all counted by the
//! database with aggregate queries.
pub mod api;
pub mod charts;
pub mod figures;
pub mod national;
pub mod page_charts;
pub mod pages;
pub mod queries;
pub mod series;

use axum::Router;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::db::entities::region;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use crate::web::current_user::CurrentUser;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api::dashboard))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/regio", get(national::page))
        .route("/regio/{code}", get(pages::page))
}

/// The region `code` when this user may see its dashboard: admins any, inspectors only their
/// own (another region is "not found", as elsewhere in the app); provider users never (403).
pub async fn visible_region(
    db: &sea_orm::DatabaseConnection,
    user: &CurrentUser,
    code: &str,
) -> AppResult<region::Model> {
    let code = region_code_for(user, code)?;
    figures::find_region(db, &code).await
}

/// The code of the region `code` names (as typed: any case, spaces around) when this user may
/// see that region if it exists; see [`visible_region`].
pub fn region_code_for(user: &CurrentUser, code: &str) -> AppResult<String> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    let code = code.trim().to_uppercase();
    if user.role == Role::Inspector && user.region_code.as_deref() != Some(code.as_str()) {
        return Err(AppError::NotFound);
    }
    Ok(code)
}
