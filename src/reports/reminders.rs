//! Reminders to providers, by email through the outbox:
//! - a report sent for response (`verzonden`) whose `response_due` is at most 3 working days
//!   away gets one reminder of the deadline (`emails/report_reminder`);
//! - open improvement points of a report the provider has received, due within the next 10
//!   calendar days, are announced once, in one email per provider (`emails/improvement_due`).
//!
//! The date rules are pure functions here; [`job`] finds the rows, claims them and queues the
//! emails. The emails name criteria, descriptions and dates, never a client.
mod job;
mod points;

pub use job::{run_hourly, run_once};

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use uuid::Uuid;

use crate::domain::text::date_nl;
use crate::domain::working_days::sub_working_days;

/// How many working days before the response deadline the reminder may go out.
pub const REMINDER_WORKING_DAYS: u32 = 3;
/// How many calendar days before its due date an improvement point is announced.
pub const DUE_SOON_DAYS: i64 = 10;

/// Whether a report with this response deadline should be reminded on the Dutch date `today`:
/// from the 3rd working day before the deadline up to and including the deadline itself (a
/// response on that day is still in time). Counting working days, not calendar days, means a
/// deadline just after Easter or a weekend is reminded early enough to leave 3 days to work on it.
pub fn reminder_due(response_due: NaiveDate, today: NaiveDate) -> bool {
    sub_working_days(response_due, REMINDER_WORKING_DAYS) <= today && today <= response_due
}

/// Whether an open improvement point due on `due_date` is due soon on the Dutch date `today`.
pub fn point_due_soon(due_date: NaiveDate, today: NaiveDate) -> bool {
    today <= due_date && due_date <= today + Duration::days(DUE_SOON_DAYS)
}

/// Where the provider reads a report (behind its portal login).
pub fn portal_url(base_url: &str, report_id: Uuid) -> String {
    format!(
        "{}/portaal/rapporten/{report_id}",
        base_url.trim_end_matches('/')
    )
}

/// The context of `emails/report_reminder`.
#[derive(Debug, Clone, Serialize)]
pub struct ReportReminder {
    pub provider: String,
    pub visit_day: String,
    pub deadline: String,
    pub portal_url: String,
}

/// The context of `emails/improvement_due`: the points grouped by the report they belong to.
#[derive(Debug, Clone, Serialize)]
pub struct ImprovementDue {
    pub subject: String,
    pub provider: String,
    pub reports: Vec<DueReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DueReport {
    pub visit_day: String,
    pub portal_url: String,
    pub points: Vec<DuePoint>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DuePoint {
    pub criterion: String,
    pub description: String,
    pub due: String,
}

/// The subject of `emails/improvement_due`: the due date when all points share one, else the
/// first and the last.
pub fn improvement_subject(due_dates: &[NaiveDate]) -> String {
    let (Some(first), Some(last)) = (due_dates.iter().min(), due_dates.iter().max()) else {
        return "Verbeterpunten met een termijn die binnenkort afloopt".into();
    };
    match (due_dates.len(), first == last) {
        (1, _) => format!("Verbeterpunt met een termijn tot {}", date_nl(*first)),
        (_, true) => format!("Verbeterpunten met een termijn tot {}", date_nl(*first)),
        _ => format!(
            "Verbeterpunten met een termijn tussen {} en {}",
            date_nl(*first),
            date_nl(*last)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_reminder_window_opens_three_working_days_before_the_deadline() {
        // Friday 4 December 2026: Tuesday, Wednesday and Thursday are the three days before.
        let due = d(2026, 12, 4);
        assert!(!reminder_due(due, d(2026, 11, 30)));
        assert!(reminder_due(due, d(2026, 12, 1)));
        assert!(reminder_due(due, d(2026, 12, 3)));
        assert!(
            reminder_due(due, due),
            "the deadline day itself still counts"
        );
        assert!(
            !reminder_due(due, d(2026, 12, 5)),
            "too late once it passed"
        );
    }

    #[test]
    fn a_monday_deadline_is_reminded_the_wednesday_before() {
        // Monday 30 November 2026: Friday 27, Thursday 26, Wednesday 25.
        let due = d(2026, 11, 30);
        assert!(!reminder_due(due, d(2026, 11, 24)));
        assert!(reminder_due(due, d(2026, 11, 25)));
        assert!(
            reminder_due(due, d(2026, 11, 28)),
            "also on the weekend in between"
        );
        assert!(reminder_due(due, d(2026, 11, 29)));
    }

    #[test]
    fn a_deadline_right_after_easter_is_reminded_before_the_long_weekend() {
        // Tuesday 30 March 2027: Easter Monday 29 and Good Friday 26 do not count, so the three
        // days are Thursday 25, Wednesday 24 and Tuesday 23 March.
        let due = d(2027, 3, 30);
        assert!(!reminder_due(due, d(2027, 3, 22)));
        assert!(reminder_due(due, d(2027, 3, 23)));
        assert!(reminder_due(due, d(2027, 3, 29)), "on Easter Monday itself");
        assert!(reminder_due(due, due));
        assert!(!reminder_due(due, d(2027, 3, 31)));
    }

    #[test]
    fn a_deadline_right_after_kings_day_skips_it() {
        // Wednesday 28 April 2027; Tuesday 27 is King's Day: Monday 26, Friday 23, Thursday 22.
        let due = d(2027, 4, 28);
        assert!(!reminder_due(due, d(2027, 4, 21)));
        assert!(reminder_due(due, d(2027, 4, 22)));
        assert!(reminder_due(due, d(2027, 4, 27)));
    }

    #[test]
    fn points_are_due_soon_from_ten_calendar_days_before_until_the_day() {
        let today = d(2027, 1, 2);
        assert!(point_due_soon(today, today));
        assert!(point_due_soon(d(2027, 1, 12), today));
        assert!(!point_due_soon(d(2027, 1, 13), today));
        assert!(
            !point_due_soon(d(2027, 1, 1), today),
            "overdue is not due soon"
        );
    }

    #[test]
    fn the_subject_names_the_due_dates_in_dutch() {
        assert_eq!(
            improvement_subject(&[d(2027, 1, 12)]),
            "Verbeterpunt met een termijn tot 12 januari 2027"
        );
        assert_eq!(
            improvement_subject(&[d(2027, 1, 12), d(2027, 1, 12)]),
            "Verbeterpunten met een termijn tot 12 januari 2027"
        );
        assert_eq!(
            improvement_subject(&[d(2027, 1, 12), d(2027, 1, 5)]),
            "Verbeterpunten met een termijn tussen 5 januari 2027 en 12 januari 2027"
        );
    }

    #[test]
    fn the_portal_link_points_at_the_report() {
        let id = Uuid::nil();
        assert_eq!(
            portal_url("https://toezicht.example/", id),
            format!("https://toezicht.example/portaal/rapporten/{id}")
        );
    }
}
