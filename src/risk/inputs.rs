//! Gathering [`RiskInputs`] from the database: one aggregate query per factor for a whole set of
//! providers (GROUP BY provider), so a region of hundreds of providers costs five queries and
//! never loads signal or rating rows. Only portable SQL: it runs on SQLite and PostgreSQL alike.
use std::collections::HashMap;

use chrono::{DateTime, Months, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::db::entities::{improvement_point, provider, report, signal, visit, visit_rating};
use crate::domain::working_days::dutch_date;
use crate::error::AppResult;
use crate::providers::queries::services_of;
use crate::risk::score::{LastVisit, RiskInputs};
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

/// The providers of the selection with their names and risk inputs, as of `now`.
pub async fn gather<C: ConnectionTrait>(
    db: &C,
    selection: &Selection<'_>,
    now: DateTime<Utc>,
) -> AppResult<Vec<(provider::Model, RiskInputs)>> {
    let providers = provider::Entity::find()
        .filter(selection.providers())
        .all(db)
        .await?;
    let mut signals = signal_counts(db, selection, now).await?;
    let mut visits = last_visits(db, selection).await?;
    let mut overdue = overdue_points(db, selection, now).await?;
    let today = dutch_date(now);
    Ok(providers
        .into_iter()
        .map(|p| {
            let inputs = RiskInputs {
                today,
                signals_by_category: signals.remove(&p.id).unwrap_or_default(),
                last_visit: visits.remove(&p.id),
                overdue_points: overdue.remove(&p.id).unwrap_or(0),
                services: services_of(&p),
            };
            (p, inputs)
        })
        .collect())
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
    let rows: Vec<(Uuid, String, i64)> = signal::Entity::find()
        .select_only()
        .column(signal::Column::ProviderId)
        .column(signal::Column::Category)
        // COUNT(*), not COUNT(id): the index on (provider_id, received_at, category,
        // duplicate_of) then answers without reading the signal rows.
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(selection.contains(signal::Column::ProviderId))
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

/// The last completed visit of each provider with its ratings counted per outcome.
async fn last_visits<C: ConnectionTrait>(
    db: &C,
    selection: &Selection<'_>,
) -> AppResult<HashMap<Uuid, LastVisit>> {
    // Per provider, a correlated subquery finds the start of its latest completed visit and
    // the index (provider_id, status, starts_at) finds that visit: two index probes per
    // provider. Correlated with the visit instead, the maximum was sought again for every
    // completed visit of every provider (ten years of them).
    let latest: Vec<(Uuid, Uuid, DateTime<Utc>)> = visit::Entity::find()
        .select_only()
        .column(visit::Column::Id)
        .column(visit::Column::ProviderId)
        .column(visit::Column::StartsAt)
        .join(JoinType::InnerJoin, visit_provider())
        .filter(selection.providers())
        .filter(visit::Column::Status.eq("uitgevoerd"))
        .filter(Expr::cust(
            "visits.starts_at = (SELECT MAX(latest.starts_at) FROM visits latest \
             WHERE latest.provider_id = providers.id AND latest.status = 'uitgevoerd')",
        ))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_visit: HashMap<Uuid, (Uuid, LastVisit)> = HashMap::new();
    let mut by_provider: HashMap<Uuid, Uuid> = HashMap::new();
    for (visit_id, provider_id, starts_at) in latest {
        // Two completed visits starting at the same moment: keep one, the same one every time.
        if by_provider
            .get(&provider_id)
            .is_some_and(|kept| *kept > visit_id)
        {
            continue;
        }
        if let Some(previous) = by_provider.insert(provider_id, visit_id) {
            by_visit.remove(&previous);
        }
        let on = dutch_date(starts_at);
        by_visit.insert(visit_id, (provider_id, LastVisit::unrated(on)));
    }
    let ids: Vec<Uuid> = by_visit.keys().copied().collect();
    let counts: Vec<(Uuid, String, i64)> = visit_rating::Entity::find()
        .select_only()
        .column(visit_rating::Column::VisitId)
        .column(visit_rating::Column::Rating)
        .column_as(count(Expr::col(visit_rating::Column::Rating)), "n")
        .filter(visit_rating::Column::VisitId.is_in(ids))
        .group_by(visit_rating::Column::VisitId)
        .group_by(visit_rating::Column::Rating)
        .into_tuple()
        .all(db)
        .await?;
    for (visit_id, rating, n) in counts {
        if let Some((_, last)) = by_visit.get_mut(&visit_id) {
            let n = to_u32(n);
            match rating.as_str() {
                "voldoet" => last.met += n,
                "voldoet_deels" => last.partly_met += n,
                "voldoet_niet" => last.not_met += n,
                // `niet_beoordeeld` and `nvt` say nothing about quality.
                _ => {}
            }
        }
    }
    Ok(by_visit.into_values().collect())
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
fn visit_provider() -> sea_orm::RelationDef {
    visit::Entity::belongs_to(provider::Entity)
        .from(visit::Column::ProviderId)
        .to(provider::Column::Id)
        .into()
}

fn point_report() -> sea_orm::RelationDef {
    improvement_point::Entity::belongs_to(report::Entity)
        .from(improvement_point::Column::ReportId)
        .to(report::Column::Id)
        .into()
}
