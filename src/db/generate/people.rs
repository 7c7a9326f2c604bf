//! The users: a few admins, inspectors in every region, and users of some providers.
use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder, Set};
use uuid::Uuid;

use super::Scale;
use super::batch::Batches;
use super::providers::Registered;
use super::rng::Rng;
use crate::db::entities::{region, user};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};

const FIRST: [&str; 16] = [
    "Anouk", "Bram", "Carla", "Daan", "Esra", "Fleur", "Gijs", "Hanneke", "Ilse", "Jeroen",
    "Karim", "Lotte", "Mohamed", "Noor", "Pieter", "Sanne",
];
const LAST: [&str; 16] = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Yilmaz",
    "El Idrissi",
];

/// The inspectors of each region, to plan visits and assign signals to.
pub struct Staff {
    pub inspectors: BTreeMap<String, Vec<Uuid>>,
}

impl Staff {
    pub fn inspector(&self, region: &str, rng: &mut Rng) -> Option<Uuid> {
        self.inspectors
            .get(region)
            .filter(|ids| !ids.is_empty())
            .map(|ids| *rng.pick(ids))
    }
}

pub async fn write(
    db: &DatabaseConnection,
    scale: Scale,
    seed: u64,
    register: &[Registered],
    rows: &mut Vec<(&'static str, u64)>,
) -> AppResult<Staff> {
    let regions: Vec<String> = region::Entity::find()
        .order_by_asc(region::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.code)
        .collect();
    // Hashing is deliberately slow (Argon2): hashing 400 passwords would take minutes, so ONE
    // hash of the demo password is made and shared by every generated user.
    let hash =
        crate::auth::password::hash(crate::db::demo::DEMO_PASSWORD).map_err(AppError::internal)?;
    let admins = (scale.users / 50).max(2);
    let provider_users = (scale.users / 5).min(register.len());
    let inspectors = scale.users.saturating_sub(admins + provider_users);
    let mut rng = Rng::new(seed, 2);
    let created_at = Utc.with_ymd_and_hms(2016, 1, 4, 9, 0, 0).unwrap();
    let mut staff = Staff {
        inspectors: BTreeMap::new(),
    };
    let mut writer = Batches::new(db, "users", 10);
    for i in 0..admins + inspectors + provider_users {
        let (role, region_code, provider_id, email) = if i < admins {
            (Role::Admin, None, None, format!("beheerder{i}@ggd.example"))
        } else if i < admins + inspectors {
            let region = &regions[(i - admins) % regions.len()];
            let n = (i - admins) / regions.len();
            let email = format!("toezichthouder{n}.{}@ggd.example", region.to_lowercase());
            (Role::Inspector, Some(region.clone()), None, email)
        } else {
            // Spread over the register, so users belong to providers in every region.
            let k = i - admins - inspectors;
            let target = &register[k * register.len() / provider_users];
            let email = format!("kwaliteit{k}@aanbieder.example");
            (Role::Provider, None, Some(target.id), email)
        };
        let id = rng.uuid();
        if let Some(region) = &region_code {
            staff.inspectors.entry(region.clone()).or_default().push(id);
        }
        writer
            .push(user::ActiveModel {
                id: Set(id),
                email: Set(email),
                name: Set(format!("{} {}", rng.pick(&FIRST), rng.pick(&LAST))),
                role: Set(role.as_str().into()),
                region_code: Set(region_code),
                provider_id: Set(provider_id),
                password_hash: Set(hash.clone()),
                calendar_token: Set(rng.token()),
                active: Set(true),
                created_at: Set(created_at),
            })
            .await?;
    }
    rows.push(("users", writer.finish().await?));
    Ok(staff)
}
