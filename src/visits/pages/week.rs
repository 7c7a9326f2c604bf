//! The agenda's week: Monday to Friday always, a weekend day only when something is planned on
//! it (inspectors rarely visit then, and two empty columns would squeeze the working days).
use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::domain::local_time::weekday_nl;
use crate::domain::text::day_month_nl;

#[derive(Debug, Serialize)]
pub struct Day<T> {
    pub weekday: &'static str,
    pub date: String,
    pub today: bool,
    pub items: Vec<T>,
}

/// The days of the week starting at `monday`, each with its items in the order given.
pub fn days<T>(monday: NaiveDate, today: NaiveDate, items: Vec<(NaiveDate, T)>) -> Vec<Day<T>> {
    let mut days: Vec<(NaiveDate, Vec<T>)> = (0..7)
        .map(|i| (monday + Duration::days(i), Vec::new()))
        .collect();
    for (date, item) in items {
        if let Some((_, list)) = days.iter_mut().find(|(d, _)| *d == date) {
            list.push(item);
        }
    }
    days.into_iter()
        .enumerate()
        .filter(|(i, (_, items))| *i < 5 || !items.is_empty())
        .map(|(_, (date, items))| Day {
            weekday: weekday_nl(date),
            date: day_month_nl(date),
            today: date == today,
            items,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    #[test]
    fn working_days_always_show_and_the_weekend_only_when_busy() {
        let week = days(d(23), d(25), vec![(d(24), "a"), (d(24), "b"), (d(29), "c")]);
        let names: Vec<_> = week.iter().map(|d| d.weekday).collect();
        assert_eq!(
            names,
            [
                "maandag",
                "dinsdag",
                "woensdag",
                "donderdag",
                "vrijdag",
                "zondag"
            ]
        );
        assert_eq!(week[1].items, ["a", "b"]);
        assert!(week[2].today);
        assert_eq!(week[5].items, ["c"]);
        assert_eq!(week[0].date, "23 november");
    }

    #[test]
    fn items_outside_the_week_are_left_out() {
        let week = days(d(23), d(1), vec![(d(30), "next week")]);
        assert_eq!(week.len(), 5);
        assert!(week.iter().all(|d| d.items.is_empty()));
    }
}
