//! Visits as the database holds them, read through a [`Scope`]: admins all, inspectors their
//! region, a provider user only its own visits that were announced or have taken place — an
//! unannounced visit that has not happened does not exist for a provider.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use crate::db::entities::{
    provider, visit, visit_improvement_point, visit_inspector, visit_signal,
};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use crate::visits::rules::VisitStatus;
use crate::web::current_user::CurrentUser;
use crate::web::pagination::Paging;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Region(String),
    Provider(Uuid),
    Nothing,
}

impl Scope {
    pub fn of(user: &CurrentUser) -> Scope {
        match (user.role, &user.region_code, user.provider_id) {
            (Role::Admin, _, _) => Scope::All,
            (Role::Inspector, Some(region), _) => Scope::Region(region.clone()),
            (Role::Provider, _, Some(id)) => Scope::Provider(id),
            _ => Scope::Nothing,
        }
    }

    pub fn apply(&self, select: Select<visit::Entity>) -> Select<visit::Entity> {
        match self {
            Scope::All => select,
            Scope::Region(code) => select.filter(visit::Column::RegionCode.eq(code.as_str())),
            Scope::Provider(id) => select.filter(visit::Column::ProviderId.eq(*id)).filter(
                Condition::any()
                    .add(visit::Column::Announced.eq(true))
                    .add(visit::Column::Status.eq(VisitStatus::Uitgevoerd.as_str())),
            ),
            Scope::Nothing => select.filter(Expr::value(false)),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub provider_id: Option<Uuid>,
    pub inspector_id: Option<Uuid>,
    pub status: Option<VisitStatus>,
    /// Latest first (a history) instead of soonest first (an agenda).
    pub newest_first: bool,
}

fn filtered(scope: &Scope, filter: &ListFilter) -> Select<visit::Entity> {
    let mut select = scope.apply(visit::Entity::find());
    if let Some(from) = filter.from {
        select = select.filter(visit::Column::EndsAt.gt(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(visit::Column::StartsAt.lt(to));
    }
    if let Some(provider) = filter.provider_id {
        select = select.filter(visit::Column::ProviderId.eq(provider));
    }
    if let Some(inspector) = filter.inspector_id {
        select = select.filter(
            visit::Column::Id.in_subquery(
                Query::select()
                    .column(visit_inspector::Column::VisitId)
                    .from(visit_inspector::Entity)
                    .and_where(visit_inspector::Column::InspectorId.eq(inspector))
                    .to_owned(),
            ),
        );
    }
    if let Some(status) = filter.status {
        select = select.filter(visit::Column::Status.eq(status.as_str()));
    }
    if filter.newest_first {
        select
            .order_by_desc(visit::Column::StartsAt)
            .order_by_desc(visit::Column::Id)
    } else {
        select
            .order_by_asc(visit::Column::StartsAt)
            .order_by_asc(visit::Column::Id)
    }
}

pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ListFilter,
    paging: Paging,
) -> AppResult<(Vec<visit::Model>, u64)> {
    Ok(crate::web::pagination::fetch(db, filtered(scope, filter), paging).await?)
}

/// The whole filtered list for an export, at most `limit` visits.
pub async fn list_upto(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ListFilter,
    limit: u64,
) -> AppResult<Vec<visit::Model>> {
    Ok(filtered(scope, filter).limit(limit).all(db).await?)
}

/// The providers that have visits in this scope (for the agenda's provider filter).
pub async fn providers_with_visits(db: &DatabaseConnection, scope: &Scope) -> AppResult<Vec<Uuid>> {
    Ok(scope
        .apply(visit::Entity::find())
        .select_only()
        .column(visit::Column::ProviderId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?)
}

/// The provider's last completed visit before this one, to compare ratings with.
pub async fn previous_completed<C: ConnectionTrait>(
    db: &C,
    visit: &visit::Model,
) -> AppResult<Option<visit::Model>> {
    Ok(visit::Entity::find()
        .filter(visit::Column::ProviderId.eq(visit.provider_id))
        .filter(visit::Column::Status.eq(VisitStatus::Uitgevoerd.as_str()))
        .filter(visit::Column::StartsAt.lt(visit.starts_at))
        .filter(visit::Column::Id.ne(visit.id))
        .order_by_desc(visit::Column::StartsAt)
        .one(db)
        .await?)
}

pub async fn find<C: ConnectionTrait>(db: &C, scope: &Scope, id: Uuid) -> AppResult<visit::Model> {
    scope
        .apply(visit::Entity::find_by_id(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Who goes on a visit and what it is linked to, each list sorted.
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub inspectors: Vec<Uuid>,
    pub signals: Vec<Uuid>,
    /// For a heronderzoek: the improvement points it re-examines.
    pub improvement_points: Vec<Uuid>,
}

/// The links of each visit.
pub async fn links<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> AppResult<HashMap<Uuid, Links>> {
    let mut map: HashMap<Uuid, Links> = ids.iter().map(|id| (*id, Links::default())).collect();
    if ids.is_empty() {
        return Ok(map);
    }
    for row in visit_inspector::Entity::find()
        .filter(visit_inspector::Column::VisitId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        map.entry(row.visit_id)
            .or_default()
            .inspectors
            .push(row.inspector_id);
    }
    for row in visit_signal::Entity::find()
        .filter(visit_signal::Column::VisitId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        map.entry(row.visit_id)
            .or_default()
            .signals
            .push(row.signal_id);
    }
    for row in visit_improvement_point::Entity::find()
        .filter(visit_improvement_point::Column::VisitId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        map.entry(row.visit_id)
            .or_default()
            .improvement_points
            .push(row.improvement_point_id);
    }
    for links in map.values_mut() {
        links.inspectors.sort();
        links.signals.sort();
        links.improvement_points.sort();
    }
    Ok(map)
}

/// A non-cancelled visit of one of `inspectors` that overlaps `[starts_at, ends_at)`, other than
/// `except`, with the provider's name (for a message that names it).
pub async fn conflicting<C: ConnectionTrait>(
    db: &C,
    inspectors: &[Uuid],
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    except: Option<Uuid>,
) -> AppResult<Option<(visit::Model, String)>> {
    let mut select = visit::Entity::find()
        .filter(visit::Column::Status.ne(VisitStatus::Geannuleerd.as_str()))
        .filter(visit::Column::StartsAt.lt(ends_at))
        .filter(visit::Column::EndsAt.gt(starts_at))
        .filter(
            visit::Column::Id.in_subquery(
                Query::select()
                    .column(visit_inspector::Column::VisitId)
                    .from(visit_inspector::Entity)
                    .and_where(
                        visit_inspector::Column::InspectorId.is_in(inspectors.iter().copied()),
                    )
                    .to_owned(),
            ),
        );
    if let Some(id) = except {
        select = select.filter(visit::Column::Id.ne(id));
    }
    let Some(found) = select.order_by_asc(visit::Column::StartsAt).one(db).await? else {
        return Ok(None);
    };
    let name = provider::Entity::find_by_id(found.provider_id)
        .one(db)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    Ok(Some((found, name)))
}
