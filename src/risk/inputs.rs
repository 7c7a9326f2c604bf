//! Gathering [`RiskInputs`] from the database: one aggregate query per factor for a whole set of
//! providers (GROUP BY provider), so a region of hundreds of providers costs five queries and
//! never loads signal or rating rows. Only portable SQL: it runs on SQLite and PostgreSQL alike.
use std::collections::HashMap;

use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use crate::db::entities::{improvement_point, provider, provider_last_visit, report, signal};
use crate::domain::working_days::dutch_date;
use crate::error::AppResult;
use crate::providers::queries::parse_services;
use crate::risk::score::{LastVisit, RiskInputs};
use crate::risk::validity::Horizon;
use crate::signals::rules::Category;

/// Which providers to gather inputs for.
pub enum Selection<'a> {
    /// The active providers of a region: an inactive provider no longer delivers Wmo support,
    /// so ranking it would only distract.
    Region(&'a str),
    /// These providers (whatever their region or state).
    Ids(&'a [Uuid]),
}

impl Selection<'_> {
    /// The condition "this provider-id column is in the selection", as a subquery for a region so
    /// a large region never becomes a long list of bound values.
    fn contains(&self, column: impl ColumnTrait) -> SimpleExpr {
        match self {
            Selection::Region(code) => column.in_subquery(
                Query::select()
                    .column(provider::Column::Id)
                    .from(provider::Entity)
                    .and_where(provider::Column::RegionCode.eq(*code))
                    .and_where(provider::Column::Active.eq(true))
                    .to_owned(),
            ),
            Selection::Ids(ids) => column.is_in(ids.iter().copied()),
        }
    }

    /// The condition on the providers table itself: for a region, straight on its index
    /// (region_code, …) rather than "id in (the region's ids)".
    fn providers(&self) -> SimpleExpr {
        match self {
            Selection::Region(code) => provider::Column::RegionCode
                .eq(*code)
                .and(provider::Column::Active.eq(true)),
            Selection::Ids(ids) => provider::Column::Id.is_in(ids.iter().copied()),
        }
    }
}

/// A provider as the risk ranking names it.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub id: Uuid,
    pub name: String,
}

/// A provider with its last completed visit, as read in one query.
#[derive(Debug, FromQueryResult)]
struct ProviderRow {
    id: Uuid,
    name: String,
    /// JSON list of service codes, as stored.
    services: String,
    last_visit_at: Option<DateTime<Utc>>,
    met: Option<i32>,
    partly_met: Option<i32>,
    not_met: Option<i32>,
}

impl ProviderRow {
    fn last_visit(&self) -> Option<LastVisit> {
        let n = |stored: Option<i32>| u32::try_from(stored.unwrap_or(0)).unwrap_or(0);
        self.last_visit_at.map(|at| LastVisit {
            on: dutch_date(at),
            met: n(self.met),
            partly_met: n(self.partly_met),
            not_met: n(self.not_met),
        })
    }
}

/// The providers of the selection with their names and risk inputs, as of `now`.
pub async fn gather<C: ConnectionTrait>(
    db: &C,
    selection: &Selection<'_>,
    now: DateTime<Utc>,
) -> AppResult<Vec<(Ranked, RiskInputs)>> {
    let providers = providers_with_last_visit(db, selection).await?;
    let mut signals = signal_counts(db, selection, now).await?;
    let mut overdue = overdue_points(db, selection, now).await?;
    let today = dutch_date(now);
    Ok(providers
        .into_iter()
        .map(|p| {
            let inputs = RiskInputs {
                today,
                signals_by_category: signals.remove(&p.id).unwrap_or_default(),
                last_visit: p.last_visit(),
                overdue_points: overdue.remove(&p.id).unwrap_or(0),
                services: parse_services(&p.services),
            };
            (
                Ranked {
                    id: p.id,
                    name: p.name,
                },
                inputs,
            )
        })
        .collect())
}

/// The providers with only the columns the ranking needs (for a region the index on
/// (region_code, active, id, name, services) holds them all, so the wide provider rows are not
/// read), each with its last completed visit and that visit's ratings counted per outcome, as
/// written when the visit was completed (`visits::summaries`).
async fn providers_with_last_visit<C: ConnectionTrait>(
    db: &C,
    selection: &Selection<'_>,
) -> AppResult<Vec<ProviderRow>> {
    let last =
        |column: provider_last_visit::Column| Expr::col((provider_last_visit::Entity, column));
    Ok(provider::Entity::find()
        .select_only()
        .column(provider::Column::Id)
        .column(provider::Column::Name)
        .column(provider::Column::Services)
        .column_as(last(provider_last_visit::Column::StartsAt), "last_visit_at")
        .column_as(last(provider_last_visit::Column::Met), "met")
        .column_as(last(provider_last_visit::Column::PartlyMet), "partly_met")
        .column_as(last(provider_last_visit::Column::NotMet), "not_met")
        .join(JoinType::LeftJoin, provider_last_visit())
        .filter(selection.providers())
        .into_model::<ProviderRow>()
        .all(db)
        .await?)
}

fn count(expr: Expr) -> SimpleExpr {
    Func::count(expr).into()
}

fn to_u32(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Signals of the last 12 months per provider and category; a duplicate is the same worry told
/// twice, so it does not count again.
async fn signal_counts<C: ConnectionTrait>(
    db: &C,
    selection: &Selection<'_>,
    now: DateTime<Utc>,
) -> AppResult<HashMap<Uuid, Vec<(Category, u32)>>> {
    let since = now.checked_sub_months(Months::new(12)).unwrap_or(now);
    let of_selection = match selection {
        // A signal's region is its provider's (`providers::queries::update` moves them along),
        // so a region's signals of the year are read from the index on (region, received_at,
        // category, provider, duplicate_of) alone: ~4,000 index entries, instead of a probe into
        // the signals of every provider of the region. Signals about another provider (inactive)
        // are dropped by the caller, which keeps only the selection's providers.
        Selection::Region(code) => signal::Column::RegionCode
            .eq(*code)
            .and(signal::Column::ProviderId.is_not_null()),
        Selection::Ids(_) => selection.contains(signal::Column::ProviderId),
    };
    let rows: Vec<(Uuid, String, i64)> = signal::Entity::find()
        .select_only()
        .column(signal::Column::ProviderId)
        .column(signal::Column::Category)
        // COUNT(*), not COUNT(id): the indexes on (provider_id, received_at, category,
        // duplicate_of) and (region_code, received_at, category, provider_id, duplicate_of)
        // then answer without reading the signal rows.
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(of_selection)
        .filter(signal::Column::DuplicateOf.is_null())
        .filter(signal::Column::ReceivedAt.gt(since))
        .filter(signal::Column::ReceivedAt.lte(now))
        .group_by(signal::Column::ProviderId)
        .group_by(signal::Column::Category)
        .into_tuple()
        .all(db)
        .await?;
    let mut by_provider: HashMap<Uuid, Vec<(Category, u32)>> = HashMap::new();
    for (provider_id, category, n) in rows {
        // A category the code no longer knows cannot be weighed; it is left out rather than
        // failing the whole page.
        if let Some(category) = Category::parse(&category) {
            by_provider
                .entry(provider_id)
                .or_default()
                .push((category, to_u32(n)));
        }
    }
    for counts in by_provider.values_mut() {
        counts.sort_by_key(|(c, _)| Category::ALL.iter().position(|a| a == c));
    }
    Ok(by_provider)
}

/// Open improvement points past their due date per provider, of reports the provider has been
/// sent (a concept's points are not yet known to the provider, so they cannot be late).
async fn overdue_points<C: ConnectionTrait>(
    db: &C,
    selection: &Selection<'_>,
    now: DateTime<Utc>,
) -> AppResult<HashMap<Uuid, u32>> {
    let rows: Vec<(Uuid, i64)> = improvement_point::Entity::find()
        .select_only()
        .column(report::Column::ProviderId)
        .column_as(
            count(Expr::col((
                improvement_point::Entity,
                improvement_point::Column::Id,
            ))),
            "n",
        )
        .join(JoinType::InnerJoin, point_report())
        .filter(selection.contains(report::Column::ProviderId))
        .filter(report::Column::Status.ne("concept"))
        .filter(improvement_point::Column::Status.eq("open"))
        .filter(improvement_point::Column::DueDate.lt(dutch_date(now)))
        .group_by(report::Column::ProviderId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, n)| (id, to_u32(n))).collect())
}

/// The entities declare no relations, so the joins are spelt out here.
fn provider_last_visit() -> sea_orm::RelationDef {
    provider::Entity::belongs_to(provider_last_visit::Entity)
        .from(provider::Column::Id)
        .to(provider_last_visit::Column::ProviderId)
        .into()
}

fn point_report() -> sea_orm::RelationDef {
    improvement_point::Entity::belongs_to(report::Entity)
        .from(improvement_point::Column::ReportId)
        .to(report::Column::Id)
        .into()
}

/// What [`crate::risk::validity`] needs beyond the inputs, per provider of `ids` (those without
/// any of it are missing): the earliest counted and the earliest future signal, and the earliest
/// due date of the open points of sent reports that are not overdue yet.
pub async fn horizons<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> AppResult<HashMap<Uuid, Horizon>> {
    let since = now.checked_sub_months(Months::new(12)).unwrap_or(now);
    let received = || Expr::col((signal::Entity, signal::Column::ReceivedAt));
    let earliest = |counted: bool| {
        let when = if counted {
            received().lte(now)
        } else {
            received().gt(now)
        };
        Expr::expr(Func::min(
            Expr::case(when, received()).finally(Expr::null()),
        ))
    };
    type Moment = Option<DateTime<Utc>>;
    let signals: Vec<(Uuid, Moment, Moment)> = signal::Entity::find()
        .select_only()
        .column(signal::Column::ProviderId)
        .column_as(earliest(true), "first_counted")
        .column_as(earliest(false), "next_future")
        .filter(signal::Column::ProviderId.is_in(ids.iter().copied()))
        .filter(signal::Column::DuplicateOf.is_null())
        .filter(signal::Column::ReceivedAt.gt(since))
        .group_by(signal::Column::ProviderId)
        .into_tuple()
        .all(db)
        .await?;
    let points: Vec<(Uuid, Option<NaiveDate>)> = improvement_point::Entity::find()
        .select_only()
        .column(report::Column::ProviderId)
        .column_as(
            Expr::col((
                improvement_point::Entity,
                improvement_point::Column::DueDate,
            ))
            .min(),
            "next_due",
        )
        .join(JoinType::InnerJoin, point_report())
        .filter(report::Column::ProviderId.is_in(ids.iter().copied()))
        .filter(report::Column::Status.ne("concept"))
        .filter(improvement_point::Column::Status.eq("open"))
        .filter(improvement_point::Column::DueDate.gte(dutch_date(now)))
        .group_by(report::Column::ProviderId)
        .into_tuple()
        .all(db)
        .await?;
    let mut horizons: HashMap<Uuid, Horizon> = HashMap::new();
    for (id, first_counted, next_future) in signals {
        let h = horizons.entry(id).or_default();
        h.first_counted_signal = first_counted;
        h.next_future_signal = next_future;
    }
    for (id, next_due) in points {
        horizons.entry(id).or_default().next_point_due = next_due;
    }
    Ok(horizons)
}
