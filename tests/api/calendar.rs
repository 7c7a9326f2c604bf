//! API.md "Visits", the calendar feed: what `GET /api/v1/calendar.ics` and the secret
//! `/calendar/{token}.ics` hold, read back with Python's icalendar. Who may read them and
//! renewing the secret address: `calendar_access.rs`.
use std::time::Duration;

use serde_json::{Value, json};
use toezicht::domain::role::Role;

use crate::helpers::TestApp;
use crate::ical;
use crate::visits::{Setup, body, plan, setup_with_provider};

/// Long enough to be folded, with a comma, a semicolon and multi-byte characters to escape.
const LONG_NAME: &str = "Stichting Zorggroep De Linde — wijkteams voor begeleiding, dagbesteding \
                         én beschermd wonen; locatie Enschede-Zuid";

pub(crate) const FEED: &str = "/api/v1/calendar.ics";

pub(crate) async fn feed(app: &TestApp, token: &str) -> String {
    let response = app.get(FEED, Some(token)).await;
    assert_eq!(response.status(), 200);
    assert_calendar_headers(&response);
    response.text().await.unwrap()
}

fn assert_calendar_headers(response: &reqwest::Response) {
    let headers = response.headers();
    assert_eq!(headers["content-type"], "text/calendar; charset=utf-8");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["referrer-policy"], "no-referrer");
}

pub(crate) async fn calendar_url(app: &TestApp, token: &str) -> String {
    let me: Value = app
        .get("/api/v1/me", Some(token))
        .await
        .json()
        .await
        .unwrap();
    me["calendar_url"]
        .as_str()
        .expect("an inspector has a calendar_url")
        .to_string()
}

async fn patch_visit(app: &TestApp, s: &Setup, id: &Value, change: Value) {
    let response = app
        .client
        .patch(app.url(&format!("/api/v1/visits/{}", id.as_str().unwrap())))
        .bearer_auth(&s.inspector)
        .json(&change)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{change}");
}

pub(crate) fn uid(visit: &Value) -> String {
    format!("{}@toezicht", visit["id"].as_str().unwrap())
}

#[tokio::test]
async fn the_feed_holds_the_inspectors_own_visits_in_dutch_time() {
    let app = TestApp::spawn().await;
    let s = setup_with_provider(&app, LONG_NAME).await;
    let winter = plan(
        &app,
        &s,
        "2026-12-01T09:00:00Z".into(),
        "2026-12-01T11:00:00Z".into(),
        false,
    )
    .await;
    let summer = plan(
        &app,
        &s,
        "2027-07-01T08:00:00Z".into(),
        "2027-07-01T10:00:00Z".into(),
        true,
    )
    .await;
    let cancelled = plan(
        &app,
        &s,
        "2026-12-02T09:00:00Z".into(),
        "2026-12-02T10:00:00Z".into(),
        true,
    )
    .await;
    patch_visit(&app, &s, &cancelled["id"], json!({"status": "geannuleerd"})).await;
    let colleague = app
        .add_user("collega@ggd.example", Role::Inspector, Some("GG1106"), None)
        .await;
    let mut theirs = body(
        &s,
        "2026-12-03T09:00:00Z".into(),
        "2026-12-03T10:00:00Z".into(),
        true,
    );
    theirs["inspector_ids"] = json!([colleague]);
    let response = app
        .post_json("/api/v1/visits", &theirs, Some(&s.inspector))
        .await;
    assert_eq!(response.status(), 201);

    let text = feed(&app, &s.inspector).await;
    ical::assert_well_formed(&text);
    assert!(text.contains("\r\n "), "the long provider name is folded");
    let cal = ical::read(&text).await;
    assert_eq!(
        (
            &cal["version"],
            &cal["prodid"],
            &cal["method"],
            &cal["calscale"]
        ),
        (
            &json!("2.0"),
            &json!("-//GGD//toezicht//NL"),
            &json!("PUBLISH"),
            &json!("GREGORIAN")
        )
    );
    assert_eq!(cal["name"], "Bezoeken Test inspector");
    assert_eq!(cal["timezone"], "Europe/Amsterdam");
    assert_eq!(
        cal["offsets"]["Europe/Amsterdam"],
        json!({"2026-12-01T10:00:00": 1.0, "2027-07-01T10:00:00": 2.0,
               "2027-03-28T01:59:00": 1.0, "2027-03-28T03:00:00": 2.0,
               "2026-10-25T01:59:00": 2.0, "2026-10-25T03:00:00": 1.0}),
        "our VTIMEZONE switches on the last Sundays of March and October"
    );
    let events = cal["events"].as_array().unwrap();
    let uids: Vec<&str> = events.iter().map(|e| e["uid"].as_str().unwrap()).collect();
    assert_eq!(
        uids,
        [uid(&winter), uid(&summer)],
        "no cancelled visit, no colleague's visit"
    );

    let w = &events[0];
    assert_eq!(
        w["summary"],
        format!("Inspectiebezoek {LONG_NAME} (onaangekondigd)")
    );
    assert_eq!(w["dtstart"], "2026-12-01T10:00:00+01:00");
    assert_eq!(w["dtend"], "2026-12-01T12:00:00+01:00");
    assert_eq!(w["tzid"], "Europe/Amsterdam");
    assert_eq!(w["location"], "Dorpsstraat 1, 1234 AB Plaats");
    assert_eq!(w["status"], "CONFIRMED");
    let link = format!(
        "{}/bezoeken/{}",
        app.base_url,
        winter["id"].as_str().unwrap()
    );
    assert_eq!(w["url"], link);
    assert_eq!(
        w["description"],
        format!("Reden: Regulier toezicht\nBezoek in Toezicht: {link}")
    );
    let z = &events[1];
    assert_eq!(
        z["summary"],
        format!("Inspectiebezoek {LONG_NAME} (aangekondigd)")
    );
    assert_eq!(z["dtstart"], "2027-07-01T10:00:00+02:00", "summer time");
    assert_eq!(z["dtend"], "2027-07-01T12:00:00+02:00");

    // The secret address serves the same calendar, without signing in.
    let response = app
        .client
        .get(calendar_url(&app, &s.inspector).await)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_calendar_headers(&response);
    assert_eq!(response.text().await.unwrap(), text);
}

#[tokio::test]
async fn a_visit_keeps_its_uid_when_it_is_rescheduled_and_leaves_when_cancelled() {
    let app = TestApp::spawn().await;
    let s = setup_with_provider(&app, "Thuiszorg Het Anker").await;
    let visit = plan(
        &app,
        &s,
        "2026-12-08T09:00:00Z".into(),
        "2026-12-08T10:00:00Z".into(),
        true,
    )
    .await;
    let first = feed(&app, &s.inspector).await;
    assert_eq!(feed(&app, &s.inspector).await, first, "the same feed twice");
    let before = ical::read(&first).await["events"][0].clone();
    assert_eq!(before["uid"], uid(&visit));
    assert_eq!(before["dtstart"], "2026-12-08T10:00:00+01:00");

    // SEQUENCE counts seconds of `updated_at`: let one pass so that it must grow.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let change = json!({"starts_at": "2027-06-08T07:00:00Z", "ends_at": "2027-06-08T08:30:00Z"});
    patch_visit(&app, &s, &visit["id"], change).await;
    let after = ical::read(&feed(&app, &s.inspector).await).await["events"][0].clone();
    assert_eq!(after["uid"], before["uid"], "the UID stays");
    assert_eq!(after["dtstart"], "2027-06-08T09:00:00+02:00");
    assert_eq!(after["dtend"], "2027-06-08T10:30:00+02:00");
    assert!(
        after["sequence"].as_i64() > before["sequence"].as_i64(),
        "{after}"
    );
    assert_ne!(after["dtstamp"], before["dtstamp"]);

    patch_visit(&app, &s, &visit["id"], json!({"status": "geannuleerd"})).await;
    let cal = ical::read(&feed(&app, &s.inspector).await).await;
    assert_eq!(cal["events"], json!([]), "a cancelled visit is removed");
}

#[tokio::test]
async fn the_openapi_document_describes_the_feed() {
    let app = TestApp::spawn().await;
    let doc: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    let get = &doc["paths"][FEED]["get"];
    assert!(
        get["responses"]["200"]["content"]["text/calendar"].is_object(),
        "{get}"
    );
    assert!(get["responses"]["403"].is_object());
}
