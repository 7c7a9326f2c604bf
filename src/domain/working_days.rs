//! Working days (DOMAIN.md "Deadlines"): Monday to Friday, except Dutch national holidays.
//! Deadlines are calendar dates in Europe/Amsterdam; the deadline day itself still counts.
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Amsterdam;

/// Easter Sunday (Gregorian calendar; the anonymous "Meeus/Jones/Butcher" algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("computus yields a valid date")
}

/// The Dutch national holidays of `year`, with their names.
pub fn holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let date = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("fixed holiday date exists");
    let easter = easter_sunday(year);
    let kings_day = if date(4, 27).weekday() == Weekday::Sun {
        date(4, 26)
    } else {
        date(4, 27)
    };
    vec![
        (date(1, 1), "Nieuwjaarsdag"),
        (easter - Duration::days(2), "Goede Vrijdag"),
        (easter, "Eerste Paasdag"),
        (easter + Duration::days(1), "Tweede Paasdag"),
        (kings_day, "Koningsdag"),
        (date(5, 5), "Bevrijdingsdag"),
        (easter + Duration::days(39), "Hemelvaartsdag"),
        (easter + Duration::days(49), "Eerste Pinksterdag"),
        (easter + Duration::days(50), "Tweede Pinksterdag"),
        (date(12, 25), "Eerste Kerstdag"),
        (date(12, 26), "Tweede Kerstdag"),
    ]
}

pub fn is_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
        && !holidays(day.year())
            .iter()
            .any(|(holiday, _)| *holiday == day)
}

/// The `n`-th working day after `start` (`start` itself never counts).
pub fn add_working_days(start: NaiveDate, n: u32) -> NaiveDate {
    let mut day = start;
    let mut counted = 0;
    while counted < n {
        day += Duration::days(1);
        if is_working_day(day) {
            counted += 1;
        }
    }
    day
}

/// The `n`-th working day before `end` (`end` itself never counts): the mirror of
/// [`add_working_days`], for "n working days ahead of a deadline".
pub fn sub_working_days(end: NaiveDate, n: u32) -> NaiveDate {
    let mut day = end;
    let mut counted = 0;
    while counted < n {
        day -= Duration::days(1);
        if is_working_day(day) {
            counted += 1;
        }
    }
    day
}

/// The calendar date in the Netherlands at a moment.
pub fn dutch_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Amsterdam).date_naive()
}

/// Dutch midnight at the start of `day`, in UTC (midnight always exists in Europe/Amsterdam:
/// the clocks change at night, not at midnight).
pub fn dutch_midnight(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Amsterdam
        .from_local_datetime(&local)
        .earliest()
        .map_or_else(|| local.and_utc(), |at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_dates_match_the_calendar() {
        for (year, month, day) in [
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2285, 3, 22),
        ] {
            assert_eq!(easter_sunday(year), d(year, month, day), "{year}");
        }
    }

    #[test]
    fn the_2026_holidays() {
        let days: Vec<NaiveDate> = holidays(2026).into_iter().map(|(day, _)| day).collect();
        assert_eq!(
            days,
            [
                d(2026, 1, 1),
                d(2026, 4, 3),
                d(2026, 4, 5),
                d(2026, 4, 6),
                d(2026, 4, 27),
                d(2026, 5, 5),
                d(2026, 5, 14),
                d(2026, 5, 24),
                d(2026, 5, 25),
                d(2026, 12, 25),
                d(2026, 12, 26)
            ]
        );
    }

    #[test]
    fn kings_day_moves_to_the_26th_when_the_27th_is_a_sunday() {
        assert!(
            holidays(2025).contains(&(d(2025, 4, 26), "Koningsdag")),
            "27 April 2025 is a Sunday"
        );
        assert!(holidays(2031).contains(&(d(2031, 4, 26), "Koningsdag")));
        assert!(holidays(2027).contains(&(d(2027, 4, 27), "Koningsdag")));
        // 2027: Koningsdag on a Tuesday. Monday + 3 working days skips it.
        assert_eq!(add_working_days(d(2027, 4, 26), 3), d(2027, 4, 30));
    }

    #[test]
    fn three_working_days_around_christmas() {
        // Thursday 24 December 2026: Friday 25 and Saturday 26 are Christmas, then the weekend.
        assert_eq!(add_working_days(d(2026, 12, 24), 3), d(2026, 12, 30));
        // Wednesday 23 December: Thursday 24 counts, then Monday 28 and Tuesday 29.
        assert_eq!(add_working_days(d(2026, 12, 23), 3), d(2026, 12, 29));
        // Across New Year: Wednesday 30 December → Thursday 31, Friday 2 January, Monday 5 January.
        assert_eq!(add_working_days(d(2026, 12, 30), 3), d(2027, 1, 5));
    }

    #[test]
    fn three_working_days_around_easter() {
        // Easter 2027 is 28 March: Good Friday 26, Easter Monday 29.
        assert_eq!(add_working_days(d(2027, 3, 25), 3), d(2027, 4, 1));
        // Received on Good Friday itself.
        assert_eq!(add_working_days(d(2027, 3, 26), 3), d(2027, 4, 1));
    }

    #[test]
    fn weekends_and_ten_day_response_periods() {
        // Received on a Saturday: Monday, Tuesday, Wednesday.
        assert_eq!(add_working_days(d(2026, 11, 21), 3), d(2026, 11, 25));
        // Friday + 3 → Wednesday.
        assert_eq!(add_working_days(d(2026, 11, 20), 3), d(2026, 11, 25));
        // 10 working days from Monday 20 April 2026 skip Koningsdag (27 April) and
        // Bevrijdingsdag (5 May): 21, 22, 23, 24, 28, 29, 30 April, 1, 4, 6 May.
        assert_eq!(add_working_days(d(2026, 4, 20), 10), d(2026, 5, 6));
    }

    #[test]
    fn counting_back_mirrors_counting_forward() {
        // Tuesday 30 March 2027, the day after Easter Monday: back over Easter and Good Friday.
        assert_eq!(sub_working_days(d(2027, 3, 30), 3), d(2027, 3, 23));
        // Monday 30 November 2026: back over the weekend.
        assert_eq!(sub_working_days(d(2026, 11, 30), 3), d(2026, 11, 25));
        for start in [d(2026, 12, 23), d(2027, 3, 25), d(2027, 4, 26)] {
            assert_eq!(sub_working_days(add_working_days(start, 10), 10), start);
        }
    }

    #[test]
    fn the_dutch_date_of_a_late_evening_moment_is_the_next_day_in_utc_terms() {
        let late: DateTime<Utc> = "2026-12-23T23:30:00Z".parse().unwrap();
        assert_eq!(dutch_date(late), d(2026, 12, 24));
    }
}
