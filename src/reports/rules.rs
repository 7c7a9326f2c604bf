//! The report lifecycle (API.md "Reports"): `concept` → `verzonden` → `zienswijze_ontvangen` →
//! `definitief`. Which step is allowed when, and the response deadline, as pure functions.
use chrono::NaiveDate;

use crate::domain::code_enum::code_enum;
use crate::domain::working_days::add_working_days;

code_enum!(
    ReportStatus {
        Concept = "concept" / "Concept",
        Verzonden = "verzonden" / "Verzonden, wacht op reactie",
        ZienswijzeOntvangen = "zienswijze_ontvangen" / "Reactie ontvangen",
        Definitief = "definitief" / "Definitief",
    }
);

code_enum!(
    PointStatus {
        Open = "open" / "Open",
        Opgelost = "opgelost" / "Opgelost",
    }
);

/// Working days the provider has to respond (hoor en wederhoor).
pub const RESPONSE_WORKING_DAYS: u32 = 10;

/// The last day of the response: ten working days after the Dutch date of sending.
pub fn response_due(sent_on: NaiveDate) -> NaiveDate {
    add_working_days(sent_on, RESPONSE_WORKING_DAYS)
}

/// Why a step is refused (409), in words for the person who tried.
pub type Refusal = &'static str;

pub fn may_edit(status: ReportStatus) -> Result<(), Refusal> {
    match status {
        ReportStatus::Concept => Ok(()),
        _ => Err("Een rapport kan alleen worden gewijzigd zolang het een concept is."),
    }
}

pub fn may_send(status: ReportStatus) -> Result<(), Refusal> {
    match status {
        ReportStatus::Concept => Ok(()),
        _ => Err("Dit rapport is al verzonden."),
    }
}

/// The provider responds once, while the report waits for it, up to and including the due date.
pub fn may_respond(
    status: ReportStatus,
    due: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), Refusal> {
    match status {
        ReportStatus::Verzonden => {}
        ReportStatus::ZienswijzeOntvangen => return Err("Uw reactie is al ontvangen."),
        ReportStatus::Definitief => return Err("Dit rapport is al definitief."),
        ReportStatus::Concept => return Err("Dit rapport is nog niet verzonden."),
    }
    match due {
        Some(due) if today > due => Err("De termijn voor een reactie is verstreken."),
        _ => Ok(()),
    }
}

pub fn may_finalize(status: ReportStatus) -> Result<(), Refusal> {
    match status {
        ReportStatus::Verzonden | ReportStatus::ZienswijzeOntvangen => Ok(()),
        ReportStatus::Concept => {
            Err("Verstuur het rapport eerst aan de aanbieder voor een reactie.")
        }
        ReportStatus::Definitief => Err("Dit rapport is al definitief."),
    }
}

/// Whether finalising now skips a response that may still come (the page asks to confirm).
pub fn finalizing_early(status: ReportStatus, due: Option<NaiveDate>, today: NaiveDate) -> bool {
    status == ReportStatus::Verzonden && due.is_some_and(|due| today <= due)
}

/// An open point past its due date.
pub fn is_overdue(status: PointStatus, due: NaiveDate, today: NaiveDate) -> bool {
    status == PointStatus::Open && today > due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_response_deadline_skips_weekends_and_dutch_holidays() {
        // Sent on Monday 23 November 2026: two weeks later.
        assert_eq!(response_due(d(2026, 11, 23)), d(2026, 12, 7));
        // Sent on Friday 18 December 2026: Christmas (25, 26) and New Year's Day fall in between.
        assert_eq!(response_due(d(2026, 12, 18)), d(2027, 1, 5));
        // Sent on Thursday 22 April 2027: King's Day (27 April), Liberation Day (5 May, a
        // holiday every year in `working_days`) and Ascension Day (6 May) are skipped.
        assert_eq!(response_due(d(2027, 4, 22)), d(2027, 5, 11));
        // Sent on a Saturday: counting starts on Monday.
        assert_eq!(response_due(d(2026, 11, 21)), d(2026, 12, 4));
    }

    #[test]
    fn a_response_is_in_time_up_to_and_including_the_due_date() {
        let due = Some(d(2026, 12, 7));
        assert_eq!(
            may_respond(ReportStatus::Verzonden, due, d(2026, 12, 7)),
            Ok(())
        );
        assert!(may_respond(ReportStatus::Verzonden, due, d(2026, 12, 8)).is_err());
        assert!(may_respond(ReportStatus::ZienswijzeOntvangen, due, d(2026, 12, 1)).is_err());
        assert!(may_respond(ReportStatus::Concept, None, d(2026, 12, 1)).is_err());
        assert!(may_respond(ReportStatus::Definitief, due, d(2026, 12, 1)).is_err());
    }

    #[test]
    fn each_step_has_its_own_starting_points() {
        assert!(may_edit(ReportStatus::Concept).is_ok());
        assert!(may_edit(ReportStatus::Verzonden).is_err());
        assert!(may_send(ReportStatus::Concept).is_ok());
        assert!(may_send(ReportStatus::Definitief).is_err());
        assert!(may_finalize(ReportStatus::Verzonden).is_ok());
        assert!(may_finalize(ReportStatus::ZienswijzeOntvangen).is_ok());
        assert!(may_finalize(ReportStatus::Concept).is_err());
        assert!(may_finalize(ReportStatus::Definitief).is_err());
    }

    #[test]
    fn finalising_before_the_deadline_without_a_response_is_early() {
        let due = Some(d(2026, 12, 7));
        assert!(finalizing_early(
            ReportStatus::Verzonden,
            due,
            d(2026, 12, 7)
        ));
        assert!(!finalizing_early(
            ReportStatus::Verzonden,
            due,
            d(2026, 12, 8)
        ));
        assert!(!finalizing_early(
            ReportStatus::ZienswijzeOntvangen,
            due,
            d(2026, 12, 1)
        ));
    }

    #[test]
    fn only_open_points_past_their_date_are_overdue() {
        assert!(is_overdue(
            PointStatus::Open,
            d(2026, 12, 1),
            d(2026, 12, 2)
        ));
        assert!(!is_overdue(
            PointStatus::Open,
            d(2026, 12, 1),
            d(2026, 12, 1)
        ));
        assert!(!is_overdue(
            PointStatus::Opgelost,
            d(2026, 12, 1),
            d(2027, 1, 1)
        ));
    }
}
