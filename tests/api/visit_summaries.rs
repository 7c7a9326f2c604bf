//! Completing a visit writes what the dashboard and the risk ranking read of it
//! (`visits::summaries`): the same as summarising all visits anew from their ratings.
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};
use toezicht::db::entities::{provider_last_visit, visit_theme_score};

use crate::helpers::TestApp;
use crate::visits::{at, plan, put_assessment, setup};

async fn complete(app: &TestApp, token: &str, id: &str) {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/visits/{id}/complete")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "completed");
}

async fn dashboard(app: &TestApp, token: &str) -> Value {
    app.get("/api/v1/regions/GG1106/dashboard", Some(token))
        .await
        .json()
        .await
        .unwrap()
}

async fn summaries(
    app: &TestApp,
) -> (
    Vec<visit_theme_score::Model>,
    Vec<provider_last_visit::Model>,
) {
    (
        visit_theme_score::Entity::find()
            .order_by_asc(visit_theme_score::Column::VisitId)
            .order_by_asc(visit_theme_score::Column::ThemeCode)
            .all(&app.db)
            .await
            .unwrap(),
        provider_last_visit::Entity::find()
            .order_by_asc(provider_last_visit::Column::ProviderId)
            .all(&app.db)
            .await
            .unwrap(),
    )
}

#[tokio::test]
async fn a_completed_visit_counts_on_the_dashboard_at_once_and_an_older_one_does_not_replace_it() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let before = dashboard(&app, &s.inspector).await;
    assert_eq!(before["providers"]["never_visited"], 1);
    assert_eq!(before["scores"]["overall_pct"], Value::Null);

    let last: Value = plan(&app, &s, at(-2, 9), at(-2, 12), true).await;
    let last = last["id"].as_str().unwrap().to_string();
    put_assessment(
        &app,
        &s.inspector,
        &last,
        json!([
            {"criterion": "A1", "rating": "voldoet_niet", "finding": "Geen VOG."},
            {"criterion": "B1", "rating": "voldoet_deels", "finding": "Meldcode oud."},
            {"criterion": "C1", "rating": "voldoet"},
            {"criterion": "D1", "rating": "nvt"},
        ]),
    )
    .await;
    complete(&app, &s.inspector, &last).await;

    let after = dashboard(&app, &s.inspector).await;
    assert_eq!(after["providers"]["never_visited"], 0);
    assert_eq!(after["providers"]["visit_overdue"], 0);
    let theme = |d: &Value, code: &str| {
        d["scores"]["by_theme"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["theme"] == code)
            .unwrap()["score_pct"]
            .clone()
    };
    assert_eq!(theme(&after, "A"), 0.0);
    assert_eq!(theme(&after, "B"), 50.0);
    assert_eq!(theme(&after, "C"), 100.0);
    assert_eq!(
        theme(&after, "D"),
        Value::Null,
        "only nvt: nothing assessed"
    );
    assert_eq!(after["scores"]["overall_pct"], 50.0);

    // A visit that started earlier, completed later, joins the scores but is not the last one.
    let earlier: Value = plan(&app, &s, at(-5, 9), at(-5, 12), true).await;
    let earlier = earlier["id"].as_str().unwrap().to_string();
    put_assessment(
        &app,
        &s.inspector,
        &earlier,
        json!([{"criterion": "A1", "rating": "voldoet"}]),
    )
    .await;
    complete(&app, &s.inspector, &earlier).await;
    let both = dashboard(&app, &s.inspector).await;
    assert_eq!(theme(&both, "A"), 50.0, "0 of 2 and 2 of 2 points");
    let (scores, last_visits) = summaries(&app).await;
    assert_eq!(last_visits.len(), 1);
    assert_eq!(last_visits[0].visit_id.to_string(), last);
    assert_eq!(
        (
            last_visits[0].met,
            last_visits[0].partly_met,
            last_visits[0].not_met
        ),
        (1, 1, 1)
    );

    // Summarised anew from the ratings (as after generated data), nothing differs.
    toezicht::visits::summaries::rebuild(&app.db).await.unwrap();
    assert_eq!(summaries(&app).await, (scores, last_visits));
}
