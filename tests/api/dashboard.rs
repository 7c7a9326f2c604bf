//! `GET /api/v1/regions/{code}/dashboard` on a hand-built data set, who may see it, and the
//! region pages.
use std::collections::BTreeMap;

use chrono::{Datelike, Duration, Months};
use chrono_tz::Europe::Amsterdam;
use serde_json::{Value, json};
use toezicht::domain::role::Role;

use crate::dashboard_fixtures::*;
use crate::helpers::TestApp;

const TWENTE: &str = "GG1106";
const AMSTERDAM: &str = "GG3406";

/// The same data set in `region`; every test number below counts it once.
async fn seed(app: &TestApp, region: &str, municipality: &str) {
    let recent = app
        .insert_provider("Recent bezocht", municipality, region)
        .await;
    let old = app
        .insert_provider("Lang geleden", municipality, region)
        .await;
    let never = app
        .insert_provider("Nooit bezocht", municipality, region)
        .await;
    let last_year = app
        .insert_provider("Vorig jaar", municipality, region)
        .await;
    let ended = app.insert_provider("Gestopt", municipality, region).await;
    deactivate(app, ended).await;

    let v_recent = visit_at(app, recent, region, days_ago(10), "uitgevoerd").await;
    rate(
        app,
        v_recent,
        &[
            ("A1", "voldoet"),
            ("A2", "voldoet_deels"),
            ("A3", "voldoet_niet"),
            ("A4", "nvt"),
            ("B1", "voldoet"),
            ("C1", "niet_beoordeeld"),
        ],
    )
    .await;
    visit_at(app, recent, region, days_ago(-5), "gepland").await;
    let v_old = visit_at(app, old, region, days_ago(1500), "uitgevoerd").await;
    rate(app, v_old, &[("A1", "voldoet_niet")]).await;
    let v_older = visit_at(app, old, region, days_ago(1600), "uitgevoerd").await;
    visit_at(app, old, region, days_ago(20), "geannuleerd").await;
    visit_at(app, never, region, days_ago(-10), "gepland").await;
    visit_at(app, never, region, days_ago(400), "geannuleerd").await;
    let v_last_year = visit_at(app, last_year, region, days_ago(500), "uitgevoerd").await;
    rate(
        app,
        v_last_year,
        &[("A1", "voldoet"), ("D1", "voldoet_niet")],
    )
    .await;

    let spec = |status, response_due, finalized_at| ReportSpec {
        status,
        response_due,
        finalized_at,
    };
    let waiting = report_on(
        app,
        v_recent,
        recent,
        region,
        spec("verzonden", Some(today() + Duration::days(2)), None),
    )
    .await;
    report_on(
        app,
        v_old,
        old,
        region,
        spec("verzonden", Some(today() - Duration::days(1)), None),
    )
    .await;
    let final_report = report_on(
        app,
        v_last_year,
        last_year,
        region,
        spec("definitief", None, Some(days_ago(30))),
    )
    .await;
    let concept = report_on(app, v_older, old, region, spec("concept", None, None)).await;
    point(app, waiting, today() + Duration::days(30), "open").await;
    point(app, waiting, today() - Duration::days(1), "open").await;
    point(app, waiting, today(), "open").await;
    point(app, waiting, today() - Duration::days(5), "opgelost").await;
    point(app, concept, today() - Duration::days(10), "open").await;
    point(app, final_report, today() - Duration::days(3), "open").await;

    let soon = today() + Duration::days(2);
    let past = today() - Duration::days(3);
    signal_in(app, region, "ontvangen", "bejegening", days_ago(1), soon).await;
    signal_in(app, region, "ontvangen", "bejegening", days_ago(10), past).await;
    signal_in(
        app,
        region,
        "in_behandeling",
        "veiligheid",
        days_ago(40),
        past,
    )
    .await;
    signal_in(app, region, "afgesloten", "geweld", days_ago(70), past).await;
    signal_in(app, region, "doorverwezen", "overig", days_ago(400), past).await;
}

/// The last 12 Dutch calendar months, oldest first, with the months of the seeded signals.
fn expected_months() -> Vec<Value> {
    let month_of = |days: i64| {
        days_ago(days)
            .with_timezone(&Amsterdam)
            .format("%Y-%m")
            .to_string()
    };
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for days in [1, 10, 40, 70] {
        *counts.entry(month_of(days)).or_default() += 1;
    }
    let first = today().with_day(1).unwrap();
    (0..12)
        .rev()
        .map(|back| {
            let month = first.checked_sub_months(Months::new(back)).unwrap();
            let label = month.format("%Y-%m").to_string();
            json!({"month": label, "count": counts.get(&label).copied().unwrap_or(0)})
        })
        .collect()
}

#[tokio::test]
async fn the_dashboard_counts_the_regions_own_records() {
    let app = TestApp::spawn().await;
    seed(&app, TWENTE, "GM0153").await;
    seed(&app, AMSTERDAM, "GM0363").await;
    // More in Amsterdam only, so that leaking records would show.
    signal_in(
        &app,
        AMSTERDAM,
        "ontvangen",
        "financieel",
        days_ago(2),
        today(),
    )
    .await;
    app.insert_provider("Alleen Amsterdam", "GM0363", AMSTERDAM)
        .await;

    let token = app.inspector_token(TWENTE).await;
    let response = app
        .get("/api/v1/regions/GG1106/dashboard", Some(&token))
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let expected = json!({
        "region": {"code": "GG1106", "name": "GGD Twente"},
        "providers": {"total": 4, "never_visited": 1, "visit_overdue": 1},
        "visits": {"planned": 2, "completed_last_365d": 1, "cancelled_last_365d": 1},
        "signals": {
            "open": 3, "overdue": 1, "received_last_30d": 2,
            // The same 12 months as per_month: the `overig` signal of 400 days ago is left out.
            "by_category": {"kwaliteit_zorg": 0, "bejegening": 2, "veiligheid": 1, "geweld": 1,
                            "financieel": 0, "calamiteit": 0, "overig": 0},
            "per_month": expected_months(),
        },
        "reports": {"awaiting_response": 2, "response_overdue": 1, "final_last_365d": 1},
        "improvement_points": {"open": 4, "overdue": 2},
        "scores": {"overall_pct": 62.5, "by_theme": [
            {"theme": "A", "score_pct": 50.0}, {"theme": "B", "score_pct": 100.0},
            {"theme": "C", "score_pct": null}, {"theme": "D", "score_pct": null},
            {"theme": "E", "score_pct": null}, {"theme": "F", "score_pct": null},
        ]},
        "risk": body["risk"].clone(),
    });
    assert_eq!(body, expected);
    assert!(body["risk"]["top"].is_array());

    let amsterdam = app.admin_token().await;
    let other: Value = app
        .get("/api/v1/regions/GG3406/dashboard", Some(&amsterdam))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other["providers"]["total"], 5);
    assert_eq!(other["signals"]["open"], 4);
    assert_eq!(other["signals"]["by_category"]["financieel"], 1);
}

#[tokio::test]
async fn only_admins_and_the_regions_inspectors_see_a_dashboard() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let twente = app.inspector_token(TWENTE).await;
    let provider = app.insert_provider("Zorg BV", "GM0153", TWENTE).await;
    app.add_user("info@zorg.example", Role::Provider, None, Some(provider))
        .await;
    let provider_token = app.token_for("info@zorg.example").await;
    let status = |path: &'static str, token: String| {
        let app = &app;
        async move { app.get(path, Some(&token)).await.status().as_u16() }
    };
    assert_eq!(
        status("/api/v1/regions/GG1106/dashboard", admin.clone()).await,
        200
    );
    assert_eq!(
        status("/api/v1/regions/GG3406/dashboard", admin.clone()).await,
        200
    );
    assert_eq!(status("/api/v1/regions/GG9999/dashboard", admin).await, 404);
    assert_eq!(
        status("/api/v1/regions/GG1106/dashboard", twente.clone()).await,
        200
    );
    assert_eq!(
        status("/api/v1/regions/GG3406/dashboard", twente).await,
        404
    );
    assert_eq!(
        status("/api/v1/regions/GG1106/dashboard", provider_token).await,
        403
    );
    assert_eq!(
        app.get("/api/v1/regions/GG1106/dashboard", None)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn the_region_pages_render_with_charts() {
    let app = TestApp::spawn().await;
    seed(&app, TWENTE, "GM0153").await;
    app.add_user(
        "toezicht@twente.example",
        Role::Inspector,
        Some(TWENTE),
        None,
    )
    .await;
    crate::helpers::sign_in_on_page(&app, "toezicht@twente.example").await;
    let response = app.get("/regio/GG1106", None).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert_eq!(html.matches("<svg").count(), 3, "three charts");
    assert!(html.contains(r#"role="img""#) && html.contains("<table"));
    assert!(
        html.contains(r#"href="/regio/GG1106""#),
        "Dashboard in the navigation"
    );
    assert!(
        html.contains("/meldingen?overdue"),
        "overdue signals link to their list"
    );
    assert!(!html.contains("style="));
    assert_eq!(app.get("/regio/GG3406", None).await.status(), 404);
    assert_eq!(app.get("/regio", None).await.status(), 403);

    let admin = TestApp::spawn_on(&app.test_db.url, |_| {}).await;
    admin
        .add_user("beheer@twente.example", Role::Admin, None, None)
        .await;
    crate::helpers::sign_in_on_page(&admin, "beheer@twente.example").await;
    let overview = admin.get("/regio", None).await;
    assert_eq!(overview.status(), 200);
    let html = overview.text().await.unwrap();
    assert_eq!(
        html.matches(r#"<th scope="row"><a href="/regio/GG"#)
            .count(),
        25
    );
    assert_eq!(admin.get("/regio/GG3406", None).await.status(), 200);
}
