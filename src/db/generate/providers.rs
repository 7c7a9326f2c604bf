//! The register: providers spread over all municipalities, each contracted by its own
//! municipality and now and then by a neighbour in the same region.
use chrono::{Duration, TimeZone, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder, Set};
use uuid::Uuid;

use super::batch::Batches;
use super::rng::Rng;
use super::{Scale, Span};
use crate::db::entities::{municipality, provider, provider_contract};
use crate::domain::service::Service;
use crate::error::AppResult;

const KINDS: [&str; 12] = [
    "Zorggroep",
    "Thuiszorg",
    "Stichting",
    "Begeleidingsdienst",
    "Woonzorg",
    "Dagbesteding",
    "Zorgcoöperatie",
    "Wijkzorg",
    "Huishoudhulp",
    "Zorgboerderij",
    "Beschermd Wonen",
    "Zorgpunt",
];
const NAMES: [&str; 24] = [
    "De Linde",
    "Het Anker",
    "De Brug",
    "Samen Verder",
    "De Horst",
    "Het Baken",
    "De Esch",
    "Zonnehoek",
    "De Wending",
    "Het Veld",
    "De Hoeve",
    "Noorderlicht",
    "De Kern",
    "Vitaal",
    "De Kroon",
    "Het Kompas",
    "Duinzicht",
    "De Akker",
    "Rivierenland",
    "De Stroom",
    "Het Erf",
    "Thuis",
    "De Meander",
    "Lindehof",
];
const STREETS: [&str; 10] = [
    "Dorpsstraat",
    "Kerkstraat",
    "Stationsweg",
    "Molenweg",
    "Schoolstraat",
    "Julianalaan",
    "Beatrixstraat",
    "Nieuwstraat",
    "Lindenlaan",
    "Industrieweg",
];
/// Postcode letters without S, so no SA/SD/SS (not issued in the Netherlands).
const LETTERS: &[u8] = b"ABCEGHJKLMNPRTVWXZ";

/// A generated provider, as the later tables need it.
pub struct Registered {
    pub id: Uuid,
    pub name: String,
    pub municipality: String,
    pub region: String,
    /// 0 (excellent) to 99 (poor): how often its visits find criteria not met.
    pub quality: u8,
}

pub async fn write(
    db: &DatabaseConnection,
    scale: Scale,
    seed: u64,
    span: &Span,
    rows: &mut Vec<(&'static str, u64)>,
) -> AppResult<Vec<Registered>> {
    let municipalities = municipality::Entity::find()
        .order_by_asc(municipality::Column::Code)
        .all(db)
        .await?;
    let mut rng = Rng::new(seed, 1);
    // KvK numbers walk a permutation of 10000000..99999999 (the step is coprime with 90,000,000),
    // so they are unique without remembering them.
    let offset = rng.next() % 90_000_000;
    let mut out = Vec::with_capacity(scale.providers);
    let mut providers = Batches::new(db, "providers", 16);
    let mut contracts = Vec::new();
    for i in 0..scale.providers {
        let home = rng.pick(&municipalities);
        let region = home
            .supervising_region_code
            .clone()
            .unwrap_or_else(|| home.cbs_region_code.clone());
        let name = format!("{} {} {}", rng.pick(&KINDS), rng.pick(&NAMES), home.name);
        let kvk = 10_000_000 + (offset + i as u64 * 48_271) % 90_000_000;
        let id = rng.uuid();
        let slug: String = name
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(24)
            .collect();
        let mut services: Vec<&str> = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let code = rng.pick(&Service::ALL).code();
            if !services.contains(&code) {
                services.push(code);
            }
        }
        let registered = Utc.from_utc_datetime(
            &(span.first + Duration::days(rng.below(span.days() as usize) as i64))
                .and_hms_opt(9, 0, 0)
                .expect("valid time"),
        );
        providers
            .push(provider::ActiveModel {
                id: Set(id),
                name: Set(name.clone()),
                kvk_number: Set(kvk.to_string()),
                agb_code: Set(rng
                    .chance(700)
                    .then(|| format!("98{:06}", rng.below(1_000_000)))),
                email: Set(format!("info@{slug}{i}.example")),
                phone: Set(Some(format!(
                    "0{} {:07}",
                    10 + rng.below(89),
                    rng.below(10_000_000)
                ))),
                street: Set(rng.pick(&STREETS).to_string()),
                house_number: Set((1 + rng.below(180)).to_string()),
                postcode: Set(format!(
                    "{} {}{}",
                    1000 + rng.below(9000),
                    *rng.pick(LETTERS) as char,
                    *rng.pick(LETTERS) as char
                )),
                city: Set(home.name.clone()),
                municipality_code: Set(home.code.clone()),
                region_code: Set(region.clone()),
                services: Set(serde_json::to_string(&services).expect("strings serialise")),
                active: Set(!rng.chance(40)),
                created_at: Set(registered),
                updated_at: Set(registered),
                last_visit_at: Set(None),
            })
            .await?;
        contracts.push((id, home.code.clone()));
        if rng.chance(250) {
            let neighbour = rng.pick(&municipalities);
            let same_region = neighbour
                .supervising_region_code
                .as_ref()
                .unwrap_or(&neighbour.cbs_region_code)
                == &region;
            if same_region && neighbour.code != home.code {
                contracts.push((id, neighbour.code.clone()));
            }
        }
        out.push(Registered {
            id,
            name,
            municipality: home.code.clone(),
            region,
            quality: rng.below(100) as u8,
        });
    }
    rows.push(("providers", providers.finish().await?));
    let mut writer = Batches::new(db, "provider_contracts", 2);
    for (provider_id, municipality_code) in contracts {
        writer
            .push(provider_contract::ActiveModel {
                provider_id: Set(provider_id),
                municipality_code: Set(municipality_code),
            })
            .await?;
    }
    rows.push(("provider_contracts", writer.finish().await?));
    Ok(out)
}
