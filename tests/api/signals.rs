//! API.md "Signals": filing, following, rate limit, privacy and scoping, triage transitions,
//! duplicates, providers' calamity reports.
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use toezicht::db::entities::signal;
use toezicht::domain::role::Role;
use uuid::Uuid;

use crate::helpers::{TestApp, problem};

pub fn signal_body(provider_id: Option<Uuid>) -> Value {
    let mut body = json!({
        "category": "bejegening",
        "description": "Mijn moeder wordt al weken afgesnauwd door de begeleiders.",
        "occurred_on": "2026-11-01",
        "reporter_role": "naaste",
        "anonymous": false,
        "contact_name": "Petra de Vries",
        "contact_email": "petra@voorbeeld.nl"
    });
    match provider_id {
        Some(id) => body["provider_id"] = json!(id),
        None => {
            body["provider_name"] = json!("Zorg Zonder Register");
            body["municipality_code"] = json!("GM0153");
        }
    }
    body
}

pub async fn file(app: &TestApp, body: &Value) -> Value {
    let response = app.post_json("/api/v1/signals", body, None).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn find_id(app: &TestApp, token: &str, reference: &str) -> String {
    let list: Value = app
        .get(
            &format!("/api/v1/signals?reference={reference}"),
            Some(token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1, "{reference}");
    list["items"][0]["id"].as_str().unwrap().to_string()
}

pub async fn patch(app: &TestApp, token: &str, id: &str, body: Value) -> reqwest::Response {
    app.client
        .patch(app.url(&format!("/api/v1/signals/{id}")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn anyone_files_a_signal_and_gets_a_reference_and_token() {
    let app = TestApp::spawn().await;
    let provider = app
        .insert_provider("Thuiszorg Het Anker", "GM0153", "GG1106")
        .await;
    let filed = file(&app, &signal_body(Some(provider))).await;
    let year = toezicht::domain::working_days::dutch_date(Utc::now())
        .format("%Y")
        .to_string();
    assert_eq!(filed["reference"], format!("M-{year}-000001"));
    assert_eq!(filed["status"], "ontvangen");
    assert!(filed["tracking_token"].as_str().unwrap().len() >= 32);
    assert!(filed.get("id").is_none(), "no internal id for the public");
    let keys: Vec<&String> = filed.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["received_at", "reference", "status", "tracking_token"]
    );
    let second = file(&app, &signal_body(None)).await;
    assert_eq!(second["reference"], format!("M-{year}-000002"));

    let inspector = app.inspector_token("GG1106").await;
    let id = find_id(&app, &inspector, filed["reference"].as_str().unwrap()).await;
    let detail: Value = app
        .get(&format!("/api/v1/signals/{id}"), Some(&inspector))
        .await
        .json()
        .await
        .unwrap();
    for key in [
        "id",
        "reference",
        "status",
        "priority",
        "category",
        "description",
        "occurred_on",
        "reporter_role",
        "anonymous",
        "contact_name",
        "contact_email",
        "provider_id",
        "provider_name",
        "municipality_code",
        "region_code",
        "assignee_id",
        "visit_id",
        "resolution",
        "received_at",
        "triage_due",
        "overdue",
        "history",
    ] {
        assert!(
            detail.as_object().unwrap().contains_key(key),
            "{key} missing"
        );
    }
    assert_eq!(detail["priority"], "normaal");
    assert_eq!(detail["provider_name"], "Thuiszorg Het Anker");
    assert_eq!(detail["region_code"], "GG1106");
    assert_eq!(detail["contact_email"], "petra@voorbeeld.nl");
    assert_eq!(detail["assignee_id"], Value::Null);
    assert_eq!(detail["overdue"], false);
    assert_eq!(detail["history"].as_array().unwrap().len(), 1);
    assert_eq!(detail["history"][0]["status"], "ontvangen");

    // Each view of contact details is in the audit log.
    let reads = toezicht::audit::for_entity(&app.db, "signal", &id)
        .await
        .unwrap();
    assert!(
        reads
            .iter()
            .any(|e| e.action == "signal.contact_viewed" && e.actor_name == "Test inspector")
    );
}

#[tokio::test]
async fn numbering_continues_after_the_years_counter_and_never_repeats() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    let year = toezicht::domain::working_days::dutch_date(Utc::now())
        .format("%Y")
        .to_string();
    // Where the demo data (or filings before PostgreSQL's sequences) left the year's numbering.
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO reference_counters (name, last_value) VALUES ('M-{year}', 41)"
        ))
        .await
        .unwrap();
    let filed = file(&app, &signal_body(None)).await;
    assert_eq!(filed["reference"], format!("M-{year}-000042"));
    // Many filings at once: every one gets its own number.
    let filings = (0..8).map(|_| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/signals"))
                .json(&signal_body(None))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    });
    let mut references: Vec<String> = futures_util::future::join_all(filings)
        .await
        .iter()
        .map(|f| f["reference"].as_str().unwrap().to_string())
        .collect();
    references.sort();
    references.dedup();
    assert_eq!(references.len(), 8, "{references:?}");
    assert!(
        references
            .iter()
            .all(|r| r.as_str() > format!("M-{year}-000042").as_str())
    );
}

#[tokio::test]
async fn a_signal_about_an_unregistered_provider_belongs_to_the_municipalitys_region() {
    let app = TestApp::spawn().await;
    let mut body = signal_body(None);
    body["municipality_code"] = json!("GM0518");
    let filed = file(&app, &body).await;
    let haaglanden = app.inspector_token("GG7014").await;
    let id = find_id(&app, &haaglanden, filed["reference"].as_str().unwrap()).await;
    let detail: Value = app
        .get(&format!("/api/v1/signals/{id}"), Some(&haaglanden))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (detail["region_code"].clone(), detail["provider_id"].clone()),
        (json!("GG7014"), Value::Null)
    );
    assert_eq!(detail["provider_name"], "Zorg Zonder Register");

    // An inspector of another region cannot see it: 404, as if it did not exist.
    let twente = app.inspector_token("GG1106").await;
    assert_eq!(
        problem(
            app.get(&format!("/api/v1/signals/{id}"), Some(&twente))
                .await
        )
        .await
        .0,
        404
    );
    let list: Value = app
        .get("/api/v1/signals", Some(&twente))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);

    // The inspector links it to the provider once that is in the register.
    let provider = app
        .insert_provider("Zorg Zonder Register", "GM0518", "GG7014")
        .await;
    let other_region = app.insert_provider("Elders", "GM0153", "GG1106").await;
    let (status, body) =
        problem(patch(&app, &haaglanden, &id, json!({"provider_id": other_region})).await).await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (422, json!("provider_id"))
    );
    let linked: Value = patch(&app, &haaglanden, &id, json!({"provider_id": provider}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(linked["provider_id"], provider.to_string());
}

async fn clear_rate_log(app: &TestApp) {
    toezicht::db::entities::signal_submission::Entity::delete_many()
        .exec(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn every_bad_input_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let provider = app.insert_provider("Anker", "GM0153", "GG1106").await;
    let tomorrow = (Utc::now() + Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let cases: Vec<(&str, Value)> = vec![
        ("category", json!({"category": "klacht"})),
        ("description", json!({"description": "Te kort."})),
        ("description", json!({"description": "x".repeat(5001)})),
        (
            "description",
            json!({"description": "Het gaat om mijn vader met BSN 111222333 op kamer 12."}),
        ),
        ("occurred_on", json!({"occurred_on": tomorrow})),
        ("occurred_on", json!({"occurred_on": "gisteren"})),
        ("reporter_role", json!({"reporter_role": "buurman"})),
        ("contact_email", json!({"contact_email": "geen-adres"})),
        (
            "contact_name",
            json!({"anonymous": true, "contact_email": null}),
        ),
        (
            "contact_email",
            json!({"anonymous": true, "contact_name": null}),
        ),
        ("provider_id", json!({"provider_id": Uuid::new_v4()})),
    ];
    for (field, change) in cases {
        let mut body = signal_body(Some(provider));
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        // Every attempt counts toward the rate limit; this test is about the checks.
        clear_rate_log(&app).await;
        let (status, problem_body) =
            problem(app.post_json("/api/v1/signals", &body, None).await).await;
        assert_eq!(status, 422, "{field}: {change}");
        let fields: Vec<&str> = problem_body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    clear_rate_log(&app).await;
    let mut neither = signal_body(None);
    neither.as_object_mut().unwrap().remove("provider_name");
    neither.as_object_mut().unwrap().remove("municipality_code");
    let (_, body) = problem(app.post_json("/api/v1/signals", &neither, None).await).await;
    assert_eq!(body["errors"][0]["field"], "provider_name");
    let mut unknown_municipality = signal_body(None);
    unknown_municipality["municipality_code"] = json!("GM9999");
    let (status, body) = problem(
        app.post_json("/api/v1/signals", &unknown_municipality, None)
            .await,
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (422, json!("municipality_code"))
    );
    let (status, _) = problem(
        app.post_json("/api/v1/signals", &json!({"category": "overig"}), None)
            .await,
    )
    .await;
    assert_eq!(status, 422, "missing fields");

    let stored = signal::Entity::find().all(&app.db).await.unwrap();
    assert!(stored.is_empty(), "no signal was stored");

    // Anonymous without contact details is fine.
    let mut anonymous = signal_body(Some(provider));
    anonymous["anonymous"] = json!(true);
    anonymous["contact_name"] = Value::Null;
    anonymous["contact_email"] = Value::Null;
    file(&app, &anonymous).await;
}

#[tokio::test]
async fn more_than_ten_signals_a_minute_from_one_address_are_refused() {
    let app = TestApp::spawn().await;
    let provider = app.insert_provider("Anker", "GM0153", "GG1106").await;
    let body = signal_body(Some(provider));
    for _ in 0..10 {
        assert_eq!(
            app.post_json("/api/v1/signals", &body, None).await.status(),
            201
        );
    }
    let limited = app.post_json("/api/v1/signals", &body, None).await;
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert_eq!(problem(limited).await.0, 429);
    assert_eq!(signal::Entity::find().all(&app.db).await.unwrap().len(), 10);
}

async fn post_from(app: &TestApp, body: &Value, forwarded_for: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/signals"))
        .header("x-forwarded-for", forwarded_for)
        .json(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_reporter_has_its_own_limit() {
    // The tests reach the app from 127.0.0.1, which plays the reverse proxy here.
    let app = TestApp::spawn_with(|c| c.trusted_proxy = Some("127.0.0.1".parse().unwrap())).await;
    let provider = app.insert_provider("Anker", "GM0153", "GG1106").await;
    let body = signal_body(Some(provider));
    for _ in 0..10 {
        assert_eq!(post_from(&app, &body, "203.0.113.1").await, 201);
    }
    assert_eq!(post_from(&app, &body, "203.0.113.1").await, 429);
    // Another person behind the same proxy is not blocked by the first one's limit, and what a
    // client writes before the proxy's own entry does not count.
    assert_eq!(
        post_from(&app, &body, "203.0.113.1, 203.0.113.2").await,
        201
    );
    assert_eq!(signal::Entity::find().all(&app.db).await.unwrap().len(), 11);
}

#[tokio::test]
async fn without_a_trusted_proxy_x_forwarded_for_does_not_dodge_the_limit() {
    let app = TestApp::spawn().await;
    let provider = app.insert_provider("Anker", "GM0153", "GG1106").await;
    let body = signal_body(Some(provider));
    for i in 0..10 {
        assert_eq!(post_from(&app, &body, &format!("203.0.113.{i}")).await, 201);
    }
    assert_eq!(post_from(&app, &body, "198.51.100.7").await, 429);
}

#[tokio::test]
async fn the_reporter_follows_the_signal_with_reference_and_token_only() {
    let app = TestApp::spawn().await;
    let filed = file(&app, &signal_body(None)).await;
    let reference = filed["reference"].as_str().unwrap();
    let token = filed["tracking_token"].as_str().unwrap();
    let status = |reference: String, token: String| {
        let app = &app;
        async move {
            app.client
                .get(app.url(&format!("/api/v1/signals/status?reference={reference}")))
                .header("x-tracking-token", token)
                .send()
                .await
                .unwrap()
        }
    };
    let response = status(reference.to_lowercase(), token.to_string()).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["reference"], reference);
    assert_eq!(body["status"], "ontvangen");
    assert_eq!(body["category"], "bejegening");
    assert_eq!(body["history"][0]["status"], "ontvangen");
    assert!(body.get("description").is_none() && body.get("contact_email").is_none());

    let wrong_token = problem(status(reference.to_string(), "A".repeat(43)).await).await;
    let unknown = problem(status("M-2026-999999".into(), token.to_string()).await).await;
    assert_eq!(wrong_token.0, 404);
    assert_eq!(wrong_token, unknown, "the same answer for both");
    let no_token = app
        .get(
            &format!("/api/v1/signals/status?reference={reference}"),
            None,
        )
        .await;
    assert_eq!(problem(no_token).await.0, 404);
}

#[tokio::test]
async fn only_admins_and_the_regions_inspectors_see_signals() {
    let app = TestApp::spawn().await;
    let provider = app.insert_provider("Anker", "GM0153", "GG1106").await;
    let filed = file(&app, &signal_body(Some(provider))).await;
    assert_eq!(problem(app.get("/api/v1/signals", None).await).await.0, 401);
    app.add_user(
        "kwaliteit@anker.example",
        Role::Provider,
        None,
        Some(provider),
    )
    .await;
    let provider_token = app.token_for("kwaliteit@anker.example").await;
    assert_eq!(
        problem(app.get("/api/v1/signals", Some(&provider_token)).await)
            .await
            .0,
        403
    );
    let admin = app.admin_token().await;
    let id = find_id(&app, &admin, filed["reference"].as_str().unwrap()).await;
    assert_eq!(
        problem(
            app.get(&format!("/api/v1/signals/{id}"), Some(&provider_token))
                .await
        )
        .await
        .0,
        403
    );
    assert_eq!(
        problem(
            patch(
                &app,
                &provider_token,
                &id,
                json!({"status": "in_behandeling"})
            )
            .await
        )
        .await
        .0,
        403
    );
    let (status, body) = problem(app.get("/api/v1/signals?status=weg", Some(&admin)).await).await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (422, json!("status"))
    );
}

#[tokio::test]
async fn triage_follows_the_transition_table() {
    let app = TestApp::spawn().await;
    let inspector = app.inspector_token("GG1106").await;
    let new_signal = || async {
        let filed = file(&app, &signal_body(None)).await;
        find_id(&app, &inspector, filed["reference"].as_str().unwrap()).await
    };
    let id = new_signal().await;
    // Not allowed from ontvangen: straight to onderzoek, doorverwezen or afgesloten.
    for to in ["onderzoek", "doorverwezen", "afgesloten", "ontvangen"] {
        let (status, _) = problem(
            patch(
                &app,
                &inspector,
                &id,
                json!({"status": to, "resolution": "x"}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 409, "ontvangen → {to}");
    }
    assert_eq!(
        patch(&app, &inspector, &id, json!({"status": "in_behandeling"}))
            .await
            .status(),
        200
    );
    assert_eq!(
        patch(&app, &inspector, &id, json!({"status": "onderzoek"}))
            .await
            .status(),
        200
    );
    assert_eq!(
        problem(patch(&app, &inspector, &id, json!({"status": "doorverwezen"})).await)
            .await
            .0,
        409
    );
    let (status, body) =
        problem(patch(&app, &inspector, &id, json!({"status": "afgesloten"})).await).await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (422, json!("resolution")),
        "closing needs a resolution"
    );
    let closed: Value = patch(&app, &inspector, &id, json!({"status": "afgesloten", "resolution": "Besproken met de aanbieder; verbeterplan ontvangen."}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["status"], "afgesloten");
    let statuses: Vec<&str> = closed["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["ontvangen", "in_behandeling", "onderzoek", "afgesloten"]
    );
    assert_eq!(
        problem(patch(&app, &inspector, &id, json!({"status": "in_behandeling"})).await)
            .await
            .0,
        409
    );

    for end in ["doorverwezen", "afgesloten"] {
        let id = new_signal().await;
        patch(&app, &inspector, &id, json!({"status": "in_behandeling"})).await;
        let response = patch(
            &app,
            &inspector,
            &id,
            json!({"status": end, "resolution": "Doorgestuurd naar de gemeente."}),
        )
        .await;
        assert_eq!(response.status(), 200, "in_behandeling → {end}");
    }

    // Priority and assignee; an inspector of another region cannot be assigned.
    let id = new_signal().await;
    let me: Value = app
        .get("/api/v1/me", Some(&inspector))
        .await
        .json()
        .await
        .unwrap();
    let updated: Value = patch(
        &app,
        &inspector,
        &id,
        json!({"priority": "hoog", "assignee_id": me["id"]}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        (updated["priority"].clone(), updated["assignee_id"].clone()),
        (json!("hoog"), me["id"].clone())
    );
    let elsewhere = app
        .add_user("ander@ggd.example", Role::Inspector, Some("GG7014"), None)
        .await;
    let (status, body) =
        problem(patch(&app, &inspector, &id, json!({"assignee_id": elsewhere})).await).await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (422, json!("assignee_id"))
    );
    assert_eq!(
        problem(patch(&app, &inspector, &id, json!({"priority": "dringend"})).await)
            .await
            .0,
        422
    );
    let entries = toezicht::audit::for_entity(&app.db, "signal", &id)
        .await
        .unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.action == "signal.updated" && e.changes.contains("\"hoog\""))
    );
}

#[tokio::test]
async fn overdue_signals_are_still_received_after_their_triage_date() {
    let app = TestApp::spawn().await;
    let inspector = app.inspector_token("GG1106").await;
    let late = file(&app, &signal_body(None)).await;
    let handled = file(&app, &signal_body(None)).await;
    let late_id = find_id(&app, &inspector, late["reference"].as_str().unwrap()).await;
    let handled_id = find_id(&app, &inspector, handled["reference"].as_str().unwrap()).await;
    let detail: Value = app
        .get(&format!("/api/v1/signals/{late_id}"), Some(&inspector))
        .await
        .json()
        .await
        .unwrap();
    let received = toezicht::domain::working_days::dutch_date(
        detail["received_at"].as_str().unwrap().parse().unwrap(),
    );
    assert_eq!(
        detail["triage_due"],
        toezicht::domain::working_days::add_working_days(received, 3)
            .format("%Y-%m-%d")
            .to_string()
    );
    patch(
        &app,
        &inspector,
        &handled_id,
        json!({"status": "in_behandeling"}),
    )
    .await;
    let week_ago = (Utc::now() - Duration::days(7)).date_naive();
    signal::Entity::update_many()
        .col_expr(signal::Column::TriageDue, Expr::value(week_ago))
        .filter(signal::Column::Id.is_in([
            late_id.parse::<Uuid>().unwrap(),
            handled_id.parse::<Uuid>().unwrap(),
        ]))
        .exec(&app.db)
        .await
        .unwrap();
    let overdue: Value = app
        .get("/api/v1/signals?overdue=true", Some(&inspector))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overdue["total"], 1);
    assert_eq!(overdue["items"][0]["id"], late_id.as_str());
    assert_eq!(overdue["items"][0]["overdue"], true);
    let handled: Value = app
        .get(&format!("/api/v1/signals/{handled_id}"), Some(&inspector))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(handled["overdue"], false, "in behandeling is not overdue");
}

#[tokio::test]
async fn the_list_puts_urgent_and_old_signals_first() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let first = file(&app, &signal_body(None)).await;
    let mut calamity = signal_body(None);
    calamity["category"] = json!("calamiteit");
    let urgent = file(&app, &calamity).await;
    let last = file(&app, &signal_body(None)).await;
    let list: Value = app
        .get("/api/v1/signals", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let order: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reference"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            urgent["reference"].as_str().unwrap(),
            first["reference"].as_str().unwrap(),
            last["reference"].as_str().unwrap()
        ]
    );
    assert_eq!(
        list["items"][0]["priority"], "spoed",
        "every calamity is urgent"
    );
}

#[tokio::test]
async fn linked_duplicates_move_together() {
    let app = TestApp::spawn().await;
    let inspector = app.inspector_token("GG1106").await;
    let a = file(&app, &signal_body(None)).await;
    let b = file(&app, &signal_body(None)).await;
    let a = find_id(&app, &inspector, a["reference"].as_str().unwrap()).await;
    let b = find_id(&app, &inspector, b["reference"].as_str().unwrap()).await;
    assert_eq!(
        patch(&app, &inspector, &a, json!({"status": "in_behandeling"}))
            .await
            .status(),
        200
    );
    let linked: Value = patch(&app, &inspector, &b, json!({"duplicate_of": a}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(linked["duplicate_of"], a.as_str());
    assert_eq!(
        linked["status"], "in_behandeling",
        "a linked signal takes over the status of its group"
    );
    assert_eq!(
        problem(patch(&app, &inspector, &b, json!({"duplicate_of": b})).await)
            .await
            .0,
        422
    );

    assert_eq!(
        patch(&app, &inspector, &a, json!({"status": "onderzoek"}))
            .await
            .status(),
        200
    );
    let b_now: Value = app
        .get(&format!("/api/v1/signals/{b}"), Some(&inspector))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b_now["status"], "onderzoek");
    // Moving the duplicate moves the primary too.
    assert_eq!(
        patch(
            &app,
            &inspector,
            &b,
            json!({"status": "afgesloten", "resolution": "Opgelost na bezoek."})
        )
        .await
        .status(),
        200
    );
    let a_now: Value = app
        .get(&format!("/api/v1/signals/{a}"), Some(&inspector))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (a_now["status"].clone(), a_now["resolution"].clone()),
        (json!("afgesloten"), json!("Opgelost na bezoek."))
    );
}

#[tokio::test]
async fn a_provider_user_files_its_own_calamity_report() {
    let app = TestApp::spawn().await;
    let own = app.insert_provider("Anker", "GM0153", "GG1106").await;
    let other = app.insert_provider("Ander", "GM0153", "GG1106").await;
    app.add_user("kwaliteit@anker.example", Role::Provider, None, Some(own))
        .await;
    let token = app.token_for("kwaliteit@anker.example").await;
    let body = json!({
        "category": "calamiteit",
        "description": "Een cliënt is gevallen bij het douchen en heeft haar heup gebroken.",
        "occurred_on": "2026-11-20",
        "reporter_role": "client",
        "anonymous": false,
        "calamity": {"client_harm": "Heupfractuur, opgenomen", "board_informed": true,
                     "measures_taken": "Antislipmatten geplaatst", "aftercare": "Familie bezocht"}
    });
    let response = app.post_json("/api/v1/signals", &body, Some(&token)).await;
    assert_eq!(response.status(), 201);
    let filed: Value = response.json().await.unwrap();
    let mut wrong = body.clone();
    wrong["provider_id"] = json!(other);
    let (status, problem_body) =
        problem(app.post_json("/api/v1/signals", &wrong, Some(&token)).await).await;
    assert_eq!(
        (status, problem_body["errors"][0]["field"].clone()),
        (422, json!("provider_id"))
    );

    let inspector = app.inspector_token("GG1106").await;
    let id = find_id(&app, &inspector, filed["reference"].as_str().unwrap()).await;
    let detail: Value = app
        .get(&format!("/api/v1/signals/{id}"), Some(&inspector))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        detail["reporter_role"], "aanbieder",
        "a provider's report is always from the provider"
    );
    assert_eq!(detail["provider_id"], own.to_string());
    assert_eq!(detail["priority"], "spoed");
    assert_eq!(detail["calamity"]["board_informed"], true);
    assert_eq!(
        detail["calamity"]["measures_taken"],
        "Antislipmatten geplaatst"
    );
}

#[tokio::test]
async fn the_openapi_document_lists_the_signal_endpoints() {
    let app = TestApp::spawn().await;
    let doc: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    for path in [
        "/api/v1/signals",
        "/api/v1/signals/status",
        "/api/v1/signals/{id}",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
}

#[tokio::test]
async fn the_reporter_gets_a_confirmation_without_the_description_over_smtp() {
    let app = TestApp::spawn().await;
    let filed = file(&app, &signal_body(None)).await;
    let reference = filed["reference"].as_str().unwrap();
    let mails = app.smtp.wait_for(1).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.rcpt_to, ["petra@voorbeeld.nl"]);
    let subject = mail.header("Subject").unwrap();
    assert!(subject.contains(reference), "{subject}");
    let text = mail.part("text/plain").unwrap();
    let html = mail.part("text/html").unwrap();
    for part in [&text, &html] {
        assert!(part.contains(reference));
        assert!(
            part.contains(&format!("{}/melding/status", app.base_url)),
            "a link to follow it"
        );
        assert!(!part.contains("afgesnauwd"), "never the description");
        assert!(
            !part.contains(filed["tracking_token"].as_str().unwrap()),
            "never the token"
        );
    }

    // Anonymous or without an address: no email at all.
    let mut anonymous = signal_body(None);
    anonymous["anonymous"] = json!(true);
    anonymous["contact_name"] = Value::Null;
    anonymous["contact_email"] = Value::Null;
    file(&app, &anonymous).await;
    let outbox: Vec<_> = {
        use sea_orm::EntityTrait;
        toezicht::db::entities::outbox_message::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(outbox.len(), 1, "only the first signal queued an email");
}

#[tokio::test]
async fn every_reporter_of_linked_signals_hears_of_each_status_move() {
    let app = TestApp::spawn().await;
    let inspector = app.inspector_token("GG1106").await;
    let a = file(&app, &signal_body(None)).await;
    let mut second = signal_body(None);
    second["contact_email"] = json!("buurman@voorbeeld.nl");
    let b = file(&app, &second).await;
    app.smtp.wait_for(2).await;
    let a_id = find_id(&app, &inspector, a["reference"].as_str().unwrap()).await;
    let b_id = find_id(&app, &inspector, b["reference"].as_str().unwrap()).await;
    assert_eq!(
        patch(&app, &inspector, &b_id, json!({"duplicate_of": a_id}))
            .await
            .status(),
        200
    );
    assert_eq!(
        patch(&app, &inspector, &a_id, json!({"status": "in_behandeling"}))
            .await
            .status(),
        200
    );
    let mails = app.smtp.wait_for(4).await;
    let status_mails: Vec<_> = mails
        .iter()
        .filter(|m| m.header("Subject").unwrap().contains("In behandeling"))
        .collect();
    let mut to: Vec<&str> = status_mails.iter().map(|m| m.rcpt_to[0].as_str()).collect();
    to.sort();
    assert_eq!(to, ["buurman@voorbeeld.nl", "petra@voorbeeld.nl"]);
    let text = status_mails[0].part("text/plain").unwrap();
    assert!(
        text.contains("In behandeling")
            && text.contains("Een toezichthouder van de GGD behandelt uw melding.")
    );
    assert!(!text.contains("afgesnauwd"));
}

#[tokio::test]
async fn contact_details_are_erased_a_retention_period_after_closing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let filed = file(&app, &signal_body(None)).await;
        ids.push(find_id(&app, &admin, filed["reference"].as_str().unwrap()).await);
    }
    for id in &ids[..2] {
        patch(&app, &admin, id, json!({"status": "in_behandeling"})).await;
        patch(
            &app,
            &admin,
            id,
            json!({"status": "afgesloten", "resolution": "Afgehandeld."}),
        )
        .await;
    }
    let set_closed = |id: &str, days_ago: i64| {
        let app = &app;
        let id: Uuid = id.parse().unwrap();
        async move {
            signal::Entity::update_many()
                .col_expr(
                    signal::Column::ClosedAt,
                    Expr::value(Utc::now() - Duration::days(days_ago)),
                )
                .filter(signal::Column::Id.eq(id))
                .exec(&app.db)
                .await
                .unwrap();
        }
    };
    set_closed(&ids[0], 400).await;
    set_closed(&ids[1], 10).await;

    let erased = toezicht::signals::retention::erase_expired_contacts(&app.db, 365, Utc::now())
        .await
        .unwrap();
    assert_eq!(erased.len(), 1);
    let gone: Value = app
        .get(&format!("/api/v1/signals/{}", ids[0]), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (gone["contact_name"].clone(), gone["contact_email"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(
        gone["description"], "Mijn moeder wordt al weken afgesnauwd door de begeleiders.",
        "the signal itself stays"
    );
    for kept in &ids[1..] {
        let kept: Value = app
            .get(&format!("/api/v1/signals/{kept}"), Some(&admin))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(kept["contact_email"], "petra@voorbeeld.nl");
    }
    let log = toezicht::audit::for_entity(&app.db, "signal", &ids[0])
        .await
        .unwrap();
    let entry = log
        .iter()
        .find(|e| e.action == "signal.contact_erased")
        .expect("logged");
    assert_eq!(entry.actor_name, "bewaartermijn");
    assert!(
        entry.changes.contains("contact_email") && !entry.changes.contains("petra@voorbeeld.nl"),
        "fields, not values"
    );
    // The emails to that reporter no longer carry the address either.
    let reference = erased[0].clone();
    let outbox = toezicht::db::entities::outbox_message::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    let about_erased: Vec<_> = outbox
        .iter()
        .filter(|m| m.subject.contains(&reference))
        .collect();
    assert!(!about_erased.is_empty());
    assert!(
        about_erased
            .iter()
            .all(|m| m.to_address == toezicht::signals::retention::ERASED_ADDRESS)
    );
    assert!(
        outbox.iter().any(|m| m.to_address == "petra@voorbeeld.nl"),
        "other signals' emails are kept"
    );
    let again = toezicht::signals::retention::erase_expired_contacts(&app.db, 365, Utc::now())
        .await
        .unwrap();
    assert!(again.is_empty(), "nothing twice");
}

#[tokio::test]
async fn simultaneous_filings_all_succeed_with_unique_references() {
    let app = TestApp::spawn().await;
    let body = signal_body(None);
    // Each filing also queues an email that the outbox worker sends meanwhile: writers collide.
    let attempts = (0..8).map(|_| app.post_json("/api/v1/signals", &body, None));
    let responses = futures_util::future::join_all(attempts).await;
    let mut references = Vec::new();
    for response in responses {
        assert_eq!(response.status(), 201);
        let filed: Value = response.json().await.unwrap();
        references.push(filed["reference"].as_str().unwrap().to_string());
    }
    references.sort();
    references.dedup();
    assert_eq!(references.len(), 8, "every reference unique");
    let numbers: Vec<u32> = references
        .iter()
        .map(|r| r.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(numbers, (1..=8).collect::<Vec<_>>(), "no gaps");
}

#[tokio::test]
async fn links_stay_within_a_region_and_follow_the_transition_table() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let twente = file(&app, &signal_body(None)).await;
    let mut haag_body = signal_body(None);
    haag_body["municipality_code"] = json!("GM0518");
    let haag = file(&app, &haag_body).await;
    let twente_id = find_id(&app, &admin, twente["reference"].as_str().unwrap()).await;
    let haag_id = find_id(&app, &admin, haag["reference"].as_str().unwrap()).await;
    let (status, body) =
        problem(patch(&app, &admin, &haag_id, json!({"duplicate_of": twente_id})).await).await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (422, json!("duplicate_of")),
        "not even an admin links across regions"
    );

    // A closed signal cannot be linked to a new one: that would reopen it.
    let closed = file(&app, &signal_body(None)).await;
    let closed_id = find_id(&app, &admin, closed["reference"].as_str().unwrap()).await;
    patch(
        &app,
        &admin,
        &closed_id,
        json!({"status": "in_behandeling"}),
    )
    .await;
    patch(
        &app,
        &admin,
        &closed_id,
        json!({"status": "afgesloten", "resolution": "Klaar."}),
    )
    .await;
    assert_eq!(
        problem(patch(&app, &admin, &closed_id, json!({"duplicate_of": twente_id})).await)
            .await
            .0,
        409
    );
    let still: Value = app
        .get(&format!("/api/v1/signals/{closed_id}"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (still["status"].clone(), still["duplicate_of"].clone()),
        (json!("afgesloten"), Value::Null)
    );
}

#[tokio::test]
async fn signals_follow_their_provider_or_municipality_to_another_region() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let provider = app
        .insert_provider("Zorg in Bleiswijk", "GM1621", "GG4607")
        .await;
    let about_provider = file(&app, &signal_body(Some(provider))).await;
    let mut unregistered = signal_body(None);
    unregistered["municipality_code"] = json!("GM1621");
    let about_name = file(&app, &unregistered).await;
    let response = app
        .client
        .put(app.url("/api/v1/municipalities/GM1621/supervising-region"))
        .bearer_auth(&admin)
        .json(&json!({"region_code": "GG7014"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let haaglanden = app.inspector_token("GG7014").await;
    let rotterdam = app.inspector_token("GG4607").await;
    for filed in [&about_provider, &about_name] {
        let reference = filed["reference"].as_str().unwrap();
        let seen: Value = app
            .get(
                &format!("/api/v1/signals?reference={reference}"),
                Some(&haaglanden),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(seen["total"], 1, "the new region sees {reference}");
        let gone: Value = app
            .get(
                &format!("/api/v1/signals?reference={reference}"),
                Some(&rotterdam),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(gone["total"], 0, "the old region no longer does");
    }
    // Moving the provider itself moves its signals too.
    let moved = app
        .client
        .patch(app.url(&format!("/api/v1/providers/{provider}")))
        .bearer_auth(&admin)
        .json(&json!({"municipality_code": "GM0153"}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let twente = app.inspector_token("GG1106").await;
    let reference = about_provider["reference"].as_str().unwrap();
    let seen: Value = app
        .get(
            &format!("/api/v1/signals?reference={reference}"),
            Some(&twente),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["total"], 1);
}

#[tokio::test]
async fn the_list_pages_with_its_total_also_past_the_end() {
    let app = TestApp::spawn().await;
    for _ in 0..3 {
        file(&app, &signal_body(None)).await;
    }
    let twente = app.inspector_token("GG1106").await;
    let page = |n: u32| {
        let (app, twente) = (&app, twente.clone());
        async move {
            app.get(
                &format!("/api/v1/signals?per_page=2&page={n}"),
                Some(&twente),
            )
            .await
            .json::<Value>()
            .await
            .unwrap()
        }
    };
    let second = page(2).await;
    assert_eq!(
        (
            second["items"].as_array().map(Vec::len),
            second["total"].clone()
        ),
        (Some(1), json!(3))
    );
    let past = page(3).await;
    assert_eq!(
        (past["items"].clone(), past["total"].clone()),
        (json!([]), json!(3)),
        "a page past the end still tells the total"
    );
}
