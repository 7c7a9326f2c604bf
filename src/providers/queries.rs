//! Provider reads and writes. Every read goes through a [`Scope`] derived from the signed-in user,
//! so that what a user may not see is not found (404), whichever handler asks.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend,
    DbErr, EntityTrait, FromQueryResult, Order, QueryFilter, QueryOrder, QueryResult, QuerySelect,
    QueryTrait, Select, Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::db::entities::{provider, provider_contract};
use crate::db::paged::{SortKeys, ordered};
use crate::domain::role::Role;
use crate::domain::service::Service;
use crate::error::{AppError, AppResult};
use crate::providers::input::ProviderData;
use crate::web::current_user::CurrentUser;
use crate::web::pagination::Paging;

/// What part of the register a user may see.
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

    fn apply(&self, select: Select<provider::Entity>) -> Select<provider::Entity> {
        match self {
            Scope::All => select,
            Scope::Region(code) => select.filter(provider::Column::RegionCode.eq(code.as_str())),
            Scope::Provider(id) => select.filter(provider::Column::Id.eq(*id)),
            Scope::Nothing => select.filter(Expr::value(false)),
        }
    }

    /// Whether a provider in `region_code` may be written by this scope (admins and the region's
    /// inspectors; provider users only change their own contact details, checked by the caller).
    pub fn may_register_in(&self, region_code: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Region(own) => own == region_code,
            Scope::Provider(_) | Scope::Nothing => false,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Part of the name or city, or the start of the KvK number.
    pub q: Option<String>,
    pub region: Option<String>,
    /// In, or contracted by, this municipality.
    pub municipality: Option<String>,
    pub active: Option<bool>,
}

/// `%q%` for LIKE, lower case, with `\`, `%` and `_` escaped (`ESCAPE '\'`).
fn like_pattern(q: &str) -> String {
    let escaped = q
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// `lower(column) LIKE pattern`, for a pattern from [`like_pattern`].
fn lower_like(column: Expr, pattern: &str) -> Expr {
    Expr::expr(Func::lower(column)).like(LikeExpr::new(pattern).escape('\\'))
}

/// Whether `column` contains `q`, whatever the case (`%` and `_` in `q` are plain characters).
pub fn contains(column: Expr, q: &str) -> Expr {
    lower_like(column, &like_pattern(q))
}

/// Whether `column` contains the lower-case `pattern` from [`like_pattern`], whatever the case,
/// as the register's search asks it of each provider of the region. SQLite's `lower()` and its
/// `LIKE` both fold ASCII letters only (no ICU in the bundled SQLite), so there `lower(column)
/// LIKE pattern` and `column LIKE pattern` match the same rows, and the second calls no function
/// and copies no string per row: the search reads every provider of the region twice (the
/// count and the page). PostgreSQL's `LIKE` is case-sensitive, so it keeps `lower()`, which it
/// reads from the search index (migration 000023).
///
/// PostgreSQL without `ESCAPE '\'`: the backslash is its default escape character already, and
/// with the clause it applied `like_escape()` to the pattern, a bound parameter, once for every
/// provider of the region (the statement is planned once, so the call is not folded away);
/// without it the search statement ran 7–8% more often a second (`pgbench`, README
/// "Performance"). SQLite has no default escape character and keeps the clause.
fn search_like(backend: DbBackend, column: provider::Column, pattern: &str) -> Expr {
    match backend {
        DbBackend::Sqlite => Expr::col(column).like(LikeExpr::new(pattern).escape('\\')),
        _ => Expr::expr(Func::lower(Expr::col(column))).like(LikeExpr::new(pattern)),
    }
}

/// The providers of the scope that pass the filter, in no particular order.
fn matching(backend: DbBackend, scope: &Scope, filter: &ListFilter) -> Select<provider::Entity> {
    let mut select = scope.apply(provider::Entity::find());
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
        let digits: String = q.chars().filter(|c| c.is_ascii_digit()).collect();
        let mut any = Condition::any()
            .add(search_like(backend, provider::Column::Name, &pattern))
            .add(search_like(backend, provider::Column::City, &pattern));
        if !digits.is_empty() && digits.len() == q.chars().filter(|c| !c.is_whitespace()).count() {
            any = any.add(provider::Column::KvkNumber.starts_with(digits));
        }
        select = select.filter(any);
    }
    if let Some(region) = &filter.region {
        select = select.filter(provider::Column::RegionCode.eq(region.as_str()));
    }
    if let Some(code) = &filter.municipality {
        select = select.filter(
            Condition::any()
                .add(provider::Column::MunicipalityCode.eq(code.as_str()))
                .add(
                    provider::Column::Id.in_subquery(
                        Query::select()
                            .column(provider_contract::Column::ProviderId)
                            .from(provider_contract::Entity)
                            .and_where(
                                provider_contract::Column::MunicipalityCode.eq(code.as_str()),
                            )
                            .to_owned(),
                    ),
                ),
        );
    }
    if let Some(active) = filter.active {
        select = select.filter(provider::Column::Active.eq(active));
    }
    select
}

/// The register's order: by name, whatever its case. (Qualified, as the page joins the kept
/// risk scores, which have a name too.)
fn name_order() -> SortKeys {
    SortKeys {
        keys: vec![(
            Expr::expr(Func::lower(Expr::col((
                provider::Entity,
                provider::Column::Name,
            )))),
            Order::Asc,
        )],
        id: (
            Expr::col((provider::Entity, provider::Column::Id)),
            Order::Asc,
        ),
    }
}

fn by_name(select: Select<provider::Entity>) -> Select<provider::Entity> {
    ordered(select, &name_order())
}

fn filtered(backend: DbBackend, scope: &Scope, filter: &ListFilter) -> Select<provider::Entity> {
    by_name(matching(backend, scope, filter))
}

/// The page's ids (in the list's order, offset and limited), the providers to join them to, and
/// the whole list to count (beside the page on SQLite, on its own for a page past the end;
/// `db::paged`).
fn page_of(
    backend: DbBackend,
    scope: &Scope,
    filter: &ListFilter,
    paging: Paging,
) -> (
    SelectStatement,
    Select<provider::Entity>,
    Select<provider::Entity>,
) {
    // Counted and chosen by id from the index on (region, lower(name), id, name, city,
    // lower(city)) (migration 000023), which holds what the filter and the order read, the lower
    // cases included; only the page's rows are read whole.
    let ids = filtered(backend, scope, filter)
        .select_only()
        .column(provider::Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page)
        .into_query();
    let rows = provider::Entity::find();
    let all = matching(backend, scope, filter)
        .select_only()
        .column(provider::Column::Id);
    (ids, rows, all)
}

/// One page of the list, sorted by name, with the total count.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    filter: &ListFilter,
    paging: Paging,
) -> AppResult<(Vec<provider::Model>, u64)> {
    let (ids, rows, all) = page_of(db.get_database_backend(), scope, filter, paging);
    crate::db::paged::with_total(db, rows, ids, provider::Column::Id, all, &name_order()).await
}

/// A provider of the register's page with what the API shows beside it.
pub struct Listed {
    pub provider: provider::Model,
    /// The contracting municipalities, sorted by code.
    pub contracts: Vec<String>,
    /// Its kept risk score, usable or not (`risk::stored`).
    pub kept: Option<crate::risk::stored::Kept>,
}

impl FromQueryResult for Listed {
    fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        let contracts: Option<String> = row.try_get(pre, "contract_codes")?;
        Ok(Listed {
            provider: provider::Model::from_query_result(row, pre)?,
            contracts: contracts
                .map(|codes| codes.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
            kept: crate::risk::stored::Kept::from_row(row, pre)?,
        })
    }
}

/// [`list`] with each provider's contracts and kept risk score, read in the same statement as
/// the page and its total: the API's page of 50 took four statements and 100 rows more.
pub async fn list_detailed<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    filter: &ListFilter,
    paging: Paging,
) -> AppResult<(Vec<Listed>, u64)> {
    let (ids, rows, all) = page_of(db.get_database_backend(), scope, filter, paging);
    // Municipality codes (GM and four digits) hold no comma. `string_agg` with an ordered
    // argument: PostgreSQL, and SQLite since 3.44.
    let contracts = Expr::cust(
        r#"(SELECT string_agg("c"."municipality_code", ',' ORDER BY "c"."municipality_code") FROM "provider_contracts" AS "c" WHERE "c"."provider_id" = "providers"."id")"#,
    );
    let rows = crate::risk::stored::with_kept(rows.expr_as(contracts, "contract_codes"));
    crate::db::paged::with_total(db, rows, ids, provider::Column::Id, all, &name_order()).await
}

/// The whole filtered list (for CSV export).
pub async fn list_all(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ListFilter,
) -> AppResult<Vec<provider::Model>> {
    Ok(filtered(db.get_database_backend(), scope, filter)
        .all(db)
        .await?)
}

/// A provider this scope may see; anything else is "not found".
pub async fn find<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    id: Uuid,
) -> AppResult<provider::Model> {
    scope
        .apply(provider::Entity::find_by_id(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The contracting municipalities of each provider, sorted by code.
pub async fn contracts<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<String>>> {
    let mut map: HashMap<Uuid, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    let rows = provider_contract::Entity::find()
        .filter(provider_contract::Column::ProviderId.is_in(ids.iter().copied()))
        .order_by_asc(provider_contract::Column::MunicipalityCode)
        .all(db)
        .await?;
    for row in rows {
        map.entry(row.provider_id)
            .or_default()
            .push(row.municipality_code);
    }
    Ok(map)
}

pub fn services_of(model: &provider::Model) -> Vec<Service> {
    parse_services(&model.services)
}

/// The stored JSON list of service codes; an unreadable list reads as none.
pub fn parse_services(stored: &str) -> Vec<Service> {
    serde_json::from_str(stored).unwrap_or_default()
}

/// What the audit log keeps of a provider's state.
fn snapshot(data: &ProviderData) -> Value {
    json!({
        "name": data.name,
        "kvk_number": data.kvk_number.as_str(),
        "agb_code": data.agb_code.as_ref().map(|a| a.as_str()),
        "email": data.email.as_str(),
        "phone": data.phone,
        "street": data.street,
        "house_number": data.house_number,
        "postcode": data.postcode.as_str(),
        "city": data.city,
        "municipality_code": data.municipality_code,
        "region_code": data.region_code,
        "services": data.services,
        "contract_municipalities": data.contract_municipalities,
        "active": data.active,
    })
}

fn snapshot_of_model(model: &provider::Model, contracts: &[String]) -> Value {
    json!({
        "name": model.name,
        "kvk_number": model.kvk_number,
        "agb_code": model.agb_code,
        "email": model.email,
        "phone": model.phone,
        "street": model.street,
        "house_number": model.house_number,
        "postcode": model.postcode,
        "city": model.city,
        "municipality_code": model.municipality_code,
        "region_code": model.region_code,
        "services": services_of(model),
        "contract_municipalities": contracts,
        "active": model.active,
    })
}

/// A clear 409 before the unique index would give a bare one.
async fn ensure_unique<C: ConnectionTrait>(
    db: &C,
    data: &ProviderData,
    except: Option<Uuid>,
) -> AppResult<()> {
    let mut select = provider::Entity::find()
        .filter(provider::Column::KvkNumber.eq(data.kvk_number.as_str()))
        .filter(provider::Column::Postcode.eq(data.postcode.as_str()));
    if let Some(id) = except {
        select = select.filter(provider::Column::Id.ne(id));
    }
    if select.one(db).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "Er staat al een aanbieder met KvK-nummer {} op postcode {} in het register.",
            data.kvk_number.as_str(),
            data.postcode.as_str()
        )));
    }
    Ok(())
}

async fn replace_contracts<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    codes: &[String],
) -> AppResult<()> {
    provider_contract::Entity::delete_many()
        .filter(provider_contract::Column::ProviderId.eq(id))
        .exec(db)
        .await?;
    if !codes.is_empty() {
        provider_contract::Entity::insert_many(codes.iter().map(|code| {
            provider_contract::ActiveModel {
                provider_id: Set(id),
                municipality_code: Set(code.clone()),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// Inserts a provider with its contracts and audit entry, inside the caller's transaction.
pub async fn create_in<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    data: &ProviderData,
) -> AppResult<provider::Model> {
    ensure_unique(db, data, None).await?;
    let now = Utc::now();
    let created = provider::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(data.name.clone()),
        kvk_number: Set(data.kvk_number.as_str().to_string()),
        agb_code: Set(data.agb_code.as_ref().map(|a| a.as_str().to_string())),
        email: Set(data.email.as_str().to_string()),
        phone: Set(data.phone.clone()),
        street: Set(data.street.clone()),
        house_number: Set(data.house_number.clone()),
        postcode: Set(data.postcode.as_str().to_string()),
        city: Set(data.city.clone()),
        municipality_code: Set(data.municipality_code.clone()),
        region_code: Set(data.region_code.clone()),
        services: Set(serde_json::to_string(&data.services).map_err(AppError::internal)?),
        active: Set(data.active),
        created_at: Set(now),
        updated_at: Set(now),
        last_visit_at: Set(None),
    }
    .insert(db)
    .await?;
    replace_contracts(db, created.id, &data.contract_municipalities).await?;
    let changes = audit::diff(&Value::Null, &snapshot(data));
    audit::record(
        db,
        actor,
        "provider.created",
        "provider",
        &created.id.to_string(),
        changes,
    )
    .await?;
    Ok(created)
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    data: &ProviderData,
) -> AppResult<provider::Model> {
    let txn = crate::db::begin_write(db).await?;
    let created = create_in(&txn, actor, data).await?;
    txn.commit().await?;
    Ok(created)
}

/// Replaces a provider's fields with `data`; records what changed. Nothing changed: no entry.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    existing: &provider::Model,
    data: &ProviderData,
) -> AppResult<provider::Model> {
    let txn = crate::db::begin_write(db).await?;
    ensure_unique(&txn, data, Some(existing.id)).await?;
    let old_contracts = contracts(&txn, &[existing.id])
        .await?
        .remove(&existing.id)
        .unwrap_or_default();
    let changes = audit::diff(
        &snapshot_of_model(existing, &old_contracts),
        &snapshot(data),
    );
    if changes.is_empty() {
        txn.commit().await?;
        return Ok(existing.clone());
    }
    let mut active: provider::ActiveModel = existing.clone().into();
    active.name = Set(data.name.clone());
    active.kvk_number = Set(data.kvk_number.as_str().to_string());
    active.agb_code = Set(data.agb_code.as_ref().map(|a| a.as_str().to_string()));
    active.email = Set(data.email.as_str().to_string());
    active.phone = Set(data.phone.clone());
    active.street = Set(data.street.clone());
    active.house_number = Set(data.house_number.clone());
    active.postcode = Set(data.postcode.as_str().to_string());
    active.city = Set(data.city.clone());
    active.municipality_code = Set(data.municipality_code.clone());
    active.region_code = Set(data.region_code.clone());
    active.services = Set(serde_json::to_string(&data.services).map_err(AppError::internal)?);
    active.active = Set(data.active);
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    if old_contracts != data.contract_municipalities {
        replace_contracts(&txn, existing.id, &data.contract_municipalities).await?;
    }
    if existing.region_code != data.region_code {
        // The provider's signals follow it to its new region.
        crate::db::entities::signal::Entity::update_many()
            .col_expr(
                crate::db::entities::signal::Column::RegionCode,
                Expr::value(data.region_code.clone()),
            )
            .filter(crate::db::entities::signal::Column::ProviderId.eq(existing.id))
            .exec(&txn)
            .await?;
    }
    audit::record(
        &txn,
        actor,
        "provider.updated",
        "provider",
        &existing.id.to_string(),
        changes,
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// The public lookup: active providers by name, at most 50.
pub async fn public_search(
    db: &DatabaseConnection,
    q: Option<&str>,
    municipality: Option<&str>,
) -> AppResult<Vec<provider::Model>> {
    let filter = ListFilter {
        q: q.map(str::to_string),
        municipality: municipality.map(str::to_string),
        active: Some(true),
        ..Default::default()
    };
    Ok(filtered(db.get_database_backend(), &Scope::All, &filter)
        .limit(50)
        .all(db)
        .await?)
}
