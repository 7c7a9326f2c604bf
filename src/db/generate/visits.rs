//! Ten years of visits, evenly spread over working days: mostly completed (a rating for every
//! criterion of the current framework), some cancelled, and an agenda for the coming eight weeks.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{DatabaseConnection, Set};
use uuid::Uuid;

use super::batch::Batches;
use super::people::Staff;
use super::providers::Registered;
use super::rng::Rng;
use super::{Scale, Span};
use crate::db::demo_visits::local;
use crate::db::entities::{visit, visit_inspector, visit_rating};
use crate::domain::working_days::is_working_day;
use crate::error::AppResult;
use crate::framework::domain::Rating;
use crate::visits::rules::{Reason, VisitStatus};

/// A completed visit, for its report.
pub struct Done {
    pub id: Uuid,
    pub provider_id: Uuid,
    pub region: String,
    pub framework_version_id: Uuid,
    pub day: NaiveDate,
    pub ends_at: DateTime<Utc>,
    /// Criteria rated (partly) not met.
    pub unmet: usize,
}

/// Share of visits still to come (per mille).
const FUTURE_PER_MILLE: usize = 30;

pub async fn write(
    db: &DatabaseConnection,
    scale: Scale,
    seed: u64,
    span: &Span,
    register: &[Registered],
    staff: &Staff,
    rows: &mut Vec<(&'static str, u64)>,
) -> AppResult<Vec<Done>> {
    let framework = crate::framework::queries::current(db).await?;
    let criteria: Vec<String> = framework.criteria().map(|(_, c)| c.code.clone()).collect();
    let mut rng = Rng::new(seed, 3);
    let future = scale.visits * FUTURE_PER_MILLE / 1000;
    let past = scale.visits - future;
    let mut planned = Vec::with_capacity(scale.visits);
    let mut visits = Batches::new(db, "visits", 12);
    for i in 0..scale.visits {
        let day = if i < past {
            let day = span.first + Duration::days(i as i64 * span.days() / past as i64);
            working_day(day, span.today - Duration::days(1))
        } else {
            let ahead = 1 + ((i - past) * 56 / future.max(1)) as i64;
            working_day(
                span.today + Duration::days(ahead),
                span.today + Duration::days(90),
            )
        };
        let target = rng.pick(register);
        let status = if i >= past {
            VisitStatus::Gepland
        } else if rng.chance(40) {
            VisitStatus::Geannuleerd
        } else {
            VisitStatus::Uitgevoerd
        };
        let reason = rng.weighted(&[
            (75, Reason::Proactief),
            (12, Reason::Signaal),
            (5, Reason::Calamiteit),
            (8, Reason::Heronderzoek),
        ]);
        let (hour, minute, hours) = *rng.pick(&[(9, 0, 3), (9, 30, 2), (10, 0, 3), (13, 0, 3)]);
        let starts_at = local(day, hour, minute);
        let ends_at = starts_at + Duration::hours(hours);
        let created_at = starts_at - Duration::days(14 + rng.below(28) as i64);
        let inspector = staff.inspector(&target.region, &mut rng);
        let id = rng.uuid();
        visits
            .push(visit::ActiveModel {
                id: Set(id),
                provider_id: Set(target.id),
                region_code: Set(target.region.clone()),
                framework_version_id: Set(framework.id),
                starts_at: Set(starts_at),
                ends_at: Set(ends_at),
                announced: Set(reason == Reason::Proactief && !rng.chance(150)),
                reason: Set(reason.as_str().into()),
                status: Set(status.as_str().into()),
                created_by: Set(inspector),
                created_at: Set(created_at),
                updated_at: Set(if status == VisitStatus::Gepland {
                    created_at
                } else {
                    ends_at
                }),
            })
            .await?;
        planned.push((id, target, status, day, ends_at, inspector));
    }
    rows.push(("visits", visits.finish().await?));

    let mut inspectors = Batches::new(db, "visit_inspectors", 2);
    for (visit_id, _, _, _, _, inspector) in &planned {
        if let Some(inspector_id) = inspector {
            inspectors
                .push(visit_inspector::ActiveModel {
                    visit_id: Set(*visit_id),
                    inspector_id: Set(*inspector_id),
                })
                .await?;
        }
    }
    rows.push(("visit_inspectors", inspectors.finish().await?));

    let mut done = Vec::new();
    let mut ratings = Batches::new(db, "visit_ratings", 5);
    for (visit_id, target, status, day, ends_at, _) in planned {
        if status != VisitStatus::Uitgevoerd {
            continue;
        }
        let mut unmet = 0;
        for code in &criteria {
            let rating = rate(&mut rng, target.quality);
            let finding = match rating {
                Rating::Voldoet => None,
                Rating::VoldoetDeels | Rating::VoldoetNiet => {
                    unmet += 1;
                    Some(format!(
                        "Bij {code} is de werkwijze niet (volledig) aantoonbaar."
                    ))
                }
                _ => Some("Niet beoordeeld tijdens dit bezoek.".to_string()),
            };
            ratings
                .push(visit_rating::ActiveModel {
                    visit_id: Set(visit_id),
                    criterion_code: Set(code.clone()),
                    rating: Set(rating.as_str().into()),
                    finding: Set(finding),
                    updated_at: Set(ends_at),
                })
                .await?;
        }
        done.push(Done {
            id: visit_id,
            provider_id: target.id,
            region: target.region.clone(),
            framework_version_id: framework.id,
            day,
            ends_at,
            unmet,
        });
    }
    rows.push(("visit_ratings", ratings.finish().await?));
    Ok(done)
}

/// Poorer providers (higher `quality`) have more criteria (partly) not met.
fn rate(rng: &mut Rng, quality: u8) -> Rating {
    let poor = u64::from(quality);
    rng.weighted(&[
        (900 - 4 * poor, Rating::Voldoet),
        (50 + 2 * poor, Rating::VoldoetDeels),
        (20 + 2 * poor, Rating::VoldoetNiet),
        (20, Rating::Nvt),
        (10, Rating::NietBeoordeeld),
    ])
}

/// `day` or the first working day after it, but never after `last` (then the working day before).
fn working_day(mut day: NaiveDate, last: NaiveDate) -> NaiveDate {
    while !is_working_day(day) {
        day += Duration::days(1);
    }
    while day > last || !is_working_day(day) {
        day -= Duration::days(1);
    }
    day
}
