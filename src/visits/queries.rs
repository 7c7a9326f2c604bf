//! Visits as the database holds them, read through a [`Scope`]: admins all, inspectors their
//! region, a provider user only its own visits that were announced or have taken place — an
//! unannounced visit that has not happened does not exist for a provider.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use crate::db::entities::{provider, visit, visit_inspector, visit_signal};
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
    select
        .order_by_asc(visit::Column::StartsAt)
        .order_by_asc(visit::Column::Id)
}

pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ListFilter,
    paging: Paging,
) -> AppResult<(Vec<visit::Model>, u64)> {
    let total = filtered(scope, filter).count(db).await?;
    let items = filtered(scope, filter)
        .offset(paging.offset())
        .limit(paging.per_page)
        .all(db)
        .await?;
    Ok((items, total))
}

pub async fn find<C: ConnectionTrait>(db: &C, scope: &Scope, id: Uuid) -> AppResult<visit::Model> {
    scope
        .apply(visit::Entity::find_by_id(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The inspectors and linked signals of each visit.
pub async fn links<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, (Vec<Uuid>, Vec<Uuid>)>> {
    let mut map: HashMap<Uuid, (Vec<Uuid>, Vec<Uuid>)> =
        ids.iter().map(|id| (*id, Default::default())).collect();
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
            .0
            .push(row.inspector_id);
    }
    for row in visit_signal::Entity::find()
        .filter(visit_signal::Column::VisitId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        map.entry(row.visit_id).or_default().1.push(row.signal_id);
    }
    for (inspectors, signals) in map.values_mut() {
        inspectors.sort();
        signals.sort();
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
