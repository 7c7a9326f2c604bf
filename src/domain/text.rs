//! Small helpers for text that people read (in Dutch).
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// `5 januari 2027`.
pub fn date_nl(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// `16 november`: a date within a week or year that is already named.
pub fn day_month_nl(date: NaiveDate) -> String {
    format!("{} {}", date.day(), MONTHS[date.month0() as usize])
}

/// The Dutch calendar day of a moment: `22 november 2026`.
pub fn day_nl(at: DateTime<Utc>) -> String {
    date_nl(at.with_timezone(&Amsterdam).date_naive())
}

/// `22 november 2026, 19:05`, in Dutch local time (CET/CEST).
pub fn datetime_nl(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Amsterdam);
    format!("{}, {}", date_nl(local.date_naive()), local.format("%H:%M"))
}

/// A waiting time in words: "45 seconden", "1 minuut", "12 minuten".
pub fn duration_nl(secs: u64) -> String {
    match secs {
        0..=59 => format!("{secs} seconden"),
        60..=119 => "1 minuut".into(),
        _ => format!("{} minuten", secs.div_ceil(60)),
    }
}

/// A score as Dutch people write it: `62,5%`, or a dash when nothing was assessed.
pub fn percent_nl(pct: Option<f64>) -> String {
    match pct {
        Some(p) => format!("{}%", format!("{p:.1}").replace('.', ",").replace(",0", "")),
        None => "–".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_use_a_decimal_comma_and_drop_a_zero_tenth() {
        assert_eq!(percent_nl(Some(62.5)), "62,5%");
        assert_eq!(percent_nl(Some(100.0)), "100%");
        assert_eq!(percent_nl(Some(40.0)), "40%");
        assert_eq!(percent_nl(None), "–");
    }

    #[test]
    fn dates_are_written_the_dutch_way_in_dutch_time() {
        assert_eq!(
            date_nl(NaiveDate::from_ymd_opt(2027, 1, 5).unwrap()),
            "5 januari 2027"
        );
        let winter: DateTime<Utc> = "2026-11-22T18:05:00Z".parse().unwrap();
        assert_eq!(datetime_nl(winter), "22 november 2026, 19:05");
        let summer: DateTime<Utc> = "2026-07-01T22:30:00Z".parse().unwrap();
        assert_eq!(
            datetime_nl(summer),
            "2 juli 2026, 00:30",
            "CEST, across midnight"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_nl(45), "45 seconden");
        assert_eq!(duration_nl(60), "1 minuut");
        assert_eq!(duration_nl(61), "1 minuut");
        assert_eq!(duration_nl(120), "2 minuten");
        assert_eq!(duration_nl(899), "15 minuten");
    }
}
