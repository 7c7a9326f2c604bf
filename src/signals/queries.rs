//! Reading and creating signals. Reads go through a [`Scope`]: admins see all, inspectors their
//! region, provider users only the calamity reports their organisation filed.
use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult,
    Order, PartialModelTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Set,
};
use uuid::Uuid;

use crate::db::entities::{provider, signal, signal_event, signal_submission, user};
use crate::db::paged::{SortKeys, ordered};
use crate::domain::role::Role;
use crate::domain::working_days::{add_working_days, dutch_date};
use crate::error::{AppError, AppResult};
use crate::signals::rules::SignalStatus;
use crate::web::current_user::CurrentUser;
use crate::web::pagination::Paging;

pub const TRIAGE_WORKING_DAYS: u32 = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Region(String),
    /// A provider user: only its organisation's own reports.
    OwnReports(Uuid),
    Nothing,
}

impl Scope {
    pub fn of(user: &CurrentUser) -> Scope {
        match (user.role, &user.region_code, user.provider_id) {
            (Role::Admin, _, _) => Scope::All,
            (Role::Inspector, Some(region), _) => Scope::Region(region.clone()),
            (Role::Provider, _, Some(provider)) => Scope::OwnReports(provider),
            _ => Scope::Nothing,
        }
    }

    pub fn apply(&self, select: Select<signal::Entity>) -> Select<signal::Entity> {
        match self {
            Scope::All => select,
            Scope::Region(code) => select.filter(signal::Column::RegionCode.eq(code.as_str())),
            Scope::OwnReports(provider) => select
                .filter(signal::Column::ProviderId.eq(*provider))
                .filter(signal::Column::FiledBy.is_not_null())
                .filter(
                    signal::Column::FiledBy.in_subquery(
                        Query::select()
                            .column(user::Column::Id)
                            .from(user::Entity)
                            .and_where(user::Column::ProviderId.eq(*provider))
                            .to_owned(),
                    ),
                ),
            Scope::Nothing => select.filter(Expr::value(false)),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<SignalStatus>,
    pub category: Option<String>,
    pub provider_id: Option<Uuid>,
    /// Part of the provider's name (the registered one's, or as the reporter gave it).
    pub provider_name: Option<String>,
    pub reference: Option<String>,
    pub overdue: bool,
    /// Only the signals that still need work (`SignalStatus::is_open`): the staff list's default.
    pub open_only: bool,
    /// Newest first instead of the most urgent and oldest first: the staff list's order for a
    /// view that holds closed signals too (an archive, read from the present backwards).
    pub newest_first: bool,
}

/// Still `ontvangen` after its triage date.
pub fn is_overdue(model: &signal::Model, today: NaiveDate) -> bool {
    overdue(&model.status, model.triage_due, today)
}

/// [`is_overdue`] of a signal with this status and triage date.
pub fn overdue(status: &str, triage_due: NaiveDate, today: NaiveDate) -> bool {
    status == SignalStatus::Ontvangen.as_str() && today > triage_due
}

pub fn triage_due(received_at: DateTime<Utc>) -> NaiveDate {
    add_working_days(dutch_date(received_at), TRIAGE_WORKING_DAYS)
}

/// The signals of the scope that pass the filter, in no particular order.
fn matching(scope: &Scope, filter: &ListFilter, today: NaiveDate) -> Select<signal::Entity> {
    let mut select = with_status(scope.apply(signal::Entity::find()), filter);
    if let Some(category) = &filter.category {
        select = select.filter(signal::Column::Category.eq(category.as_str()));
    }
    if let Some(provider) = filter.provider_id {
        select = select.filter(signal::Column::ProviderId.eq(provider));
    }
    if let Some(name) = &filter.provider_name {
        use sea_orm::sea_query::ExprTrait;
        let contains = crate::providers::queries::contains;
        let mut registered = Query::select()
            .column(provider::Column::Id)
            .from(provider::Entity)
            .and_where(contains(
                Expr::col((provider::Entity, provider::Column::Name)),
                name,
            ))
            .to_owned();
        if let Scope::Region(code) = scope {
            // A signal's provider is in the signal's region: only the region's providers are
            // searched (from the index on (region, lower(name), …)).
            registered.and_where(
                Expr::col((provider::Entity, provider::Column::RegionCode)).eq(code.as_str()),
            );
        }
        select = select.filter(
            Condition::any()
                .add(signal::Column::ProviderId.in_subquery(registered))
                .add(contains(
                    Expr::col((signal::Entity, signal::Column::ProviderName)),
                    name,
                )),
        );
    }
    if let Some(reference) = &filter.reference {
        select = select.filter(signal::Column::Reference.eq(reference.trim().to_uppercase()));
    }
    if filter.overdue {
        select = select
            .filter(signal::Column::Status.eq(SignalStatus::Ontvangen.as_str()))
            .filter(signal::Column::TriageDue.lt(today));
    }
    select
}

/// The list's order.
fn list_order(filter: &ListFilter) -> SortKeys {
    let col = |c: signal::Column| Expr::col((signal::Entity, c));
    if filter.newest_first {
        // The index on (region, received_at) delivers this order: the first page of ten years
        // of signals without sorting them.
        return SortKeys {
            keys: vec![(col(signal::Column::ReceivedAt), Order::Desc)],
            id: (col(signal::Column::Id), Order::Desc),
        };
    }
    // Most urgent first, then the oldest: what needs attention first is on top.
    SortKeys {
        keys: vec![
            (
                Expr::cust(
                    "CASE priority WHEN 'spoed' THEN 0 WHEN 'hoog' THEN 1 WHEN 'normaal' THEN 2 ELSE 3 END",
                ),
                Order::Asc,
            ),
            (col(signal::Column::ReceivedAt), Order::Asc),
        ],
        id: (col(signal::Column::Id), Order::Asc),
    }
}

/// `select` in the list's order.
fn in_list_order(select: Select<signal::Entity>, filter: &ListFilter) -> Select<signal::Entity> {
    ordered(select, &list_order(filter))
}

/// One page of the list with the total count.
///
/// The page is chosen by id first and only its rows are read whole: the order comes from the
/// narrow index on (region, status, …, priority, received_at, id), so a region's hundreds of open
/// signals are sorted without reading their rows (descriptions and all), and only the 50 shown
/// are read from the table.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    filter: &ListFilter,
    paging: Paging,
) -> AppResult<(Vec<signal::Model>, u64)> {
    paged(db, scope, filter, paging, |rows| rows).await
}

/// [`list`] with only the columns of `M` (the staff list's rows).
pub async fn list_as<C, M>(
    db: &C,
    scope: &Scope,
    filter: &ListFilter,
    paging: Paging,
) -> AppResult<(Vec<M>, u64)>
where
    C: ConnectionTrait,
    M: PartialModelTrait + Send + Sync,
{
    paged(db, scope, filter, paging, |rows| {
        M::select_cols(rows.select_only())
    })
    .await
}

/// One page of the list with the total count, as `M`, the page's rows selected by `columns`.
async fn paged<C, M>(
    db: &C,
    scope: &Scope,
    filter: &ListFilter,
    paging: Paging,
    columns: impl FnOnce(Select<signal::Entity>) -> Select<signal::Entity>,
) -> AppResult<(Vec<M>, u64)>
where
    C: ConnectionTrait,
    M: FromQueryResult,
{
    let (ids, rows, matching) = page(scope, filter, paging);
    let order = list_order(filter);
    crate::db::paged::with_total(db, columns(rows), ids, signal::Column::Id, matching, &order).await
}

/// The page's ids (in the list's order, offset and limited), the signals to join them to, and the
/// whole list to count (beside the page on SQLite, on its own for a page past the end;
/// `db::paged`).
fn page(
    scope: &Scope,
    filter: &ListFilter,
    paging: Paging,
) -> (
    SelectStatement,
    Select<signal::Entity>,
    Select<signal::Entity>,
) {
    let today = dutch_date(Utc::now());
    let ids = in_list_order(matching(scope, filter, today), filter)
        .select_only()
        .column(signal::Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page)
        .into_query();
    let rows = signal::Entity::find();
    let all = matching(scope, filter, today)
        .select_only()
        .column(signal::Column::Id);
    (ids, rows, all)
}

/// The whole filtered list for an export, at most `limit` signals.
pub async fn list_upto(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ListFilter,
    limit: u64,
) -> AppResult<Vec<signal::Model>> {
    let today = dutch_date(Utc::now());
    Ok(in_list_order(matching(scope, filter, today), filter)
        .limit(limit)
        .all(db)
        .await?)
}

fn with_status(select: Select<signal::Entity>, filter: &ListFilter) -> Select<signal::Entity> {
    if let Some(status) = filter.status {
        select.filter(signal::Column::Status.eq(status.as_str()))
    } else if filter.open_only {
        select.filter(signal::Column::Status.is_in(SignalStatus::open_codes()))
    } else {
        select
    }
}

pub async fn find<C: ConnectionTrait>(db: &C, scope: &Scope, id: Uuid) -> AppResult<signal::Model> {
    scope
        .apply(signal::Entity::find_by_id(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The status history of each signal, oldest first.
pub async fn history<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<signal_event::Model>>> {
    let mut map: HashMap<Uuid, Vec<signal_event::Model>> = HashMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    let events = signal_event::Entity::find()
        .filter(signal_event::Column::SignalId.is_in(ids.iter().copied()))
        .order_by_asc(signal_event::Column::At)
        .all(db)
        .await?;
    for event in events {
        map.entry(event.signal_id).or_default().push(event);
    }
    Ok(map)
}

pub async fn record_event<C: ConnectionTrait>(
    db: &C,
    signal_id: Uuid,
    status: SignalStatus,
    at: DateTime<Utc>,
    actor: Option<Uuid>,
) -> AppResult<()> {
    signal_event::Entity::insert(event(signal_id, status, at, actor))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A history entry: `signal_id` moved to `status` at `at`, by `actor` (none: the reporter).
pub fn event(
    signal_id: Uuid,
    status: SignalStatus,
    at: DateTime<Utc>,
    actor: Option<Uuid>,
) -> signal_event::ActiveModel {
    signal_event::ActiveModel {
        // Time-ordered, as a signal's id (`create::file`): history is only ever appended.
        id: Set(Uuid::now_v7()),
        signal_id: Set(signal_id),
        status: Set(status.as_str().to_string()),
        at: Set(at),
        actor_id: Set(actor),
    }
}

/// How the rate limit keeps an address: only a hash of it, and only for the minute it matters
/// (`purge_submissions` removes older attempts every minute), so nothing here can tie an
/// anonymous reporter to an address afterwards.
pub fn submission_key(client_addr: &str) -> String {
    crate::auth::tokens::hash_token(client_addr)
}

/// At most `limit` submissions per client address in any 60 seconds (kept in the database, so
/// every app instance counts the same). Only reads: the attempt itself is recorded by
/// [`record_submission`], or with the signal by the intake writer when it is filed.
pub async fn check_rate(
    db: &DatabaseConnection,
    key: &str,
    limit: u32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let window_start = now - Duration::seconds(60);
    // The `limit`-th newest attempt in the window: when it exists the address has used up its
    // minute, and the minute frees up 60 seconds after it. One row read, whatever the limit.
    let blocking: Option<DateTime<Utc>> = match limit.checked_sub(1) {
        None => Some(now),
        Some(skip) => newest_attempt_but(db, key, skip, window_start).await?,
    };
    if let Some(oldest) = blocking {
        let wait = (oldest + Duration::seconds(60) - now)
            .num_milliseconds()
            .max(0) as u64;
        return Err(AppError::TooManyRequests {
            retry_after_secs: wait.div_ceil(1000).max(1),
        });
    }
    Ok(())
}

/// The time of this address's attempt after `since` that has `skip` newer ones, if any.
async fn newest_attempt_but(
    db: &DatabaseConnection,
    key: &str,
    skip: u32,
    since: DateTime<Utc>,
) -> AppResult<Option<DateTime<Utc>>> {
    if crate::db::is_postgres(db) {
        // Planned on every call (an unnamed statement, not a plan kept per connection). The
        // table holds about a minute of attempts, so its statistics often describe it as
        // empty; a plan kept from such a moment read the whole table for every filing once a
        // busy minute had filled it (national benchmark: intake fell from 2,000 to 600 filings
        // a second within 40 seconds). Planned now, it reads the address's attempts from the
        // (client_key, at) index (migration 000020). Since every connection plans generically
        // (`db::connect`) the plan is made without the values but still for the table as it is
        // then: the same index at 121,000 attempts, and intake as fast as before (README
        // "Performance").
        let found: Option<(DateTime<Utc>,)> = sqlx::query_as(
            "SELECT at FROM signal_submissions WHERE client_key = $1 AND at > $2 \
             ORDER BY at DESC OFFSET $3 LIMIT 1",
        )
        .bind(key)
        .bind(since)
        .bind(i64::from(skip))
        .persistent(false)
        .fetch_optional(db.get_postgres_connection_pool())
        .await
        .map_err(|e| sea_orm::DbErr::Query(sea_orm::RuntimeErr::SqlxError(e.into())))?;
        return Ok(found.map(|(at,)| at));
    }
    Ok(signal_submission::Entity::find()
        .select_only()
        .column(signal_submission::Column::At)
        .filter(signal_submission::Column::ClientKey.eq(key))
        .filter(signal_submission::Column::At.gt(since))
        .order_by_desc(signal_submission::Column::At)
        .offset(u64::from(skip))
        .limit(1)
        .into_tuple()
        .one(db)
        .await?)
}

/// Counts one attempt of this address (accepted or not) against the limit.
pub async fn record_submission<C: ConnectionTrait>(
    db: &C,
    key: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    signal_submission::Entity::insert(submission(key, now))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// One attempt of the address with this key at `at`.
pub fn submission(key: &str, at: DateTime<Utc>) -> signal_submission::ActiveModel {
    signal_submission::ActiveModel {
        client_key: Set(key.to_string()),
        at: Set(at),
        ..Default::default()
    }
}

/// Removes the attempts that no longer count (older than the 60-second window).
pub async fn purge_submissions<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> AppResult<u64> {
    let done = signal_submission::Entity::delete_many()
        .filter(signal_submission::Column::At.lte(now - Duration::seconds(60)))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}
