//! The planning proposal (`GET /api/v1/regions/{code}/plan`, `/regio/{code}/planning`) on a
//! hand-built region (the page and one-click planning: `planning_pages.rs`).
use chrono::{Duration, Months, NaiveDate, NaiveTime};
use serde_json::{Value, json};
use toezicht::domain::local_time::{local_to_utc, monday_of};
use toezicht::domain::role::Role;
use toezicht::domain::text::date_nl;
use uuid::Uuid;

use crate::dashboard_fixtures::{today, visit_at};
use crate::helpers::{TestApp, problem};
use crate::signals::{file, signal_body};

pub const TWENTE: &str = "GG1106";

pub struct Region {
    pub app: TestApp,
    pub from: NaiveDate,
    pub never: Uuid,
    pub due_soon: Uuid,
    pub due: NaiveDate,
    pub risky: Uuid,
    pub calm: Uuid,
    pub planned: Uuid,
}

pub fn at(date: NaiveDate, hour: u32) -> chrono::DateTime<chrono::Utc> {
    local_to_utc(date, NaiveTime::from_hms_opt(hour, 0, 0).unwrap()).unwrap()
}

/// Twente: one provider never visited, one due for its 3-yearly visit in the first week, one
/// risky and one calm (both visited 10 days ago), one never visited but already planned; and a
/// provider in Amsterdam that must never show.
pub async fn seed() -> Region {
    let app = TestApp::spawn().await;
    let from = monday_of(today()) + Duration::weeks(1);
    let never = app.insert_provider("Nooit Bezocht", "GM0153", TWENTE).await;
    let due_soon = app.insert_provider("Bijna Termijn", "GM0153", TWENTE).await;
    let risky = app.insert_provider("Risico Zorg", "GM0153", TWENTE).await;
    let calm = app.insert_provider("Rustige Zorg", "GM0153", TWENTE).await;
    let planned = app.insert_provider("Al Gepland", "GM0153", TWENTE).await;
    app.insert_provider("Amsterdamse Zorg", "GM0363", "GG3406")
        .await;
    let last = (from + Duration::days(3))
        .checked_sub_months(Months::new(36))
        .unwrap();
    visit_at(&app, due_soon, TWENTE, at(last, 10), "uitgevoerd").await;
    let recent = at(today() - Duration::days(10), 10);
    visit_at(&app, risky, TWENTE, recent, "uitgevoerd").await;
    visit_at(&app, calm, TWENTE, recent, "uitgevoerd").await;
    visit_at(
        &app,
        planned,
        TWENTE,
        at(from + Duration::days(2), 10),
        "gepland",
    )
    .await;
    for category in ["geweld", "veiligheid"] {
        let mut body = signal_body(Some(risky));
        body["category"] = json!(category);
        file(&app, &body).await;
    }
    let due = last.checked_add_months(Months::new(36)).unwrap();
    Region {
        app,
        from,
        never,
        due_soon,
        due,
        risky,
        calm,
        planned,
    }
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v["provider_id"].as_str().unwrap().to_string())
        .collect()
}

fn id_set(list: &Value) -> std::collections::BTreeSet<String> {
    ids(list).into_iter().collect()
}

#[tokio::test]
async fn proposal_puts_the_mandatory_first_then_risk_and_reports_what_does_not_fit() {
    let r = seed().await;
    let token = r.app.inspector_token(TWENTE).await;
    let url = format!(
        "/api/v1/regions/{TWENTE}/plan?from={}&weeks=2&capacity_per_week=2",
        r.from
    );
    let response = r.app.get(&url, Some(&token)).await;
    assert_eq!(response.status(), 200);
    let plan: Value = response.json().await.unwrap();
    assert_eq!(plan["region"]["code"], TWENTE);
    assert_eq!(
        (
            plan["from"].as_str().unwrap(),
            &plan["weeks"],
            &plan["capacity_per_week"]
        ),
        (r.from.to_string().as_str(), &json!(2), &json!(2))
    );
    let weeks = plan["weeks_list"].as_array().unwrap();
    assert_eq!(weeks.len(), 2);
    assert_eq!(
        weeks[1]["week_start"],
        (r.from + Duration::weeks(1)).to_string()
    );
    // Week 1: both mandatory ones (never visited; due in that week), whatever their risk.
    let first = &weeks[0]["visits"];
    assert_eq!(
        id_set(first),
        [r.never, r.due_soon].iter().map(Uuid::to_string).collect()
    );
    for v in first.as_array().unwrap() {
        assert_eq!(v["mandatory"], true);
    }
    let reasons_of = |id: Uuid| -> Vec<String> {
        let v = first
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["provider_id"] == id.to_string())
            .unwrap();
        serde_json::from_value(v["reasons"].clone()).unwrap()
    };
    assert_eq!(reasons_of(r.never)[0], "Nog nooit bezocht");
    assert_eq!(
        reasons_of(r.due_soon)[0],
        format!(
            "Bezoek verplicht vóór {} (3-jaarlijkse cyclus)",
            date_nl(r.due)
        )
    );
    // Week 2: the rest by risk, highest first.
    assert_eq!(
        ids(&weeks[1]["visits"]),
        vec![r.risky.to_string(), r.calm.to_string()]
    );
    let risky = &weeks[1]["visits"][0];
    assert_eq!(risky["mandatory"], false);
    assert!(
        risky["risk"]["score"].as_u64().unwrap()
            > weeks[1]["visits"][1]["risk"]["score"].as_u64().unwrap()
    );
    assert!(
        risky["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().contains("melding"))
    );
    assert_eq!(ids(&plan["already_planned"]), vec![r.planned.to_string()]);
    assert_eq!(plan["shortfall"], json!([]));

    // One week, one visit: the never visited one is the most overdue; the other does not fit.
    let url = format!(
        "/api/v1/regions/{TWENTE}/plan?from={}&weeks=1&capacity_per_week=1",
        r.from
    );
    let plan: Value = r.app.get(&url, Some(&token)).await.json().await.unwrap();
    assert_eq!(
        ids(&plan["weeks_list"][0]["visits"]),
        vec![r.never.to_string()]
    );
    assert_eq!(ids(&plan["shortfall"]), vec![r.due_soon.to_string()]);

    // Defaults: next Monday, 13 weeks, 5 a week.
    let plan: Value = r
        .app
        .get(&format!("/api/v1/regions/{TWENTE}/plan"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            plan["from"].as_str().unwrap(),
            &plan["weeks"],
            &plan["capacity_per_week"]
        ),
        (r.from.to_string().as_str(), &json!(13), &json!(5))
    );
    assert_eq!(plan["weeks_list"].as_array().unwrap().len(), 13);
}

#[tokio::test]
async fn bad_values_are_422_naming_the_field_and_access_follows_the_dashboard() {
    let r = seed().await;
    let app = &r.app;
    let token = app.inspector_token(TWENTE).await;
    for (query, fields) in [
        ("weeks=0", vec!["weeks"]),
        ("weeks=53", vec!["weeks"]),
        (
            "capacity_per_week=101&weeks=x",
            vec!["weeks", "capacity_per_week"],
        ),
        ("capacity_per_week=0", vec!["capacity_per_week"]),
        ("from=2026-13-45", vec!["from"]),
    ] {
        let response = app
            .get(
                &format!("/api/v1/regions/{TWENTE}/plan?{query}"),
                Some(&token),
            )
            .await;
        let (status, body) = problem(response).await;
        assert_eq!(status, 422, "{query}");
        let got: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(got, fields, "{query}");
    }
    let other = app.inspector_token("GG3406").await;
    let (status, _) = problem(
        app.get(&format!("/api/v1/regions/{TWENTE}/plan"), Some(&other))
            .await,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = problem(
        app.get(&format!("/api/v1/regions/{TWENTE}/plan"), None)
            .await,
    )
    .await;
    assert_eq!(status, 401);
    app.add_user("aanbieder@zorg.example", Role::Provider, None, Some(r.calm))
        .await;
    let provider = app.token_for("aanbieder@zorg.example").await;
    let (status, _) = problem(
        app.get(&format!("/api/v1/regions/{TWENTE}/plan"), Some(&provider))
            .await,
    )
    .await;
    assert_eq!(status, 403);
    let admin = app.admin_token().await;
    let response = app.get("/api/v1/regions/gg3406/plan", Some(&admin)).await;
    assert_eq!(response.status(), 200);
    let plan: Value = response.json().await.unwrap();
    assert_eq!(
        plan["weeks_list"][0]["visits"][0]["name"],
        "Amsterdamse Zorg"
    );
    let openapi: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(openapi["paths"]["/api/v1/regions/{code}/plan"]["get"].is_object());
}
