use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Monday 5 January 2026, ISO week 2.
fn monday() -> NaiveDate {
    d(2026, 1, 5)
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// A provider visited recently enough not to be due in any test window.
fn c(n: u128, name: &str, score: u32) -> Candidate {
    Candidate {
        provider_id: id(n),
        name: name.into(),
        score,
        level: crate::risk::score::level_of(score).into(),
        factors: vec![Factor {
            name: "Meldingen".into(),
            points: score,
            detail: "2 meldingen".into(),
        }],
        due: Some(d(2028, 6, 1)),
        planned: false,
    }
}

fn due(mut c: Candidate, due: Option<NaiveDate>) -> Candidate {
    c.due = due;
    c
}

fn names(p: &Proposal) -> Vec<Vec<&str>> {
    p.weeks
        .iter()
        .map(|w| w.visits.iter().map(|v| v.name.as_str()).collect())
        .collect()
}

#[test]
fn fills_highest_risk_first_ties_by_name() {
    let cands = [
        c(1, "Laag", 10),
        c(2, "Hoog B", 80),
        c(3, "Hoog A", 80),
        c(4, "Midden", 50),
    ];
    let p = propose(&cands, monday(), 2, 2);
    assert_eq!(
        names(&p),
        vec![vec!["Hoog A", "Hoog B"], vec!["Midden", "Laag"]]
    );
    assert_eq!(p.weeks[0].week_start, monday());
    assert_eq!(p.weeks[0].week_number, 2);
    assert_eq!(p.weeks[1].week_start, d(2026, 1, 12));
    assert_eq!(p.weeks[1].week_number, 3);
    assert!(p.weeks.iter().flat_map(|w| &w.visits).all(|v| !v.mandatory));
    assert_eq!(
        p.weeks[0].visits[0].reasons,
        vec!["Meldingen: 2 meldingen (80 punten)"]
    );
    assert!(p.shortfall.is_empty() && p.already_planned.is_empty());
}

#[test]
fn mandatory_providers_are_included_even_with_low_risk() {
    let cands = [
        c(1, "Hoog", 90),
        c(2, "Hoger", 95),
        due(c(3, "Nooit", 0), None),
        due(c(4, "Verlopen", 5), Some(d(2026, 1, 9))),
    ];
    let p = propose(&cands, monday(), 1, 2);
    let visits = &p.weeks[0].visits;
    let got: Vec<&str> = visits.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(got, vec!["Verlopen", "Nooit"]);
    assert!(visits.iter().all(|v| v.mandatory));
    assert_eq!(visits[1].reasons[0], "Nog nooit bezocht");
    assert_eq!(
        visits[0].reasons[0],
        "Bezoek verplicht vóór 9 januari 2026 (3-jaarlijkse cyclus)"
    );
}

#[test]
fn due_after_the_window_is_not_mandatory() {
    // The window of 1 week ends on Monday 12 January: due that day is outside it.
    let p = propose(
        &[due(c(1, "Later", 5), Some(d(2026, 1, 12)))],
        monday(),
        1,
        1,
    );
    assert!(!p.weeks[0].visits[0].mandatory);
    assert_eq!(p.weeks[0].visits[0].reasons.len(), 1);
}

#[test]
fn mandatory_visits_land_no_later_than_their_due_week() {
    let cands = [
        due(c(1, "Week drie", 0), Some(d(2026, 1, 21))),
        due(c(2, "Week een", 0), Some(d(2026, 1, 6))),
        c(3, "Risico", 90),
        c(4, "Risico twee", 80),
    ];
    let p = propose(&cands, monday(), 4, 1);
    // Just in time: each mandatory one in its due week, the early free weeks go by risk.
    assert_eq!(
        names(&p),
        vec![
            vec!["Week een"],
            vec!["Risico"],
            vec!["Week drie"],
            vec!["Risico twee"]
        ]
    );
}

#[test]
fn a_full_due_week_moves_the_visit_earlier() {
    let cands = [
        due(c(1, "A", 0), Some(d(2026, 1, 13))),
        due(c(2, "B", 0), Some(d(2026, 1, 14))),
        due(c(3, "C", 0), Some(d(2026, 1, 15))),
    ];
    let p = propose(&cands, monday(), 3, 1);
    // All due in week 2 of the window, capacity 1: two are placed before it, one is late.
    assert_eq!(names(&p), vec![vec!["B"], vec!["A"], vec!["C"]]);
    assert!(p.shortfall.is_empty());
}

#[test]
fn mandatory_over_capacity_is_reported_as_shortfall() {
    let cands = [
        due(c(1, "Nooit", 0), None),
        due(c(2, "Vroeg", 0), Some(d(2025, 6, 1))),
        due(c(3, "Laat", 0), Some(d(2026, 1, 9))),
        c(4, "Risico", 99),
    ];
    let p = propose(&cands, monday(), 1, 2);
    assert_eq!(names(&p), vec![vec!["Nooit", "Vroeg"]]);
    let short: Vec<&str> = p.shortfall.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(short, vec!["Laat"]);
    assert!(p.shortfall[0].mandatory);
}

#[test]
fn already_planned_providers_are_left_out() {
    let mut planned = due(c(1, "Gepland", 99), None);
    planned.planned = true;
    let p = propose(&[planned, c(2, "Ander", 10)], monday(), 1, 5);
    assert_eq!(names(&p), vec![vec!["Ander"]]);
    assert_eq!(p.already_planned.len(), 1);
    assert_eq!(p.already_planned[0].name, "Gepland");
    assert!(p.already_planned[0].mandatory);
}

#[test]
fn zero_weeks_or_zero_capacity_plans_nothing_and_reports_the_mandatory() {
    let cands = [due(c(1, "Nooit", 0), None), c(2, "Risico", 90)];
    for (weeks, capacity) in [(0, 5), (3, 0)] {
        let p = propose(&cands, monday(), weeks, capacity);
        assert_eq!(p.weeks.len(), weeks as usize);
        assert!(p.weeks.iter().all(|w| w.visits.is_empty()));
        assert_eq!(p.shortfall.len(), 1, "{weeks} weeks, capacity {capacity}");
    }
}

#[test]
fn more_room_than_providers_leaves_weeks_short_and_any_date_starts_its_week() {
    let p = propose(&[c(1, "Enige", 10)], d(2026, 1, 8), 52, 100);
    assert_eq!(p.weeks.len(), 52);
    assert_eq!(p.weeks[0].week_start, monday());
    assert_eq!(names(&p)[0], vec!["Enige"]);
    assert!(p.weeks[1..].iter().all(|w| w.visits.is_empty()));
    assert!(propose(&[], monday(), 1, 1).weeks[0].visits.is_empty());
}

#[test]
fn due_date_adds_three_years() {
    assert_eq!(due_after(Some(d(2023, 2, 28))), Some(d(2026, 2, 28)));
    assert_eq!(due_after(None), None);
}
