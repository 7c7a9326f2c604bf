//! `GET /api/v1/regions` and `PUT /api/v1/municipalities/{code}/supervising-region`.
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::AppState;
use crate::db::entities::municipality;
use crate::domain::role::Role;
use crate::error::{AppResult, Problem};
use crate::regions::queries;
use crate::web::current_user::CurrentUser;
use crate::web::json::ApiJson;

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionView {
    pub code: String,
    pub name: String,
    pub municipalities: Vec<MunicipalityView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MunicipalityView {
    pub code: String,
    pub name: String,
    pub province: String,
    /// The CBS (statistical) region; differs from the region it is listed under when an admin
    /// set another supervising region.
    pub cbs_region_code: String,
}

impl From<municipality::Model> for MunicipalityView {
    fn from(m: municipality::Model) -> Self {
        MunicipalityView {
            code: m.code,
            name: m.name,
            province: m.province,
            cbs_region_code: m.cbs_region_code,
        }
    }
}

/// The 25 GGD regions, each with the municipalities it supervises.
#[utoipa::path(get, path = "/regions", tag = "regions",
    responses((status = 200, body = Vec<RegionView>)))]
pub async fn list_regions(State(state): State<AppState>) -> AppResult<Json<Vec<RegionView>>> {
    let regions = queries::regions_with_municipalities(&state.db).await?;
    Ok(Json(
        regions
            .into_iter()
            .map(|(region, members)| RegionView {
                code: region.code,
                name: region.name,
                municipalities: members.into_iter().map(Into::into).collect(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SupervisingRegionRequest {
    /// The GGD region that supervises this municipality; `null` returns it to its CBS region.
    pub region_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupervisingRegionView {
    pub code: String,
    pub name: String,
    pub cbs_region_code: String,
    pub supervising_region_code: Option<String>,
    /// The region in force: the override, else the CBS region.
    pub region_code: String,
}

/// Admin: let another GGD region supervise a municipality (its providers move along).
#[utoipa::path(put, path = "/municipalities/{code}/supervising-region", tag = "regions",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "CBS municipality code, e.g. GM1621")),
    request_body = SupervisingRegionRequest,
    responses(
        (status = 200, body = SupervisingRegionView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem),
    ))]
pub async fn set_supervising_region(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<SupervisingRegionRequest>,
) -> AppResult<Json<SupervisingRegionView>> {
    user.require_role(&[Role::Admin])?;
    let region_code = body
        .region_code
        .as_deref()
        .map(str::trim)
        .map(str::to_uppercase);
    let updated = queries::set_supervising_region(
        &state.db,
        &crate::audit::Actor::from(&user),
        &code.to_uppercase(),
        region_code.as_deref(),
    )
    .await?;
    tracing::info!(user_id = %user.id, municipality = %updated.code, region = %updated.region_code(), "supervising region set");
    Ok(Json(SupervisingRegionView {
        region_code: updated.region_code().to_string(),
        code: updated.code,
        name: updated.name,
        cbs_region_code: updated.cbs_region_code,
        supervising_region_code: updated.supervising_region_code,
    }))
}
