//! `/rapporten/export.csv` and the public open-data scores: the API's numbers, final reports only.
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use toezicht::domain::working_days::dutch_date;

use super::sheet;
use crate::helpers::TestApp;
use crate::reports::concept_report;

/// A visit `hours_ago`, one criterion met, completed into a concept report; its id.
async fn another_report(
    app: &TestApp,
    inspector: &str,
    provider: uuid::Uuid,
    hours_ago: i64,
) -> String {
    let me: Value = app
        .get("/api/v1/me", Some(inspector))
        .await
        .json()
        .await
        .unwrap();
    let now = Utc::now();
    let visit: Value = app
        .post_json(
            "/api/v1/visits",
            &json!({"provider_id": provider, "inspector_ids": [me["id"]], "announced": true, "reason": "proactief",
                    "starts_at": (now - Duration::hours(hours_ago)).to_rfc3339(),
                    "ends_at": (now - Duration::hours(hours_ago - 1)).to_rfc3339()}),
            Some(inspector),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = visit["id"].as_str().unwrap();
    let rated = app
        .client
        .put(app.url(&format!("/api/v1/visits/{id}/assessment")))
        .bearer_auth(inspector)
        .json(&json!({"ratings": [{"criterion": "C1", "rating": "voldoet"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(rated.status(), 200);
    let report: Value = app
        .post_json(
            &format!("/api/v1/visits/{id}/complete"),
            &json!({}),
            Some(inspector),
        )
        .await
        .json()
        .await
        .unwrap();
    report["id"].as_str().unwrap().to_string()
}

async fn post_ok(app: &TestApp, path: &str, token: &str) {
    assert_eq!(
        app.post_json(path, &json!({}), Some(token)).await.status(),
        200,
        "{path}"
    );
}

#[tokio::test]
async fn report_export_and_open_data_show_the_api_scores_of_final_reports_only() {
    let case = concept_report().await;
    let (app, inspector) = (&case.app, case.inspector.as_str());
    let report = case.report.as_str();
    post_ok(app, &format!("/api/v1/reports/{report}/send"), inspector).await;
    post_ok(
        app,
        &format!("/api/v1/reports/{report}/finalize"),
        inspector,
    )
    .await;
    let concept_of = app
        .insert_provider("Concept Zorg", "GM0153", "GG1106")
        .await;
    another_report(app, inspector, concept_of, 30).await;
    let sent_of = app
        .insert_provider("Verzonden Zorg", "GM0153", "GG1106")
        .await;
    let sent = another_report(app, inspector, sent_of, 50).await;
    post_ok(app, &format!("/api/v1/reports/{sent}/send"), inspector).await;
    let api: Value = app
        .get(&format!("/api/v1/reports/{report}"), Some(inspector))
        .await
        .json()
        .await
        .unwrap();

    let rows = sheet(app, "/open-data/GG1106/scores.csv", None).await;
    assert_eq!(
        rows[0],
        [
            "aanbieder",
            "gemeente",
            "bezoekdatum",
            "thema_A",
            "thema_B",
            "thema_C",
            "thema_D",
            "thema_E",
            "thema_F",
            "totaal"
        ]
    );
    assert_eq!(
        rows.len(),
        2,
        "concept and sent reports are not public: {rows:?}"
    );
    let visit_day = dutch_date(Utc::now() - Duration::hours(3))
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(rows[1][0], "Thuiszorg Het Anker");
    assert_eq!(
        rows[1][1..],
        [
            "Enschede",
            visit_day.as_str(),
            "0.0",
            "100.0",
            "",
            "",
            "",
            "",
            "50.0"
        ]
    );
    assert_eq!(api["theme_scores"][0]["score_pct"], json!(0.0));
    assert_eq!(api["theme_scores"][1]["score_pct"], json!(100.0));
    assert_eq!(api["overall_pct"], json!(50.0));
    let body = app
        .get("/open-data/GG1106/scores.csv", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !body.contains("Test inspector") && !body.contains("VOG"),
        "{body}"
    );
    assert_eq!(
        sheet(app, "/open-data/GG7014/scores.csv", None).await.len(),
        1
    );
    assert_eq!(
        app.get("/open-data/GG9999/scores.csv", None).await.status(),
        404
    );

    let rows = sheet(app, "/rapporten/export.csv", Some(inspector)).await;
    assert_eq!(
        rows[0],
        [
            "aanbieder",
            "bezoekdatum",
            "status",
            "verzonden",
            "reactie_uiterlijk",
            "definitief",
            "totaalscore_pct",
            "open_verbeterpunten"
        ]
    );
    assert_eq!(rows.len(), 4);
    let rows = sheet(
        app,
        "/rapporten/export.csv?status=definitief",
        Some(inspector),
    )
    .await;
    let today = dutch_date(Utc::now()).format("%Y-%m-%d").to_string();
    let due = api["response_due"].as_str().unwrap();
    assert_eq!(
        rows[1..],
        [vec![
            "Thuiszorg Het Anker",
            &visit_day,
            "definitief",
            &today,
            due,
            &today,
            "50.0",
            "1"
        ]]
    );
    let rows = sheet(
        app,
        &format!("/rapporten/export.csv?provider_id={sent_of}"),
        Some(inspector),
    )
    .await;
    assert_eq!(
        (rows.len(), rows[1][2].as_str(), rows[1][6].as_str()),
        (2, "verzonden", "100.0")
    );
    assert_eq!(
        app.get("/rapporten/export.csv?status=klaar", Some(inspector))
            .await
            .status(),
        422
    );

    let haaglanden = app.inspector_token("GG7014").await;
    assert_eq!(
        sheet(app, "/rapporten/export.csv", Some(&haaglanden))
            .await
            .len(),
        1
    );
    let refused = app
        .get("/rapporten/export.csv", Some(&case.provider_user))
        .await;
    assert_eq!(refused.status(), 403);
}
