//! How long a computed risk score stays true when nothing is written: the score depends on the
//! date and time through three of its inputs, each of which changes at a moment known in advance.
//! A kept score (`risk::stored`) is used only until the earliest of them.
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};

use crate::domain::working_days::dutch_midnight;
use crate::risk::score::RiskInputs;

/// What the inputs alone do not say about the moments the score will change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Horizon {
    /// The earliest `received_at` of the signals counted now: they leave the 12 months one by
    /// one, the earliest first.
    pub first_counted_signal: Option<DateTime<Utc>>,
    /// The earliest `received_at` still ahead (a signal filed by an instance whose clock runs
    /// ahead): it starts to count then.
    pub next_future_signal: Option<DateTime<Utc>>,
    /// The earliest due date of the open improvement points (of reports sent to the provider)
    /// that are not overdue yet: the day after it, the point is overdue.
    pub next_point_due: Option<NaiveDate>,
}

/// No kept score lives longer than this, even when no input would change it: a day's
/// recomputation of every provider is cheap, and it bounds the effect of any dependency on time
/// this module would have missed.
pub const LONGEST: Duration = Duration::hours(24);

/// The moment after `now` at which `inputs` (as of `now`) would give another score or another
/// explanation without any write: the earliest of a counted signal turning 12 months old, a
/// signal's time arriving, a point passing its due date, the next anniversary of the last visit
/// (the years since it are shown), and `now` + [`LONGEST`].
pub fn valid_until(inputs: &RiskInputs, horizon: &Horizon, now: DateTime<Utc>) -> DateTime<Utc> {
    let mut until = now + LONGEST;
    let mut earlier = |at: Option<DateTime<Utc>>| {
        if let Some(at) = at {
            until = until.min(at);
        }
    };
    earlier(
        horizon
            .first_counted_signal
            .and_then(|received| stops_counting(received, now)),
    );
    earlier(leap_day_within(now));
    earlier(horizon.next_future_signal);
    earlier(
        horizon
            .next_point_due
            .and_then(|due| due.succ_opt())
            .map(dutch_midnight),
    );
    if let Some(visit) = inputs.last_visit {
        let years = inputs.today.years_since(visit.on).unwrap_or(0);
        earlier(anniversary(visit.on, years + 1).map(dutch_midnight));
    }
    until
}

/// The first moment a signal received at `received` is no longer counted: the rule of
/// `risk::inputs` counts it while `received > now - 12 months`. That is 12 months later, except
/// for one received on 29 February: a year later there is no such day, and it stops counting
/// when 1 March begins.
pub fn leaves_the_twelve_months(received: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let year = Months::new(12);
    let later = received.checked_add_months(year)?;
    if later.checked_sub_months(year)? >= received {
        return Some(later);
    }
    Some(
        later
            .date_naive()
            .succ_opt()?
            .and_hms_opt(0, 0, 0)?
            .and_utc(),
    )
}

/// The first moment after `now` at which a signal counted at `now` stops counting. Usually
/// [`leaves_the_twelve_months`]; but on 29 February "12 months ago" is 28 February again, so a
/// signal of 28 February a year before, gone at that moment on the 28th, counts once more from
/// the start of the 29th until that moment on the 29th.
pub fn stops_counting(received: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let first = leaves_the_twelve_months(received)?;
    [first, first + Duration::days(1)]
        .into_iter()
        .find(|at| *at > now)
}

/// The start of 29 February (UTC, as the rule of `risk::inputs` computes) when it falls within
/// the next [`LONGEST`]: then "12 months ago" steps back a day, and signals that had stopped
/// counting the day before count again.
pub fn leap_day_within(now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let next = (now + LONGEST).date_naive();
    let leap = NaiveDate::from_ymd_opt(next.year(), 2, 29)?;
    let start = leap.and_hms_opt(0, 0, 0)?.and_utc();
    (start > now && start <= now + LONGEST).then_some(start)
}

/// The first day that lies `years` full years after `on` (as `NaiveDate::years_since` counts
/// them: for 29 February, 1 March in a year without one).
pub fn anniversary(on: NaiveDate, years: u32) -> Option<NaiveDate> {
    let day = on.checked_add_months(Months::new(12 * years))?;
    if day.years_since(on)? >= years {
        Some(day)
    } else {
        day.succ_opt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::score::LastVisit;
    use chrono::TimeZone;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn inputs(today: NaiveDate, last_visit: Option<NaiveDate>) -> RiskInputs {
        RiskInputs {
            today,
            signals_by_category: vec![],
            last_visit: last_visit.map(|on| LastVisit {
                on,
                met: 10,
                partly_met: 0,
                not_met: 0,
            }),
            overdue_points: 0,
            services: vec![],
        }
    }

    #[test]
    fn without_anything_that_ages_a_score_lives_a_day() {
        let now = at("2026-12-05T10:00:00Z");
        let until = valid_until(&inputs(d(2026, 12, 5), None), &Horizon::default(), now);
        assert_eq!(until, now + LONGEST);
    }

    #[test]
    fn the_earliest_counted_signal_ends_it_twelve_months_after_its_arrival() {
        let now = at("2026-12-05T10:00:00Z");
        let horizon = Horizon {
            first_counted_signal: Some(at("2025-12-05T15:30:00Z")),
            ..Horizon::default()
        };
        let until = valid_until(&inputs(d(2026, 12, 5), None), &horizon, now);
        assert_eq!(until, at("2026-12-05T15:30:00Z"));
    }

    /// The rule of `risk::inputs`: counted while received_at > now - 12 months.
    fn counted(received: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        received > now.checked_sub_months(Months::new(12)).unwrap()
    }

    #[test]
    fn a_signal_stops_counting_exactly_at_the_moment_given() {
        // Every 13 hours over two years, across a 29 February.
        let mut received = at("2027-12-31T23:00:00Z");
        for _ in 0..1400 {
            received += Duration::hours(13);
            let leaves = leaves_the_twelve_months(received).unwrap();
            assert!(
                counted(received, leaves - Duration::seconds(1)),
                "{received}"
            );
            assert!(
                !counted(received, leaves),
                "{received} still counted at {leaves}"
            );
        }
    }

    #[test]
    fn a_leap_day_signal_counts_until_the_first_of_march() {
        let received = at("2028-02-29T10:00:00Z");
        assert_eq!(
            leaves_the_twelve_months(received),
            Some(at("2029-03-01T00:00:00Z"))
        );
    }

    #[test]
    fn whether_a_signal_counts_does_not_change_before_the_moment_given() {
        // Moments every 7 hours through February and March of a leap year, signals received
        // around a year before them; whether each counts must stay as it is until `valid_until`.
        let mut now = at("2028-02-20T00:30:00Z");
        while now < at("2028-03-10T00:00:00Z") {
            let year_ago = now.checked_sub_months(Months::new(12)).unwrap();
            let mut received = year_ago - Duration::hours(50);
            while received < year_ago + Duration::hours(50) {
                let counts = counted(received, now);
                let horizon = Horizon {
                    first_counted_signal: counts.then_some(received),
                    ..Horizon::default()
                };
                let today = crate::domain::working_days::dutch_date(now);
                let until = valid_until(&inputs(today, None), &horizon, now);
                assert!(until > now);
                let mut t = now;
                while t < until {
                    assert_eq!(
                        counted(received, t),
                        counts,
                        "{received}: {now} .. {until} at {t}"
                    );
                    t += Duration::minutes(20);
                }
                let last = until - Duration::seconds(1);
                assert_eq!(counted(received, last), counts, "{received} at {last}");
                received += Duration::minutes(97);
            }
            now += Duration::hours(7);
        }
    }

    #[test]
    fn anniversaries_are_the_days_the_full_years_change() {
        let mut on = d(2023, 1, 1);
        while on < d(2029, 1, 1) {
            for years in 1..4 {
                let day = anniversary(on, years).unwrap();
                assert_eq!(day.years_since(on), Some(years), "{on} + {years}");
                assert_eq!(day.pred_opt().unwrap().years_since(on), Some(years - 1));
            }
            on = on.succ_opt().unwrap();
        }
        assert_eq!(anniversary(d(2024, 2, 29), 1), Some(d(2025, 3, 1)));
    }

    #[test]
    fn a_score_is_always_valid_for_a_while() {
        // From any moment, whatever the inputs, the moment given lies ahead (or the background
        // task would compute the same score again and again).
        let mut now = at("2027-12-31T23:00:00Z");
        for _ in 0..900 {
            now += Duration::hours(19);
            let today = crate::domain::working_days::dutch_date(now);
            let horizon = Horizon {
                first_counted_signal: now
                    .checked_sub_months(Months::new(12))
                    .map(|t| t + Duration::seconds(1)),
                next_future_signal: Some(now + Duration::seconds(1)),
                next_point_due: Some(today),
            };
            for back in [1, 365, 366, 730, 1461] {
                let visit = today - Duration::days(back);
                let until = valid_until(&inputs(today, Some(visit)), &horizon, now);
                assert!(until > now, "{now}: {until}");
            }
        }
    }

    #[test]
    fn a_future_signal_ends_it_when_it_arrives() {
        let now = at("2026-12-05T10:00:00Z");
        let horizon = Horizon {
            next_future_signal: Some(at("2026-12-05T10:00:02Z")),
            ..Horizon::default()
        };
        let until = valid_until(&inputs(d(2026, 12, 5), None), &horizon, now);
        assert_eq!(until, at("2026-12-05T10:00:02Z"));
    }

    #[test]
    fn a_point_becomes_overdue_at_dutch_midnight_after_its_due_date() {
        let now = at("2026-12-05T10:00:00Z");
        let horizon = Horizon {
            next_point_due: Some(d(2026, 12, 5)),
            ..Horizon::default()
        };
        let until = valid_until(&inputs(d(2026, 12, 5), None), &horizon, now);
        // 6 December 00:00 in Amsterdam (winter time) is 23:00 UTC the day before.
        assert_eq!(until, at("2026-12-05T23:00:00Z"));
    }

    #[test]
    fn the_years_since_the_last_visit_change_on_its_anniversary() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let visited = d(2023, 6, 10);
        let until = valid_until(
            &inputs(d(2026, 3, 1), Some(visited)),
            &Horizon::default(),
            now,
        );
        // Two full years on 1 March 2026, months before the third: a day, as without a visit.
        assert_eq!(until, now + LONGEST);
        // The day before the third anniversary: until Dutch midnight (summer time: 22:00 UTC).
        let near = Utc.with_ymd_and_hms(2026, 6, 9, 12, 0, 0).unwrap();
        let until = valid_until(
            &inputs(d(2026, 6, 9), Some(visited)),
            &Horizon::default(),
            near,
        );
        assert_eq!(until, at("2026-06-09T22:00:00Z"));
    }

    #[test]
    fn the_earliest_moment_wins() {
        let now = at("2026-12-05T10:00:00Z");
        let horizon = Horizon {
            first_counted_signal: Some(at("2025-12-05T12:00:00Z")),
            next_future_signal: Some(at("2026-12-05T11:00:00Z")),
            next_point_due: Some(d(2026, 12, 5)),
        };
        let until = valid_until(&inputs(d(2026, 12, 5), None), &horizon, now);
        assert_eq!(until, at("2026-12-05T11:00:00Z"));
    }
}
