//! What the visit pages share: the staff check, names of the people and providers on a visit,
//! and a visit as one line of a list or agenda.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use uuid::Uuid;

use crate::db::entities::{provider, user, visit};
use crate::domain::local_time::clock_nl;
use crate::domain::role::Role;
use crate::domain::text::day_nl;
use crate::error::{AppError, AppResult};
use crate::visits::queries::{Links, Scope};
use crate::visits::rules::{Reason, VisitStatus};
use crate::web::current_user::CurrentUser;

/// Visit pages are for inspectors and admins; a provider user reads its visits in the portal.
pub fn staff(user: &CurrentUser) -> AppResult<Scope> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    match Scope::of(user) {
        // `region_of` reads "no region" as "every region": only admins may get there.
        Scope::Nothing => Err(AppError::NotFound),
        scope => Ok(scope),
    }
}

/// The active inspectors of a region (admins: of every region), by name.
pub async fn inspectors<C: ConnectionTrait>(
    db: &C,
    region: Option<&str>,
) -> AppResult<Vec<user::Model>> {
    let mut select = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Inspector.as_str()))
        .filter(user::Column::Active.eq(true));
    if let Some(region) = region {
        select = select.filter(user::Column::RegionCode.eq(region));
    }
    Ok(select.order_by_asc(user::Column::Name).all(db).await?)
}

/// The region whose people and providers a planning form offers.
pub fn region_of(scope: &Scope) -> Option<&str> {
    match scope {
        Scope::Region(code) => Some(code.as_str()),
        _ => None,
    }
}

/// Names of providers and users by id, for the visits on a page.
#[derive(Default)]
pub struct Names {
    pub providers: HashMap<Uuid, String>,
    pub users: HashMap<Uuid, String>,
}

impl Names {
    pub async fn load<C: ConnectionTrait>(
        db: &C,
        visits: &[visit::Model],
        links: &HashMap<Uuid, Links>,
    ) -> AppResult<Names> {
        let provider_ids: Vec<Uuid> = visits.iter().map(|v| v.provider_id).collect();
        let user_ids: Vec<Uuid> = links.values().flat_map(|l| l.inspectors.clone()).collect();
        let providers = if provider_ids.is_empty() {
            HashMap::new()
        } else {
            provider::Entity::find()
                .filter(provider::Column::Id.is_in(provider_ids))
                .all(db)
                .await?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect()
        };
        let users = if user_ids.is_empty() {
            HashMap::new()
        } else {
            user::Entity::find()
                .filter(user::Column::Id.is_in(user_ids))
                .all(db)
                .await?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect()
        };
        Ok(Names { providers, users })
    }

    pub fn people(&self, ids: &[Uuid]) -> String {
        let mut names: Vec<&str> = ids
            .iter()
            .filter_map(|id| self.users.get(id).map(String::as_str))
            .collect();
        names.sort_unstable();
        names.join(", ")
    }
}

/// A visit as a line in the list or a block in the week.
#[derive(Debug, Serialize)]
pub struct VisitRow {
    pub id: String,
    pub provider: String,
    pub day: String,
    pub time: String,
    pub inspectors: String,
    pub reason: &'static str,
    pub status: &'static str,
    pub planned: bool,
    pub cancelled: bool,
    pub unannounced: bool,
}

impl VisitRow {
    pub fn new(visit: &visit::Model, links: Option<&Links>, names: &Names) -> VisitRow {
        VisitRow {
            id: visit.id.to_string(),
            provider: names
                .providers
                .get(&visit.provider_id)
                .cloned()
                .unwrap_or_default(),
            day: day_nl(visit.starts_at),
            time: format!("{}–{}", clock_nl(visit.starts_at), clock_nl(visit.ends_at)),
            inspectors: links.map_or_else(String::new, |l| names.people(&l.inspectors)),
            reason: Reason::parse(&visit.reason).map_or("", Reason::label_nl),
            status: VisitStatus::parse(&visit.status).map_or("", VisitStatus::label_nl),
            planned: visit.status == VisitStatus::Gepland.as_str(),
            cancelled: visit.status == VisitStatus::Geannuleerd.as_str(),
            unannounced: !visit.announced,
        }
    }
}
