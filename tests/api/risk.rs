//! DOMAIN.md "Risk": the score of a provider from real signals, visits and improvement points,
//! shown to staff only, and the region ranking the dashboard builds on.
use chrono::{Duration, Months, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use toezicht::db::entities::signal;
use toezicht::domain::text::date_nl;
use toezicht::domain::working_days::dutch_date;
use toezicht::risk::{self, RiskWeights};
use uuid::Uuid;

use crate::helpers::{TestApp, sign_in_on_page};
use crate::reminder_fixtures::{point, report_of};
use crate::reports::concept_report;
use crate::signals::{file, signal_body};

fn signal_of(provider: Uuid, category: &str) -> Value {
    let mut body = signal_body(Some(provider));
    body["category"] = json!(category);
    body
}

#[tokio::test]
async fn staff_read_the_factors_and_a_provider_user_reads_null() {
    let case = concept_report().await;
    let app = &case.app;
    // Last visit (this morning): A1 not met, B1 met → half of 30 points. Its concept report's
    // improvement point does not count: the provider has not been told yet.
    file(app, &signal_of(case.provider, "bejegening")).await;
    file(app, &signal_of(case.provider, "veiligheid")).await;
    // An older report, sent, with one open point past its date and one done.
    let today = dutch_date(Utc::now());
    let old = report_of(
        app,
        case.provider,
        today - Duration::days(400),
        "verzonden",
        None,
    )
    .await;
    point(app, old, "A2", "Te laat", today - Duration::days(1), "open").await;
    point(
        app,
        old,
        "A3",
        "Klaar",
        today - Duration::days(30),
        "opgelost",
    )
    .await;

    let url = format!("/api/v1/providers/{}", case.provider);
    let shown: Value = app
        .get(&url, Some(&case.inspector))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        shown["risk"],
        json!({"score": 35, "level": "midden", "factors": [
            {"name": "Meldingen in de afgelopen 12 maanden", "points": 15,
             "detail": "2 meldingen, waarvan 1 over veiligheid"},
            {"name": "Criteria niet voldaan bij het laatste bezoek", "points": 15,
             "detail": format!("Bij het bezoek van {}: 1 van 2 beoordeelde criteria niet voldaan, 0 deels",
                               date_nl(dutch_date(Utc::now() - Duration::hours(3))))},
            {"name": "Verbeterpunten over de termijn", "points": 5,
             "detail": "1 verbeterpunt na de termijn nog open"}]})
    );
    let list: Value = app
        .get("/api/v1/providers", Some(&case.inspector))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["risk"]["score"], 35);

    let own = app.get(&url, Some(&case.provider_user)).await;
    assert_eq!(own.status(), 200);
    let own: Value = own.json().await.unwrap();
    assert!(own.as_object().unwrap().contains_key("risk"));
    assert_eq!(
        own["risk"],
        Value::Null,
        "a provider never learns of signals"
    );
    let own_list: Value = app
        .get("/api/v1/providers", Some(&case.provider_user))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own_list["items"][0]["risk"], Value::Null);

    sign_in_on_page(app, "toezicht@ggd.example").await;
    let page = app
        .client
        .get(app.url(&format!("/aanbieders/{}", case.provider)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"<h2 id="risico">Risico</h2>"#), "{page}");
    assert!(page.contains("<strong>35</strong>"));
    assert!(page.contains("2 meldingen, waarvan 1 over veiligheid"));
}

#[tokio::test]
async fn the_ranking_of_a_region_holds_only_its_own_providers() {
    let app = TestApp::spawn().await;
    let violent = app.insert_provider("Zorg Oost", "GM0153", "GG1106").await;
    let quiet = app
        .insert_provider("Begeleiding Noord", "GM0153", "GG1106")
        .await;
    let also_quiet = app.insert_provider("Aan Huis", "GM0153", "GG1106").await;
    let elsewhere = app.insert_provider("Haagse Zorg", "GM0518", "GG7014").await;
    for _ in 0..2 {
        file(&app, &signal_of(violent, "geweld")).await;
    }
    for _ in 0..4 {
        file(&app, &signal_of(elsewhere, "geweld")).await;
    }
    // A signal older than 12 months no longer counts.
    let stale = file(&app, &signal_of(quiet, "geweld")).await;
    signal::Entity::update_many()
        .col_expr(
            signal::Column::ReceivedAt,
            Expr::value(Utc::now().checked_sub_months(Months::new(13)).unwrap()),
        )
        .filter(signal::Column::Reference.eq(stale["reference"].as_str().unwrap()))
        .exec(&app.db)
        .await
        .unwrap();

    let weights = RiskWeights::default();
    let now = Utc::now();
    let top = risk::top_for_region(&app.db, &weights, "GG1106", 10, now)
        .await
        .unwrap();
    let ranked: Vec<(Uuid, &str, u32, &str)> = top
        .iter()
        .map(|r| (r.provider_id, r.name.as_str(), r.score, r.level.as_str()))
        .collect();
    // Never visited: 20 each; two signals about violence: 20 more. Ties by name.
    assert_eq!(
        ranked,
        vec![
            (violent, "Zorg Oost", 40, "midden"),
            (also_quiet, "Aan Huis", 20, "laag"),
            (quiet, "Begeleiding Noord", 20, "laag"),
        ]
    );
    let first = risk::top_for_region(&app.db, &weights, "GG1106", 1, now)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].provider_id, violent);

    let other = risk::for_providers(&app.db, &weights, &[elsewhere], now)
        .await
        .unwrap();
    assert_eq!(other.len(), 1);
    assert_eq!((other[0].0, other[0].1.score), (elsewhere, 60));
    assert_eq!(
        risk::for_provider(&app.db, &weights, quiet, now)
            .await
            .unwrap()
            .score,
        20
    );
}

#[tokio::test]
async fn serve_refuses_to_start_with_a_bad_weights_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gewichten.toml");
    std::fs::write(&path, "signal_cap = 10\n").unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_toezicht"))
        .args(["serve", "--bind-addr", "127.0.0.1:0", "--risk-weights-file"])
        .arg(&path)
        // Never reached: the weights are read before the database is touched.
        .env("DATABASE_URL", "sqlite://does-not-matter.db?mode=ro")
        .env("RUST_LOG", "warn")
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(std::time::Duration::from_secs(30), out)
        .await
        .expect("serve stops by itself")
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("risicogewichten in"), "{stderr}");
    assert!(stderr.contains("signal_cap"), "{stderr}");
}
