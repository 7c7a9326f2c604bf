//! Times as inspectors type and read them: a date and a clock time in the Netherlands
//! (Europe/Amsterdam), stored as UTC. Forms send `2026-11-24` and `09:30` (the browser's date
//! and time inputs) but a person may also type `24-11-2026` or `9.30`.
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;

const WEEKDAYS: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];

/// A date as `2026-11-24` or `24-11-2026` (also with `/` or `.`).
pub fn parse_date(input: &str) -> Result<NaiveDate, &'static str> {
    let input = input.trim();
    if input.is_empty() {
        return Err("Vul een datum in.");
    }
    let normalised = input.replace(['/', '.'], "-");
    let parts: Vec<&str> = normalised.split('-').collect();
    // chrono reads `%Y` as any number of digits (and a sign): `24-11-26` would be the year 26.
    let year_first = parts.first().is_some_and(|p| p.len() == 4);
    let year_last = parts.last().is_some_and(|p| p.len() == 4);
    let all_digits = parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let date = if !all_digits {
        None
    } else if year_first {
        NaiveDate::parse_from_str(&normalised, "%Y-%m-%d").ok()
    } else if year_last {
        NaiveDate::parse_from_str(&normalised, "%d-%m-%Y").ok()
    } else {
        return Err("Schrijf het jaar met vier cijfers, zoals 24-11-2026.");
    };
    let date = date.ok_or("Vul een bestaande datum in, zoals 24-11-2026.")?;
    if !(YEARS.0..=YEARS.1).contains(&date.year()) {
        return Err("Vul een datum tussen 2000 en 2100 in.");
    }
    Ok(date)
}

/// The years a visit can lie in: supervision records go back to the Wmo 2015 at most, and far
/// future dates are typing errors.
pub const YEARS: (i32, i32) = (2000, 2100);

/// A clock time as `09:30`, `9:30` or `9.30`.
pub fn parse_time(input: &str) -> Result<NaiveTime, &'static str> {
    let input = input.trim();
    if input.is_empty() {
        return Err("Vul een tijd in.");
    }
    NaiveTime::parse_from_str(&input.replace('.', ":"), "%H:%M")
        .map_err(|_| "Vul een tijd in als uren en minuten, zoals 09:30.")
}

/// The moment a Dutch date and clock time stand for. In the autumn hour that happens twice the
/// first one is meant; the spring hour that does not exist is refused.
pub fn local_to_utc(date: NaiveDate, time: NaiveTime) -> Result<DateTime<Utc>, &'static str> {
    match Amsterdam.from_local_datetime(&date.and_time(time)) {
        LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err("Die tijd bestaat niet: de klok gaat dan een uur vooruit."),
    }
}

/// The Dutch date and clock time of a moment, as the form fields show them.
pub fn to_local_fields(at: DateTime<Utc>) -> (String, String) {
    let local = at.with_timezone(&Amsterdam);
    (
        local.format("%Y-%m-%d").to_string(),
        local.format("%H:%M").to_string(),
    )
}

/// `09:30` in Dutch time.
pub fn clock_nl(at: DateTime<Utc>) -> String {
    at.with_timezone(&Amsterdam).format("%H:%M").to_string()
}

/// The Monday of the week a date falls in.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// The start (Monday 00:00) and end (next Monday 00:00) of the Dutch week of `monday`, in UTC.
pub fn week_bounds(monday: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let midnight = |d: NaiveDate| {
        local_to_utc(d, NaiveTime::MIN).unwrap_or_else(|_| d.and_time(NaiveTime::MIN).and_utc())
    };
    (midnight(monday), midnight(monday + Duration::days(7)))
}

/// `maandag`, `dinsdag`, …
pub fn weekday_nl(date: NaiveDate) -> &'static str {
    WEEKDAYS[date.weekday().num_days_from_monday() as usize]
}

/// The ISO week number, as Dutch calendars show it.
pub fn week_number(date: NaiveDate) -> u32 {
    date.iso_week().week()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn dates_are_read_in_the_forms_people_type() {
        assert_eq!(parse_date("2026-11-24"), Ok(d(2026, 11, 24)));
        assert_eq!(parse_date(" 24-11-2026 "), Ok(d(2026, 11, 24)));
        assert_eq!(parse_date("24/11/2026"), Ok(d(2026, 11, 24)));
        assert!(parse_date("31-11-2026").is_err());
        assert_eq!(
            parse_date("24-11-26"),
            Err("Schrijf het jaar met vier cijfers, zoals 24-11-2026.")
        );
        assert!(parse_date("-262143-01-01").is_err());
        assert!(parse_date("+262142-12-31").is_err());
        assert_eq!(
            parse_date("01-01-1850"),
            Err("Vul een datum tussen 2000 en 2100 in.")
        );
        assert_eq!(parse_date(""), Err("Vul een datum in."));
    }

    #[test]
    fn times_accept_a_dot_or_a_colon() {
        assert_eq!(parse_time("9:30"), Ok(t(9, 30)));
        assert_eq!(parse_time("09.30"), Ok(t(9, 30)));
        assert!(parse_time("25:00").is_err());
        assert!(parse_time("half tien").is_err());
    }

    #[test]
    fn dutch_clock_times_become_utc_in_winter_and_summer() {
        assert_eq!(
            local_to_utc(d(2026, 12, 1), t(10, 0)).unwrap().to_rfc3339(),
            "2026-12-01T09:00:00+00:00"
        );
        assert_eq!(
            local_to_utc(d(2027, 6, 1), t(10, 0)).unwrap().to_rfc3339(),
            "2027-06-01T08:00:00+00:00"
        );
    }

    #[test]
    fn the_missing_spring_hour_is_refused_and_the_double_autumn_hour_is_the_first() {
        assert!(local_to_utc(d(2027, 3, 28), t(2, 30)).is_err());
        assert_eq!(
            local_to_utc(d(2026, 10, 25), t(2, 30))
                .unwrap()
                .to_rfc3339(),
            "2026-10-25T00:30:00+00:00"
        );
    }

    #[test]
    fn a_week_runs_from_monday_to_monday_in_dutch_time() {
        assert_eq!(monday_of(d(2026, 11, 22)), d(2026, 11, 16));
        assert_eq!(monday_of(d(2026, 11, 23)), d(2026, 11, 23));
        let (start, end) = week_bounds(d(2026, 11, 23));
        assert_eq!(start.to_rfc3339(), "2026-11-22T23:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-11-29T23:00:00+00:00");
        assert_eq!(weekday_nl(d(2026, 11, 22)), "zondag");
        assert_eq!(week_number(d(2026, 11, 23)), 48);
        assert_eq!(
            to_local_fields("2027-06-01T08:00:00Z".parse().unwrap()),
            ("2027-06-01".to_string(), "10:00".to_string())
        );
    }
}
