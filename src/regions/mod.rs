//! GGD regions and municipalities: the public reference list, and the admin's override of which
//! region supervises a municipality (DOMAIN.md "Regions in practice").
pub mod api;
pub mod queries;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_regions))
        .routes(routes!(api::set_supervising_region))
}
