//! API.md "Visits": planning, double-booking (also when simultaneous), rescheduling and
//! cancelling, and the unannounced-visit privacy rule.
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use toezicht::domain::role::Role;
use uuid::Uuid;

use crate::helpers::{TestApp, problem};

pub(crate) struct Setup {
    pub(crate) inspector: String,
    pub(crate) inspector_id: Value,
    pub(crate) provider: Uuid,
}

pub(crate) async fn setup(app: &TestApp) -> Setup {
    setup_with_provider(app, "Thuiszorg Het Anker").await
}

/// A provider of that name in GGD Twente and an inspector of Twente with a bearer token.
pub(crate) async fn setup_with_provider(app: &TestApp, provider_name: &str) -> Setup {
    let provider = app.insert_provider(provider_name, "GM0153", "GG1106").await;
    let inspector = app.inspector_token("GG1106").await;
    let me: Value = app
        .get("/api/v1/me", Some(&inspector))
        .await
        .json()
        .await
        .unwrap();
    Setup {
        inspector,
        inspector_id: me["id"].clone(),
        provider,
    }
}

pub(crate) fn at(days: i64, hour: i64) -> String {
    let day = (Utc::now() + Duration::days(days))
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    (day + Duration::hours(hour)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub(crate) fn body(s: &Setup, start: String, end: String, announced: bool) -> Value {
    json!({"provider_id": s.provider, "inspector_ids": [s.inspector_id], "starts_at": start, "ends_at": end,
           "announced": announced, "reason": "proactief"})
}

/// Plans a visit as the region's inspector and returns it (for tests about what comes after).
pub(crate) async fn plan(
    app: &TestApp,
    s: &Setup,
    start: String,
    end: String,
    announced: bool,
) -> Value {
    let response = app
        .post_json(
            "/api/v1/visits",
            &body(s, start, end, announced),
            Some(&s.inspector),
        )
        .await;
    assert_eq!(response.status(), 201, "planned");
    response.json().await.unwrap()
}

#[tokio::test]
async fn an_inspector_plans_a_visit_in_its_region() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let response = app
        .post_json(
            "/api/v1/visits",
            &body(&s, at(7, 9), at(7, 12), true),
            Some(&s.inspector),
        )
        .await;
    assert_eq!(response.status(), 201);
    let visit: Value = response.json().await.unwrap();
    assert_eq!(visit["status"], "gepland");
    assert_eq!(visit["region_code"], "GG1106");
    assert_eq!(visit["inspector_ids"], json!([s.inspector_id]));
    assert_eq!(visit["reason"], "proactief");
    let framework: Value = app
        .get("/api/v1/framework", Some(&s.inspector))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        visit["framework_version_id"], framework["id"],
        "scored against the version in force"
    );
    let shown: Value = app
        .get(
            &format!("/api/v1/visits/{}", visit["id"].as_str().unwrap()),
            Some(&s.inspector),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["starts_at"], visit["starts_at"]);
    // A visit recorded afterwards may lie in the past.
    assert_eq!(
        app.post_json(
            "/api/v1/visits",
            &body(&s, at(-30, 9), at(-30, 11), true),
            Some(&s.inspector)
        )
        .await
        .status(),
        201
    );
}

#[tokio::test]
async fn bad_plans_are_refused_with_the_reason() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let (status, b) = problem(
        app.post_json(
            "/api/v1/visits",
            &body(&s, at(7, 12), at(7, 12), true),
            Some(&s.inspector),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, b["errors"][0]["field"].clone()),
        (422, json!("ends_at"))
    );
    let elsewhere = app
        .add_user("haag@ggd.example", Role::Inspector, Some("GG7014"), None)
        .await;
    let mut other = body(&s, at(7, 9), at(7, 12), true);
    other["inspector_ids"] = json!([elsewhere]);
    let (status, b) = problem(
        app.post_json("/api/v1/visits", &other, Some(&s.inspector))
            .await,
    )
    .await;
    assert_eq!(
        (status, b["errors"][0]["field"].clone()),
        (422, json!("inspector_ids"))
    );
    let mut reason = body(&s, at(7, 9), at(7, 12), true);
    reason["reason"] = json!("gezellig");
    assert_eq!(
        problem(
            app.post_json("/api/v1/visits", &reason, Some(&s.inspector))
                .await
        )
        .await
        .0,
        422
    );

    // A provider outside the region is checked first: 404 even with bad times.
    let haag_provider = app.insert_provider("Haagse Zorg", "GM0518", "GG7014").await;
    let mut outside = body(&s, at(7, 12), at(7, 9), true);
    outside["provider_id"] = json!(haag_provider);
    assert_eq!(
        problem(
            app.post_json("/api/v1/visits", &outside, Some(&s.inspector))
                .await
        )
        .await
        .0,
        404
    );

    app.add_user(
        "kwaliteit@anker.example",
        Role::Provider,
        None,
        Some(s.provider),
    )
    .await;
    let provider_user = app.token_for("kwaliteit@anker.example").await;
    assert_eq!(
        problem(
            app.post_json(
                "/api/v1/visits",
                &body(&s, at(7, 9), at(7, 12), true),
                Some(&provider_user)
            )
            .await
        )
        .await
        .0,
        403
    );
}

#[tokio::test]
async fn an_inspector_cannot_be_double_booked() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let first: Value = plan(&app, &s, at(7, 9), at(7, 12), true).await;
    let (status, b) = problem(
        app.post_json(
            "/api/v1/visits",
            &body(&s, at(7, 11), at(7, 13), true),
            Some(&s.inspector),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        b["detail"]
            .as_str()
            .unwrap()
            .contains("Thuiszorg Het Anker"),
        "names the conflicting visit: {b}"
    );
    // Back to back is fine.
    assert_eq!(
        app.post_json(
            "/api/v1/visits",
            &body(&s, at(7, 12), at(7, 14), true),
            Some(&s.inspector)
        )
        .await
        .status(),
        201
    );
    // A cancelled visit frees the time.
    let id = first["id"].as_str().unwrap();
    let cancelled = app
        .client
        .patch(app.url(&format!("/api/v1/visits/{id}")))
        .bearer_auth(&s.inspector)
        .json(&json!({"status": "geannuleerd"}))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);
    assert_eq!(
        app.post_json(
            "/api/v1/visits",
            &body(&s, at(7, 9), at(7, 11), true),
            Some(&s.inspector)
        )
        .await
        .status(),
        201
    );
}

#[tokio::test]
async fn two_simultaneous_requests_cannot_both_book_the_same_time() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let one = body(&s, at(9, 9), at(9, 12), true);
    let two = body(&s, at(9, 10), at(9, 13), false);
    let (a, b) = tokio::join!(
        app.post_json("/api/v1/visits", &one, Some(&s.inspector)),
        app.post_json("/api/v1/visits", &two, Some(&s.inspector))
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [201, 409]);
}

#[tokio::test]
async fn rescheduling_and_cancelling_follow_the_same_rules() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let a: Value = plan(&app, &s, at(7, 9), at(7, 10), true).await;
    app.post_json(
        "/api/v1/visits",
        &body(&s, at(7, 13), at(7, 15), true),
        Some(&s.inspector),
    )
    .await;
    let id = a["id"].as_str().unwrap();
    let patch = |b: Value| {
        let app = &app;
        let token = s.inspector.clone();
        async move {
            app.client
                .patch(app.url(&format!("/api/v1/visits/{id}")))
                .bearer_auth(token)
                .json(&b)
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        problem(patch(json!({"starts_at": at(7, 12), "ends_at": at(7, 14)})).await)
            .await
            .0,
        409,
        "into the other visit"
    );
    assert_eq!(
        problem(patch(json!({"ends_at": at(7, 8)})).await).await.0,
        422
    );
    let moved: Value = patch(json!({"starts_at": at(8, 9), "ends_at": at(8, 11)}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(moved["starts_at"], at(8, 9));
    assert_eq!(
        problem(patch(json!({"status": "uitgevoerd"})).await)
            .await
            .0,
        422
    );
    assert_eq!(patch(json!({"status": "geannuleerd"})).await.status(), 200);
    assert_eq!(
        problem(patch(json!({"starts_at": at(10, 9), "ends_at": at(10, 10)})).await)
            .await
            .0,
        409,
        "a cancelled visit stays cancelled"
    );
}

#[tokio::test]
async fn a_provider_never_sees_an_unannounced_visit_before_it_happened() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let announced: Value = plan(&app, &s, at(7, 9), at(7, 10), true).await;
    let unannounced: Value = plan(&app, &s, at(8, 9), at(8, 10), false).await;
    app.add_user(
        "kwaliteit@anker.example",
        Role::Provider,
        None,
        Some(s.provider),
    )
    .await;
    let provider_user = app.token_for("kwaliteit@anker.example").await;
    let list: Value = app
        .get("/api/v1/visits", Some(&provider_user))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], announced["id"]);
    let hidden = unannounced["id"].as_str().unwrap();
    assert_eq!(
        problem(
            app.get(&format!("/api/v1/visits/{hidden}"), Some(&provider_user))
                .await
        )
        .await
        .0,
        404
    );
    let filtered: Value = app
        .get(
            &format!("/api/v1/visits?provider_id={}&status=gepland", s.provider),
            Some(&provider_user),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["total"], 1, "no filter reveals it");

    // Another region's inspector sees neither.
    let haag = app.inspector_token("GG7014").await;
    let list: Value = app
        .get("/api/v1/visits", Some(&haag))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
    assert_eq!(
        problem(
            app.get(&format!("/api/v1/visits/{hidden}"), Some(&haag))
                .await
        )
        .await
        .0,
        404
    );
}

#[tokio::test]
async fn the_agenda_filters_by_time_and_inspector() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    for day in [3, 10, 20] {
        app.post_json(
            "/api/v1/visits",
            &body(&s, at(day, 9), at(day, 10), true),
            Some(&s.inspector),
        )
        .await;
    }
    let from = (Utc::now() + Duration::days(5)).format("%Y-%m-%d");
    let to = (Utc::now() + Duration::days(15)).format("%Y-%m-%d");
    let window: Value = app
        .get(
            &format!("/api/v1/visits?from={from}&to={to}"),
            Some(&s.inspector),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(window["total"], 1);
    let mine: Value = app
        .get(
            &format!(
                "/api/v1/visits?inspector_id={}",
                s.inspector_id.as_str().unwrap()
            ),
            Some(&s.inspector),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["total"], 3);
    let starts: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["starts_at"].as_str().unwrap())
        .collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted, "in time order");
    assert_eq!(
        problem(
            app.get("/api/v1/visits?from=gisteren", Some(&s.inspector))
                .await
        )
        .await
        .0,
        422
    );
}

pub(crate) async fn put_assessment(
    app: &TestApp,
    token: &str,
    id: &str,
    ratings: Value,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/api/v1/visits/{id}/assessment")))
        .bearer_auth(token)
        .json(&json!({"ratings": ratings}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_assessment_is_scored_as_the_contract_says_and_saved_as_you_go() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let visit: Value = plan(&app, &s, at(-1, 9), at(-1, 12), true).await;
    let id = visit["id"].as_str().unwrap();
    let first = put_assessment(&app, &s.inspector, id, json!([
        {"criterion": "A1", "rating": "voldoet_niet", "finding": "Twee van de vijf dossiers zonder VOG."},
        {"criterion": "a2", "rating": "voldoet"},
    ])).await;
    assert_eq!(first.status(), 200);
    let scored: Value = first.json().await.unwrap();
    assert_eq!(
        scored["theme_scores"][0],
        json!({"theme": "A", "score_pct": 50.0, "assessed": 2})
    );
    assert_eq!(
        scored["theme_scores"][1],
        json!({"theme": "B", "score_pct": null, "assessed": 0})
    );
    assert_eq!(scored["overall_pct"], 50.0);
    // A second save, of other criteria, keeps the first; saving the same again changes nothing.
    let more = json!([{"criterion": "B1", "rating": "voldoet_deels", "finding": "Meldcode is er, maar verouderd."}, {"criterion": "C1", "rating": "nvt"}]);
    put_assessment(&app, &s.inspector, id, more.clone()).await;
    let again: Value = put_assessment(&app, &s.inspector, id, more)
        .await
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = again["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["criterion"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["A1", "A2", "B1", "C1"],
        "in framework order, nothing lost"
    );
    assert_eq!(again["theme_scores"][1]["score_pct"], 50.0);
    // Pooled: 0 + 2 + 1 points of 3 assessed criteria → 3 / 6 = 50.0.
    assert_eq!(again["overall_pct"], 50.0);
    let read: Value = app
        .get(
            &format!("/api/v1/visits/{id}/assessment"),
            Some(&s.inspector),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["ratings"], again["ratings"]);
}

#[tokio::test]
async fn bad_ratings_are_refused_per_field_and_closed_visits_cannot_be_scored() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let visit: Value = plan(&app, &s, at(-1, 9), at(-1, 12), true).await;
    let id = visit["id"].as_str().unwrap();
    for (ratings, field) in [
        (
            json!([{"criterion": "A1", "rating": "voldoet_deels"}]),
            "ratings[0].finding",
        ),
        (
            json!([{"criterion": "A1", "rating": "voldoet"}, {"criterion": "Z9", "rating": "voldoet"}]),
            "ratings[1].criterion",
        ),
        (
            json!([{"criterion": "A1", "rating": "prima"}]),
            "ratings[0].rating",
        ),
        (
            json!([{"criterion": "A1", "rating": "voldoet_niet", "finding": "  "}]),
            "ratings[0].finding",
        ),
    ] {
        let (status, b) = problem(put_assessment(&app, &s.inspector, id, ratings).await).await;
        assert_eq!(
            (status, b["errors"][0]["field"].as_str().unwrap()),
            (422, field)
        );
    }
    let read: Value = app
        .get(
            &format!("/api/v1/visits/{id}/assessment"),
            Some(&s.inspector),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["ratings"], json!([]), "a refused save stores nothing");

    app.add_user(
        "kwaliteit@anker.example",
        Role::Provider,
        None,
        Some(s.provider),
    )
    .await;
    let provider_user = app.token_for("kwaliteit@anker.example").await;
    assert_eq!(
        problem(put_assessment(&app, &provider_user, id, json!([])).await)
            .await
            .0,
        403
    );

    app.client
        .patch(app.url(&format!("/api/v1/visits/{id}")))
        .bearer_auth(&s.inspector)
        .json(&json!({"status": "geannuleerd"}))
        .send()
        .await
        .unwrap();
    let ok = json!([{"criterion": "A1", "rating": "voldoet"}]);
    assert_eq!(
        problem(put_assessment(&app, &s.inspector, id, ok).await)
            .await
            .0,
        409
    );
}

#[tokio::test]
async fn completing_a_visit_makes_a_concept_report_with_improvement_points() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let complete = |id: String| {
        let app = &app;
        let token = s.inspector.clone();
        async move {
            app.client
                .post(app.url(&format!("/api/v1/visits/{id}/complete")))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
        }
    };
    let future: Value = plan(&app, &s, at(5, 9), at(5, 10), true).await;
    assert_eq!(
        problem(complete(future["id"].as_str().unwrap().into()).await)
            .await
            .0,
        409,
        "not before it starts"
    );

    let visit: Value = plan(&app, &s, at(-1, 9), at(-1, 12), false).await;
    let id = visit["id"].as_str().unwrap().to_string();
    assert_eq!(
        problem(complete(id.clone()).await).await.0,
        409,
        "nothing assessed yet"
    );
    put_assessment(&app, &s.inspector, &id, json!([
        {"criterion": "A1", "rating": "voldoet_niet", "finding": "Geen VOG voor twee nieuwe medewerkers."},
        {"criterion": "B1", "rating": "voldoet_deels", "finding": "Meldcode niet bijgewerkt."},
        {"criterion": "C1", "rating": "voldoet"},
        {"criterion": "D1", "rating": "nvt"},
    ])).await;
    let response = complete(id.clone()).await;
    assert_eq!(response.status(), 201);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["status"], "concept");
    assert_eq!(report["visit_id"], id.as_str());
    assert_eq!(report["provider_response"], Value::Null);
    let points = report["improvement_points"].as_array().unwrap();
    let criteria: Vec<&str> = points
        .iter()
        .map(|p| p["criterion"].as_str().unwrap())
        .collect();
    assert_eq!(criteria, ["A1", "B1"], "one per unmet criterion");
    assert!(
        points[0]["description"]
            .as_str()
            .unwrap()
            .contains("Geen VOG voor twee nieuwe medewerkers.")
    );
    let today = toezicht::domain::working_days::dutch_date(Utc::now());
    let due = today
        .checked_add_months(chrono::Months::new(3))
        .unwrap()
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        points[0]["due_date"],
        due.as_str(),
        "three months by default"
    );
    assert_eq!(points[0]["status"], "open");
    assert_eq!(report["overall_pct"], 50.0);

    let done: Value = app
        .get(&format!("/api/v1/visits/{id}"), Some(&s.inspector))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(done["status"], "uitgevoerd");
    assert_eq!(problem(complete(id.clone()).await).await.0, 409, "once");
    assert_eq!(
        problem(
            put_assessment(
                &app,
                &s.inspector,
                &id,
                json!([{"criterion": "A1", "rating": "voldoet"}])
            )
            .await
        )
        .await
        .0,
        409
    );

    // Once it has taken place, the unannounced visit is no secret any more.
    app.add_user(
        "kwaliteit@anker.example",
        Role::Provider,
        None,
        Some(s.provider),
    )
    .await;
    let provider_user = app.token_for("kwaliteit@anker.example").await;
    assert_eq!(
        app.get(&format!("/api/v1/visits/{id}"), Some(&provider_user))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_signal_can_be_linked_to_a_visit_of_its_region() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let visit: Value = plan(&app, &s, at(3, 9), at(3, 10), true).await;
    let filed = crate::signals::file(&app, &crate::signals::signal_body(Some(s.provider))).await;
    let list: Value = app
        .get(
            &format!(
                "/api/v1/signals?reference={}",
                filed["reference"].as_str().unwrap()
            ),
            Some(&s.inspector),
        )
        .await
        .json()
        .await
        .unwrap();
    let signal_id = list["items"][0]["id"].as_str().unwrap().to_string();
    let patch = |b: Value| {
        let app = &app;
        let token = s.inspector.clone();
        let id = signal_id.clone();
        async move {
            app.client
                .patch(app.url(&format!("/api/v1/signals/{id}")))
                .bearer_auth(token)
                .json(&b)
                .send()
                .await
                .unwrap()
        }
    };
    let (status, b) = problem(patch(json!({"visit_id": Uuid::new_v4()})).await).await;
    assert_eq!(
        (status, b["errors"][0]["field"].clone()),
        (422, json!("visit_id"))
    );
    let linked: Value = patch(json!({"visit_id": visit["id"]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(linked["visit_id"], visit["id"]);
    let cleared: Value = patch(json!({"visit_id": null})).await.json().await.unwrap();
    assert_eq!(cleared["visit_id"], Value::Null);
}
