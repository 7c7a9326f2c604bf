//! The provider as the API returns it.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::entities::provider;
use crate::domain::service::Service;
use crate::providers::queries::services_of;
use crate::risk::Risk;

#[derive(Debug, Serialize, ToSchema)]
pub struct AddressView {
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderView {
    pub id: Uuid,
    pub name: String,
    pub kvk_number: String,
    pub agb_code: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub address: AddressView,
    pub municipality_code: String,
    /// The supervising region of the municipality.
    pub region_code: String,
    pub services: Vec<Service>,
    /// The municipalities that contract this provider.
    pub contract_municipalities: Vec<String>,
    /// `false` once the provider no longer delivers Wmo support here.
    pub active: bool,
    #[serde(serialize_with = "crate::web::json::utc")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::web::json::utc")]
    pub updated_at: DateTime<Utc>,
    /// For admins and inspectors; always `null` for a provider user, because its factors count
    /// signals and a provider must never learn about signals.
    pub risk: Option<Risk>,
}

impl ProviderView {
    pub fn new(model: provider::Model, contracts: &mut HashMap<Uuid, Vec<String>>) -> Self {
        let contracts = contracts.remove(&model.id).unwrap_or_default();
        Self::with_contracts(model, contracts)
    }

    /// The view of `model`, contracted by `contracts` (sorted by code); `risk` still `null`.
    pub fn with_contracts(model: provider::Model, contracts: Vec<String>) -> Self {
        let services = services_of(&model);
        ProviderView {
            contract_municipalities: contracts,
            id: model.id,
            name: model.name,
            kvk_number: model.kvk_number,
            agb_code: model.agb_code,
            email: model.email,
            phone: model.phone,
            address: AddressView {
                street: model.street,
                house_number: model.house_number,
                postcode: model.postcode,
                city: model.city,
            },
            municipality_code: model.municipality_code,
            region_code: model.region_code,
            services,
            active: model.active,
            created_at: model.created_at,
            updated_at: model.updated_at,
            risk: None,
        }
    }
}

/// What anyone may know of a provider: enough to pick it in the public signal form.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicProvider {
    pub id: Uuid,
    pub name: String,
    pub city: String,
}
