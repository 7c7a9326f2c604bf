//! The provider hears of an announced visit by email when it is planned, moved or cancelled, over
//! real SMTP; an unannounced visit never causes an email.
use chrono::{TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use toezicht::db::entities::outbox_message;
use toezicht::domain::role::Role;

use crate::helpers::TestApp;

async fn plan(app: &TestApp, token: &str, body: Value) -> String {
    let response = app.post_json("/api/v1/visits", &body, Some(token)).await;
    assert_eq!(response.status(), 201);
    let visit: Value = response.json().await.unwrap();
    visit["id"].as_str().unwrap().to_string()
}

async fn patch(app: &TestApp, token: &str, id: &str, body: Value) {
    let response = app
        .client
        .patch(app.url(&format!("/api/v1/visits/{id}")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn only_announced_visits_are_announced_by_email() {
    let app = TestApp::spawn().await;
    let provider = app
        .insert_provider("Thuiszorg Het Anker", "GM0153", "GG1106")
        .await;
    let inspector = app
        .add_user(
            "toezicht@ggd.example",
            Role::Inspector,
            Some("GG1106"),
            None,
        )
        .await;
    let token = app.token_for("toezicht@ggd.example").await;
    let visit = |start: &str, end: &str, announced: bool| {
        json!({"provider_id": provider, "inspector_ids": [inspector], "starts_at": start, "ends_at": end,
               "announced": announced, "reason": "proactief"})
    };
    let hidden = plan(
        &app,
        &token,
        visit("2031-03-03T09:00:00Z", "2031-03-03T11:00:00Z", false),
    )
    .await;
    let shown = plan(
        &app,
        &token,
        visit("2031-03-04T09:00:00Z", "2031-03-04T11:00:00Z", true),
    )
    .await;

    let mails = app.smtp.wait_for(1).await;
    assert_eq!(mails[0].rcpt_to, ["info@aanbieder.example"]);
    assert_eq!(
        mails[0].header("Subject").unwrap(),
        "Aankondiging toezichtbezoek op 4 maart 2031"
    );
    let text = mails[0].part("text/plain").unwrap();
    assert!(text.contains("Beste Thuiszorg Het Anker"));
    assert!(
        text.contains("Tijd: 10:00–12:00 uur"),
        "Dutch local time: {text}"
    );
    assert!(
        !text.contains("3 maart"),
        "nothing of the unannounced visit"
    );

    // Moving or cancelling the unannounced visit stays silent; the announced one is followed.
    patch(
        &app,
        &token,
        &hidden,
        json!({"starts_at": "2031-03-05T09:00:00Z", "ends_at": "2031-03-05T10:00:00Z"}),
    )
    .await;
    patch(&app, &token, &hidden, json!({"status": "geannuleerd"})).await;
    patch(&app, &token, &shown, json!({"inspector_ids": [inspector]})).await;
    patch(
        &app,
        &token,
        &shown,
        json!({"starts_at": "2031-03-06T13:00:00Z", "ends_at": "2031-03-06T14:00:00Z"}),
    )
    .await;
    patch(&app, &token, &shown, json!({"status": "geannuleerd"})).await;
    let mails = app.smtp.wait_for(3).await;
    let subjects: Vec<String> = mails.iter().map(|m| m.header("Subject").unwrap()).collect();
    assert_eq!(
        subjects,
        [
            "Aankondiging toezichtbezoek op 4 maart 2031",
            "Gewijzigd: toezichtbezoek nu op 6 maart 2031",
            "Geannuleerd: toezichtbezoek van 6 maart 2031",
        ]
    );
    let moved = Amsterdam.from_utc_datetime(
        &Utc.with_ymd_and_hms(2031, 3, 6, 13, 0, 0)
            .unwrap()
            .naive_utc(),
    );
    assert!(
        mails[1]
            .part("text/plain")
            .unwrap()
            .contains(&format!("Tijd: {}–15:00 uur", moved.format("%H:%M")))
    );
    // A visit recorded afterwards is no announcement either.
    plan(
        &app,
        &token,
        visit("2026-01-05T09:00:00Z", "2026-01-05T11:00:00Z", true),
    )
    .await;
    // Everything queued went out: three messages, none for the unannounced or the past visit.
    assert_eq!(
        outbox_message::Entity::find().count(&app.db).await.unwrap(),
        3
    );
}
