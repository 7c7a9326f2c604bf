use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A provider visited last month with every criterion met and nothing else: no points at all.
fn quiet() -> RiskInputs {
    RiskInputs {
        today: d(2026, 6, 15),
        signals_by_category: vec![],
        last_visit: Some(LastVisit {
            on: d(2026, 5, 1),
            met: 20,
            partly_met: 0,
            not_met: 0,
        }),
        overdue_points: 0,
        services: vec![Service::Begeleiding],
    }
}

fn points_of(risk: &Risk, name: &str) -> Option<u32> {
    risk.factors
        .list()
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.points)
}

#[test]
fn nothing_known_against_a_provider_scores_zero() {
    let risk = score(&quiet(), &RiskWeights::default());
    assert_eq!(risk.score, 0);
    assert_eq!(risk.level, "laag");
    assert!(
        risk.factors.list().is_empty(),
        "factors with 0 points are left out"
    );
}

#[test]
fn serious_signals_weigh_more_and_are_named() {
    let mut inputs = quiet();
    inputs.signals_by_category = vec![(Category::Bejegening, 2), (Category::Veiligheid, 1)];
    let risk = score(&inputs, &RiskWeights::default());
    assert_eq!(risk.score, 2 * 5 + 10);
    assert_eq!(
        risk.factors,
        vec![Factor {
            name: "Meldingen in de afgelopen 12 maanden".into(),
            points: 20,
            detail: "3 meldingen, waarvan 1 over veiligheid".into(),
        }]
    );
    inputs.signals_by_category = vec![(Category::Geweld, 1), (Category::Calamiteit, 2)];
    let risk = score(&inputs, &RiskWeights::default());
    assert_eq!(
        risk.factors.list()[0].detail,
        "3 meldingen, waarvan 1 over geweld of grensoverschrijdend gedrag en 2 over calamiteit"
    );
}

#[test]
fn signals_are_capped() {
    let mut inputs = quiet();
    inputs.signals_by_category = vec![(Category::Geweld, 30)];
    let risk = score(&inputs, &RiskWeights::default());
    assert_eq!(
        points_of(&risk, "Meldingen in de afgelopen 12 maanden"),
        Some(40)
    );
}

#[test]
fn criteria_not_met_count_fully_and_partly_met_half() {
    let mut inputs = quiet();
    inputs.last_visit = Some(LastVisit {
        on: d(2026, 5, 1),
        met: 6,
        partly_met: 2,
        not_met: 2,
    });
    let risk = score(&inputs, &RiskWeights::default());
    // (2 + 2/2) / 10 of 30 points.
    assert_eq!(risk.score, 9);
    assert_eq!(
        risk.factors.list()[0].detail,
        "Bij het bezoek van 1 mei 2026: 2 van 10 beoordeelde criteria niet voldaan, 2 deels"
    );
}

#[test]
fn a_visit_without_rated_criteria_gives_no_criteria_points() {
    let mut inputs = quiet();
    inputs.last_visit = Some(LastVisit {
        on: d(2026, 5, 1),
        met: 0,
        partly_met: 0,
        not_met: 0,
    });
    assert_eq!(score(&inputs, &RiskWeights::default()).score, 0);
}

#[test]
fn overdue_improvement_points_are_capped() {
    let mut inputs = quiet();
    inputs.overdue_points = 2;
    let risk = score(&inputs, &RiskWeights::default());
    assert_eq!(risk.score, 10);
    assert_eq!(
        risk.factors.list()[0].name,
        "Verbeterpunten over de termijn"
    );
    assert_eq!(
        risk.factors.list()[0].detail,
        "2 verbeterpunten na de termijn nog open"
    );
    inputs.overdue_points = 9;
    assert_eq!(score(&inputs, &RiskWeights::default()).score, 20);
}

#[test]
fn full_years_since_the_last_visit_count_and_are_capped() {
    let mut inputs = quiet();
    inputs.last_visit.as_mut().unwrap().on = d(2023, 6, 16);
    let risk = score(&inputs, &RiskWeights::default());
    assert_eq!(risk.score, 10, "two full years, the third not yet");
    assert_eq!(
        risk.factors.list()[0].detail,
        "Laatste bezoek op 16 juni 2023, 2 jaar geleden"
    );
    inputs.last_visit.as_mut().unwrap().on = d(2010, 1, 1);
    assert_eq!(score(&inputs, &RiskWeights::default()).score, 20);
}

#[test]
fn never_visited_gives_its_own_points() {
    let mut inputs = quiet();
    inputs.last_visit = None;
    let risk = score(&inputs, &RiskWeights::default());
    assert_eq!(risk.score, 20);
    assert_eq!(risk.factors.list()[0].name, "Tijd sinds het laatste bezoek");
    assert_eq!(risk.factors.list()[0].detail, "Nog nooit bezocht");
}

#[test]
fn vulnerable_services_count_once() {
    let mut inputs = quiet();
    inputs.services = vec![
        Service::MaatschappelijkeOpvang,
        Service::BeschermdWonen,
        Service::Begeleiding,
    ];
    let risk = score(&inputs, &RiskWeights::default());
    assert_eq!(risk.score, 15);
    assert_eq!(
        risk.factors.list()[0].detail,
        "Biedt beschermd wonen en maatschappelijke opvang"
    );
}

#[test]
fn factors_are_sorted_by_points_and_the_total_is_clamped() {
    let inputs = RiskInputs {
        today: d(2026, 6, 15),
        signals_by_category: vec![(Category::Geweld, 10)],
        last_visit: Some(LastVisit {
            on: d(2019, 1, 1),
            met: 0,
            partly_met: 0,
            not_met: 10,
        }),
        overdue_points: 10,
        services: vec![Service::BeschermdWonen],
    };
    let risk = score(&inputs, &RiskWeights::default());
    assert_eq!(risk.score, 100, "40 + 30 + 20 + 20 + 15 is clamped");
    assert_eq!(risk.level, "hoog");
    let points: Vec<u32> = risk.factors.list().iter().map(|f| f.points).collect();
    assert_eq!(points, vec![40, 30, 20, 20, 15]);
}

#[test]
fn levels_change_at_34_and_67() {
    assert_eq!(level_of(0), "laag");
    assert_eq!(level_of(33), "laag");
    assert_eq!(level_of(34), "midden");
    assert_eq!(level_of(66), "midden");
    assert_eq!(level_of(67), "hoog");
    assert_eq!(level_of(100), "hoog");
}

#[test]
fn the_level_follows_the_weights() {
    let mut inputs = quiet();
    inputs.overdue_points = 1;
    for (per_point, level) in [(33, "laag"), (34, "midden"), (66, "midden"), (67, "hoog")] {
        let weights = RiskWeights {
            points_per_overdue_point: per_point,
            overdue_points_cap: 100,
            ..RiskWeights::default()
        };
        let risk = score(&inputs, &weights);
        assert_eq!((risk.score, risk.level.as_str()), (per_point, level));
    }
}

#[test]
fn kept_factors_are_written_out_as_they_were_kept() {
    let computed = vec![
        Factor {
            name: "Meldingen in de afgelopen 12 maanden".into(),
            points: 35,
            detail: "4 meldingen, waarvan 1 over \"geweld\"".into(),
        },
        Factor {
            name: "Tijd sinds het laatste bezoek".into(),
            points: 6,
            detail: "Nog nooit bezocht".into(),
        },
    ];
    let json = serde_json::to_string(&computed).unwrap();
    let kept = Factors::kept(json.clone()).expect("kept factors read as factors");
    assert_eq!(serde_json::to_string(&kept).unwrap(), json);
    // As the pages' templates receive it (handlebars renders from a `serde_json::Value`).
    assert_eq!(
        serde_json::to_value(&kept).unwrap(),
        serde_json::to_value(&computed).unwrap()
    );
    assert_eq!(kept, computed);
    assert_eq!(kept.into_vec(), computed);
    let none = Factors::kept("[]".into()).unwrap();
    assert!(none.list().is_empty());
}

#[test]
fn kept_factors_of_another_shape_are_not_used() {
    for json in [
        "",
        "not json",
        "{}",
        r#"[{"name": "x", "points": 1}]"#,
        r#"[{"name": "x", "points": -1, "detail": "y"}]"#,
        r#"[{"name": "x", "points": 1, "detail": "y", "extra": true}]"#,
        r#"[{"name": "x", "points": 1, "detail": "y"}] trailing"#,
    ] {
        assert!(Factors::kept(json.into()).is_none(), "{json}");
    }
}
