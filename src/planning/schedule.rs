//! One-click planning: an announced routine visit for the signed-in inspector in a proposed
//! week, on the first working day with a free morning.
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use crate::app::AppState;
use crate::audit::Actor;
use crate::db::entities::{provider, visit};
use crate::domain::local_time::{local_to_utc, monday_of};
use crate::domain::working_days::{dutch_date, is_working_day};
use crate::error::{AppError, AppResult};
use crate::visits::notify::Notifier;
use crate::visits::plan::{self, NewVisit, Plan};
use crate::visits::rules::Reason;
use crate::web::current_user::CurrentUser;

/// The morning the one-click planning books (Dutch time); the inspector can move it afterwards.
const MORNING: (u32, u32) = (9, 12);

/// The days of the week of `week_start` to try, in order: working days, from tomorrow on
/// (a visit today or in the past cannot be announced any more).
pub fn days_to_try(week_start: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
    let monday = monday_of(week_start);
    (0..5)
        .map(|i| monday + Duration::days(i))
        .filter(|day| *day > today && is_working_day(*day))
        .collect()
}

fn morning_of(day: NaiveDate) -> AppResult<(DateTime<Utc>, DateTime<Utc>)> {
    let at = |hour| {
        let time = NaiveTime::from_hms_opt(hour, 0, 0)
            .ok_or_else(|| AppError::internal("invalid planning hour"))?;
        local_to_utc(day, time).map_err(|_| AppError::internal("planning hour does not exist"))
    };
    Ok((at(MORNING.0)?, at(MORNING.1)?))
}

/// Plans the visit through `plan::create`, so the double-booking rule applies: a day on which
/// the inspector is already booked that morning is skipped. `None` when the week has no free
/// morning left.
pub async fn in_week(
    state: &AppState,
    user: &CurrentUser,
    provider: &provider::Model,
    week_start: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Option<visit::Model>> {
    let notifier = Notifier::of(state);
    let actor = Actor::from(user);
    for day in days_to_try(week_start, dutch_date(now)) {
        let (starts_at, ends_at) = morning_of(day)?;
        let new = NewVisit {
            plan: Plan {
                inspector_ids: vec![user.id],
                starts_at,
                ends_at,
            },
            announced: true,
            reason: Reason::Proactief,
            signal_ids: Vec::new(),
            report_id: None,
        };
        match plan::create(&state.db, &notifier, &actor, provider, new).await {
            Ok(created) => return Ok(Some(created)),
            Err(AppError::Conflict(_)) => continue,
            Err(other) => return Err(other),
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn skips_weekends_holidays_and_days_not_after_today() {
        // Week of Koningsdag (Monday 27 April 2026).
        let days = days_to_try(d(2026, 4, 29), d(2026, 4, 1));
        assert_eq!(
            days,
            vec![
                d(2026, 4, 28),
                d(2026, 4, 29),
                d(2026, 4, 30),
                d(2026, 5, 1)
            ]
        );
        assert_eq!(
            days_to_try(d(2026, 4, 27), d(2026, 4, 30)),
            vec![d(2026, 5, 1)]
        );
    }

    #[test]
    fn books_nine_to_twelve_dutch_time() {
        let (start, end) = morning_of(d(2026, 7, 1)).unwrap();
        assert_eq!(start.to_rfc3339(), "2026-07-01T07:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-07-01T10:00:00+00:00");
    }
}
