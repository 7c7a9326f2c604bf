//! Demo visits for `serve --demo`: three years of supervision in both demo regions, so the
//! agenda, the reports and (later) the dashboard have something to show. The visits themselves
//! are in `demo_visits_data.rs`; this file places them on free working days and, once
//! completed, rates them (`demo_ratings.rs`) and writes their reports (`demo_reports.rs`).
//! Inserted directly with their historical dates (no emails go out, as for the demo signals)
//! and only when there are no visits yet.
//!
//! Everything is derived from table positions and a fixed-seed generator, so every load tells
//! the same story; only the dates move along with today.
use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::demo_ratings::{DemoRating, ratings_for};
use super::demo_visits_data::{DemoVisit, Outcome, REGIONS, RegionPlan, Stage, Who};
use crate::db::entities::{
    improvement_point, provider, report, signal, user, visit, visit_improvement_point,
    visit_inspector, visit_rating, visit_signal,
};
use crate::domain::working_days::{dutch_date, is_working_day};
use crate::error::AppResult;
use crate::framework::domain::FrameworkDoc;
use crate::visits::rules::{Reason, VisitStatus};

/// Start (hour, minute) and length in hours, in turn: every visit lies between 09:00 and 16:00.
const SLOTS: [(u32, u32, i64); 5] = [(9, 0, 3), (9, 30, 2), (10, 0, 3), (13, 0, 3), (13, 30, 2)];

/// The days (from today) of the first and last routine visit to the providers the table does
/// not name: within three years, so only the table's overdue providers are overdue.
const ROUTINE_SPAN: (i64, i64) = (-1060, -70);

pub async fn load<C: ConnectionTrait>(db: &C, demo_provider: Uuid) -> AppResult<()> {
    if visit::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let framework = crate::framework::queries::current(db).await?;
    let now = Utc::now();
    for (r, plan) in REGIONS.iter().enumerate() {
        let Some(inspector) = user::Entity::find()
            .filter(user::Column::Email.eq(plan.inspector))
            .one(db)
            .await?
        else {
            continue;
        };
        let providers = provider::Entity::find()
            .filter(provider::Column::RegionCode.eq(plan.code))
            .order_by_asc(provider::Column::Name)
            .all(db)
            .await?;
        let others: Vec<&provider::Model> =
            providers.iter().filter(|p| p.id != demo_provider).collect();
        let mut calendar = Calendar::new(dutch_date(now));
        for (i, demo) in schedule(plan, others.len()).iter().enumerate() {
            let target = match demo.who {
                Who::Linde => providers.iter().find(|p| p.id == demo_provider),
                Who::Nth(n) => others.get(n).copied(),
            };
            let Some(target) = target else { continue };
            let day = calendar.book(demo.day);
            let (hour, minute, hours) = SLOTS[i % SLOTS.len()];
            let starts_at = local(day, hour, minute);
            let times = (starts_at, starts_at + Duration::hours(hours));
            let seed = ((r as u64) << 32) | i as u64;
            let made = insert_visit(db, &framework, &inspector, target, demo, times, now).await?;
            if matches!(demo.reason, Reason::Signaal | Reason::Calamiteit) {
                link_signal(db, &made).await?;
            }
            if demo.reason == Reason::Heronderzoek {
                link_follow_up(db, &made, now).await?;
            }
            if let Outcome::Done { niet, deels, stage } = demo.outcome {
                let ratings = ratings_for(&framework, seed, niet, deels);
                insert_ratings(db, &made, &ratings).await?;
                super::demo_reports::insert(db, &framework, &made, &ratings, stage, seed, now)
                    .await?;
            }
        }
    }
    Ok(())
}

/// The table's visits, then one routine visit to every other provider of the region except
/// those meant never to be visited, spread evenly over the past three years.
fn schedule(plan: &RegionPlan, providers: usize) -> Vec<DemoVisit> {
    let visited: BTreeSet<usize> = plan
        .visits
        .iter()
        .filter(|v| matches!(v.outcome, Outcome::Done { .. }))
        .filter_map(|v| match v.who {
            Who::Nth(n) => Some(n),
            Who::Linde => None,
        })
        .collect();
    let rest: Vec<usize> = (0..providers)
        .filter(|n| !visited.contains(n) && !plan.never.contains(n))
        .collect();
    let (first, last) = ROUTINE_SPAN;
    let step = (last - first) / (rest.len().max(2) as i64 - 1);
    let mut all = plan.visits.to_vec();
    for (k, n) in rest.into_iter().enumerate() {
        all.push(DemoVisit {
            who: Who::Nth(n),
            day: first + step * k as i64,
            announced: k % 5 != 3,
            reason: Reason::Proactief,
            outcome: Outcome::Done {
                niet: [0, 1, 0, 2, 1, 0, 1][k % 7],
                deels: [1, 2, 3, 1, 0, 2, 2][k % 7],
                stage: Stage::Final {
                    response: k % 4 != 2,
                },
            },
        });
    }
    all
}

/// The inspector's diary: one visit a day, so no two visits of the inspector overlap (the
/// double-booking rule), and never on a weekend or a national holiday.
struct Calendar {
    today: NaiveDate,
    taken: BTreeSet<NaiveDate>,
}

impl Calendar {
    fn new(today: NaiveDate) -> Self {
        Calendar {
            today,
            taken: BTreeSet::new(),
        }
    }

    /// The first free working day from `day` days from today, moving away from today, so a
    /// past visit stays in the past and a planned one in the future.
    fn book(&mut self, day: i64) -> NaiveDate {
        let step = Duration::days(if day < 0 { -1 } else { 1 });
        let offset = if day < 0 { day } else { day.max(1) };
        let mut date = self.today + Duration::days(offset);
        while !is_working_day(date) || self.taken.contains(&date) {
            date += step;
        }
        self.taken.insert(date);
        date
    }
}

/// A moment on a Dutch working day, in Dutch local time.
pub fn local(date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let naive = date.and_hms_opt(hour, minute, 0).unwrap_or_default();
    // Office hours never fall in the night-time hour that summer time skips or repeats.
    Amsterdam
        .from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
}

/// The same, on the first working day from `date`.
pub fn office(mut date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    while !is_working_day(date) {
        date += Duration::days(1);
    }
    local(date, hour, minute)
}

async fn insert_visit<C: ConnectionTrait>(
    db: &C,
    framework: &FrameworkDoc,
    inspector: &user::Model,
    target: &provider::Model,
    demo: &DemoVisit,
    (starts_at, ends_at): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> AppResult<visit::Model> {
    // Announced visits are planned weeks ahead, unannounced ones shortly before.
    let lead = Duration::days(if demo.announced { 21 } else { 6 });
    let created_at = (starts_at - lead).min(now - Duration::days(2));
    let (status, updated_at) = match demo.outcome {
        Outcome::Planned => (VisitStatus::Gepland, created_at),
        Outcome::Cancelled => (VisitStatus::Geannuleerd, starts_at - Duration::days(2)),
        Outcome::Done { .. } => (VisitStatus::Uitgevoerd, ends_at + Duration::minutes(20)),
    };
    let made = visit::ActiveModel {
        id: Set(Uuid::new_v4()),
        provider_id: Set(target.id),
        region_code: Set(target.region_code.clone()),
        framework_version_id: Set(framework.id),
        starts_at: Set(starts_at),
        ends_at: Set(ends_at),
        announced: Set(demo.announced),
        reason: Set(demo.reason.as_str().into()),
        status: Set(status.as_str().into()),
        created_by: Set(Some(inspector.id)),
        created_at: Set(created_at),
        updated_at: Set(updated_at.max(created_at)),
    }
    .insert(db)
    .await?;
    visit_inspector::ActiveModel {
        visit_id: Set(made.id),
        inspector_id: Set(inspector.id),
    }
    .insert(db)
    .await?;
    Ok(made)
}

/// A heronderzoek re-examines the improvement points of the provider's previous report: a
/// past one all of them (they were open then), a planned one those still open.
async fn link_follow_up<C: ConnectionTrait>(
    db: &C,
    made: &visit::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let Some(previous) = report::Entity::find()
        .filter(report::Column::ProviderId.eq(made.provider_id))
        .filter(report::Column::CreatedAt.lt(made.starts_at))
        .order_by_desc(report::Column::CreatedAt)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let mut points = improvement_point::Entity::find()
        .filter(improvement_point::Column::ReportId.eq(previous.id));
    if made.starts_at > now {
        points = points.filter(improvement_point::Column::Status.eq("open"));
    }
    let links: Vec<visit_improvement_point::ActiveModel> = points
        .all(db)
        .await?
        .into_iter()
        .map(|p| visit_improvement_point::ActiveModel {
            visit_id: Set(made.id),
            improvement_point_id: Set(p.id),
        })
        .collect();
    if !links.is_empty() {
        visit_improvement_point::Entity::insert_many(links)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Links the provider's latest signal from before the visit, both ways: the visit lists it
/// (`visit_signals`) and the signal points at the visit (`signals.visit_id`).
async fn link_signal<C: ConnectionTrait>(db: &C, made: &visit::Model) -> AppResult<()> {
    let Some(found) = signal::Entity::find()
        .filter(signal::Column::ProviderId.eq(made.provider_id))
        .filter(signal::Column::ReceivedAt.lt(made.starts_at))
        .order_by_desc(signal::Column::ReceivedAt)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    visit_signal::ActiveModel {
        visit_id: Set(made.id),
        signal_id: Set(found.id),
    }
    .insert(db)
    .await?;
    if found.visit_id.is_none() {
        let mut linked = found.into_active_model();
        linked.visit_id = Set(Some(made.id));
        linked.update(db).await?;
    }
    Ok(())
}

async fn insert_ratings<C: ConnectionTrait>(
    db: &C,
    made: &visit::Model,
    ratings: &[DemoRating],
) -> AppResult<()> {
    visit_rating::Entity::insert_many(ratings.iter().map(|(code, rating, finding)| {
        visit_rating::ActiveModel {
            visit_id: Set(made.id),
            criterion_code: Set(code.clone()),
            rating: Set(rating.as_str().into()),
            finding: Set(finding.map(str::to_string)),
            updated_at: Set(made.updated_at),
        }
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Timelike, Weekday};

    use super::*;

    #[test]
    fn the_calendar_books_one_working_day_each_on_the_right_side_of_today() {
        // A Saturday, so the first candidates on both sides are weekend days.
        let today = NaiveDate::from_ymd_opt(2026, 12, 26).unwrap();
        let mut calendar = Calendar::new(today);
        let days: Vec<NaiveDate> = [-1, -1, -2, 0, 1, 1, 3].map(|d| calendar.book(d)).to_vec();
        for (d, booked) in [-1, -1, -2, 0, 1, 1, 3].iter().zip(&days) {
            assert!(is_working_day(*booked), "{booked}");
            assert_eq!(*d < 0, *booked < today, "{d} → {booked}");
        }
        let unique: BTreeSet<_> = days.iter().collect();
        assert_eq!(unique.len(), days.len(), "one visit a day");
        assert_eq!(days[0].weekday(), Weekday::Thu, "Christmas is skipped");
    }

    #[test]
    fn office_hours_are_dutch_local_time_in_summer_and_winter() {
        let winter = local(NaiveDate::from_ymd_opt(2026, 1, 12).unwrap(), 9, 0);
        let summer = local(NaiveDate::from_ymd_opt(2026, 7, 13).unwrap(), 9, 0);
        assert_eq!((winter.hour(), summer.hour()), (8, 7));
    }

    #[test]
    fn every_provider_but_the_never_visited_ones_gets_a_completed_visit() {
        for plan in &REGIONS {
            let all = schedule(plan, 22);
            for n in 0..22 {
                let done = all
                    .iter()
                    .any(|v| v.who == Who::Nth(n) && matches!(v.outcome, Outcome::Done { .. }));
                assert_eq!(done, !plan.never.contains(&n), "{} provider {n}", plan.code);
            }
            assert!(
                all.iter()
                    .all(|v| !matches!(v.who, Who::Nth(n) if plan.never.contains(&n)))
            );
        }
    }
}
