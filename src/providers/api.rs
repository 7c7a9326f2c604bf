//! `/api/v1/providers` and `/api/v1/public/providers`.
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::app::AppState;
use crate::audit::Actor;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult, Problem};
use crate::providers::input::{self, RawProvider};
use crate::providers::queries::{self, ListFilter, Scope};
use crate::providers::view::{ProviderView, PublicProvider};
use crate::regions::queries::municipality_index;
use crate::risk::stored::Kept;
use crate::web::current_user::CurrentUser;
use crate::web::json::ApiJson;
use crate::web::pagination::{Page, Paging};
use crate::web::parse_id;
use crate::web::query::ApiQuery;

#[derive(Debug, Deserialize, ToSchema)]
pub struct AddressRequest {
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProviderRequest {
    pub name: String,
    pub kvk_number: String,
    pub agb_code: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub address: AddressRequest,
    pub municipality_code: String,
    pub services: Vec<String>,
    /// Defaults to the provider's own municipality.
    #[serde(default)]
    pub contract_municipalities: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AddressPatch {
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProviderPatch {
    pub name: Option<String>,
    pub kvk_number: Option<String>,
    #[serde(default, deserialize_with = "crate::web::json::present")]
    #[schema(value_type = Option<String>)]
    pub agb_code: Option<Option<String>>,
    pub email: Option<String>,
    #[serde(default, deserialize_with = "crate::web::json::present")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    pub address: Option<AddressPatch>,
    pub municipality_code: Option<String>,
    pub services: Option<Vec<String>>,
    pub contract_municipalities: Option<Vec<String>>,
    pub active: Option<bool>,
}

impl ProviderPatch {
    /// The fields other than email and phone that this patch touches.
    fn beyond_contact_details(&self) -> bool {
        self.name.is_some()
            || self.kvk_number.is_some()
            || self.agb_code.is_some()
            || self.address.is_some()
            || self.municipality_code.is_some()
            || self.services.is_some()
            || self.contract_municipalities.is_some()
            || self.active.is_some()
    }
}

fn raw_from_request(body: ProviderRequest) -> RawProvider {
    RawProvider {
        name: body.name,
        kvk_number: body.kvk_number,
        agb_code: body.agb_code.unwrap_or_default(),
        email: body.email,
        phone: body.phone.unwrap_or_default(),
        street: body.address.street,
        house_number: body.address.house_number,
        postcode: body.address.postcode,
        city: body.address.city,
        municipality: body.municipality_code,
        services: body.services,
        contract_municipalities: body.contract_municipalities,
        active: body.active,
    }
}

/// The stored provider as input, for applying a patch and checking the result as a whole.
pub fn raw_from_model(
    model: &crate::db::entities::provider::Model,
    contracts: Vec<String>,
) -> RawProvider {
    RawProvider {
        name: model.name.clone(),
        kvk_number: model.kvk_number.clone(),
        agb_code: model.agb_code.clone().unwrap_or_default(),
        email: model.email.clone(),
        phone: model.phone.clone().unwrap_or_default(),
        street: model.street.clone(),
        house_number: model.house_number.clone(),
        postcode: model.postcode.clone(),
        city: model.city.clone(),
        municipality: model.municipality_code.clone(),
        services: queries::services_of(model)
            .iter()
            .map(|s| s.code().to_string())
            .collect(),
        contract_municipalities: contracts,
        active: model.active,
    }
}

fn apply_patch(raw: &mut RawProvider, patch: ProviderPatch) {
    let set = |target: &mut String, value: Option<String>| {
        if let Some(v) = value {
            *target = v;
        }
    };
    set(&mut raw.name, patch.name);
    set(&mut raw.kvk_number, patch.kvk_number);
    if let Some(agb) = patch.agb_code {
        raw.agb_code = agb.unwrap_or_default();
    }
    set(&mut raw.email, patch.email);
    if let Some(phone) = patch.phone {
        raw.phone = phone.unwrap_or_default();
    }
    if let Some(address) = patch.address {
        set(&mut raw.street, address.street);
        set(&mut raw.house_number, address.house_number);
        set(&mut raw.postcode, address.postcode);
        set(&mut raw.city, address.city);
    }
    set(&mut raw.municipality, patch.municipality_code);
    if let Some(services) = patch.services {
        raw.services = services;
    }
    if let Some(contracts) = patch.contract_municipalities {
        raw.contract_municipalities = contracts;
    }
    if let Some(active) = patch.active {
        raw.active = active;
    }
}

/// Validates, and keeps an inspector's register inside its own region.
pub async fn checked(
    state: &AppState,
    scope: &Scope,
    raw: &RawProvider,
) -> AppResult<input::ProviderData> {
    let index = municipality_index(&state.db).await?;
    let data = input::validate(raw, &index).map_err(AppError::Validation)?;
    if !scope.may_register_in(&data.region_code) {
        return Err(AppError::validation(
            "municipality_code",
            "Deze gemeente valt niet onder uw GGD-regio.",
        ));
    }
    Ok(data)
}

async fn view_of(
    state: &AppState,
    user: &CurrentUser,
    model: crate::db::entities::provider::Model,
) -> AppResult<ProviderView> {
    let mut contracts = queries::contracts(&state.db, &[model.id]).await?;
    let mut views = vec![ProviderView::new(model, &mut contracts)];
    with_risk(state, user, &mut views, None).await?;
    views.into_iter().next().ok_or(AppError::NotFound)
}

/// Fills in `risk` for staff, from the kept scores already read with the views (`kept`, one per
/// view) or else read now. A provider user's views keep `null`: the score counts signals, and a
/// provider must never learn about signals (not even that there are some).
async fn with_risk(
    state: &AppState,
    user: &CurrentUser,
    views: &mut [ProviderView],
    kept: Option<Vec<(uuid::Uuid, Option<Kept>)>>,
) -> AppResult<()> {
    if user.role == Role::Provider {
        return Ok(());
    }
    let (db, weights, now) = (&state.db, &state.config.risk_weights, chrono::Utc::now());
    let risks = match kept {
        Some(kept) => crate::risk::stored::resolve(db, weights, kept, now).await?,
        None => {
            let ids: Vec<_> = views.iter().map(|v| v.id).collect();
            crate::risk::for_providers(db, weights, &ids, now).await?
        }
    };
    let mut risks: std::collections::HashMap<_, _> = risks.into_iter().collect();
    for view in views {
        view.risk = risks.remove(&view.id);
    }
    Ok(())
}

/// Add a provider to the register (admin; inspector for its own region).
#[utoipa::path(post, path = "/providers", tag = "providers", security(("bearer" = [])),
    request_body = ProviderRequest,
    responses((status = 201, body = ProviderView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, description = "Same KvK number at the same postcode", body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<ProviderRequest>,
) -> AppResult<(StatusCode, Json<ProviderView>)> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    let data = checked(&state, &Scope::of(&user), &raw_from_request(body)).await?;
    let created = queries::create(&state.db, &Actor::from(&user), &data).await?;
    Ok((
        StatusCode::CREATED,
        Json(view_of(&state, &user, created).await?),
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Part of the name or city, or the start of the KvK number.
    pub q: Option<String>,
    pub region: Option<String>,
    /// In, or contracted by, this municipality (GM code).
    pub municipality: Option<String>,
    pub active: Option<bool>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl ListQuery {
    pub fn filter(&self) -> ListFilter {
        let clean = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        ListFilter {
            q: clean(&self.q),
            region: clean(&self.region).map(|r| r.to_uppercase()),
            municipality: clean(&self.municipality).map(|m| m.to_uppercase()),
            active: self.active,
        }
    }
}

/// The register, sorted by name: admins all, inspectors their region, provider users themselves.
#[utoipa::path(get, path = "/providers", tag = "providers", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Page<ProviderView>), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Json<Page<ProviderView>>> {
    let paging = Paging::new(query.page, query.per_page)?;
    // The page, its total, contracts and kept scores are one statement, so they agree without a
    // read transaction around them (README "Performance"). A score that must be computed on the
    // spot reads its inputs as they are then, as a provider's own page does.
    let (listed, total) =
        queries::list_detailed(&state.db, &Scope::of(&user), &query.filter(), paging).await?;
    let mut kept = Vec::with_capacity(listed.len());
    let mut items = Vec::with_capacity(listed.len());
    for row in listed {
        kept.push((row.provider.id, row.kept));
        items.push(ProviderView::with_contracts(row.provider, row.contracts));
    }
    with_risk(&state, &user, &mut items, Some(kept)).await?;
    Ok(Json(Page::new(items, total, paging)))
}

/// One provider (404 when it does not exist or is not visible to the caller).
#[utoipa::path(get, path = "/providers/{id}", tag = "providers", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ProviderView), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<ProviderView>> {
    let provider = queries::find(&state.db, &Scope::of(&user), parse_id(&id)?).await?;
    Ok(Json(view_of(&state, &user, provider).await?))
}

/// Change a provider. A provider user may change only its own `email` and `phone`.
#[utoipa::path(patch, path = "/providers/{id}", tag = "providers", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ProviderPatch,
    responses((status = 200, body = ProviderView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<ProviderPatch>,
) -> AppResult<Json<ProviderView>> {
    let scope = Scope::of(&user);
    let existing = queries::find(&state.db, &scope, parse_id(&id)?).await?;
    if user.role == Role::Provider && patch.beyond_contact_details() {
        return Err(AppError::Forbidden(
            "Als aanbieder kunt u alleen uw e-mailadres en telefoonnummer wijzigen.".into(),
        ));
    }
    let contracts = queries::contracts(&state.db, &[existing.id])
        .await?
        .remove(&existing.id)
        .unwrap_or_default();
    let mut raw = raw_from_model(&existing, contracts);
    apply_patch(&mut raw, patch);
    // A provider user changes only contact details, which never move the provider's region.
    let write_scope = if user.role == Role::Provider {
        Scope::All
    } else {
        scope
    };
    let data = checked(&state, &write_scope, &raw).await?;
    let updated = queries::update(&state.db, &Actor::from(&user), &existing, &data).await?;
    Ok(Json(view_of(&state, &user, updated).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct PublicQuery {
    pub q: Option<String>,
    pub municipality_code: Option<String>,
}

/// Anyone: active providers by name (id, name and city only), at most 50.
#[utoipa::path(get, path = "/public/providers", tag = "providers", params(PublicQuery),
    responses((status = 200, body = Vec<PublicProvider>)))]
pub async fn public_list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<PublicQuery>,
) -> AppResult<Json<Vec<PublicProvider>>> {
    let municipality = query
        .municipality_code
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_uppercase);
    let found =
        queries::public_search(&state.db, query.q.as_deref(), municipality.as_deref()).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|p| PublicProvider {
                id: p.id,
                name: p.name,
                city: p.city,
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_tells_contact_details_from_the_rest() {
        let contact: ProviderPatch =
            serde_json::from_str(r#"{"email": "a@b.nl", "phone": null}"#).unwrap();
        assert!(!contact.beyond_contact_details());
        assert_eq!(
            contact.phone,
            Some(None),
            "null clears, which differs from absent"
        );
        let more: ProviderPatch =
            serde_json::from_str(r#"{"email": "a@b.nl", "agb_code": null}"#).unwrap();
        assert!(more.beyond_contact_details());
    }
}
