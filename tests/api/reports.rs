//! API.md "Reports": a completed visit's concept report taken through editing, sending (with the
//! provider's email over SMTP), the provider's response and finalising, with every refusal.
use chrono::Utc;
use serde_json::{Value, json};
use toezicht::domain::role::Role;
use toezicht::domain::text::date_nl;
use toezicht::domain::working_days::dutch_date;
use toezicht::reports::rules::response_due;

use crate::helpers::{TestApp, problem};

pub(crate) struct Case {
    pub app: TestApp,
    pub inspector: String,
    pub provider_user: String,
    pub report: String,
    pub provider: uuid::Uuid,
}

/// A provider with a user, and a visit this morning, scored and completed into a concept report
/// with one improvement point (A1).
pub(crate) async fn concept_report() -> Case {
    concept_report_on(TestApp::spawn().await).await
}

pub(crate) async fn concept_report_on(app: TestApp) -> Case {
    let provider = app
        .insert_provider("Thuiszorg Het Anker", "GM0153", "GG1106")
        .await;
    let inspector_id = app
        .add_user(
            "toezicht@ggd.example",
            Role::Inspector,
            Some("GG1106"),
            None,
        )
        .await;
    let inspector = app.token_for("toezicht@ggd.example").await;
    app.add_user(
        "kwaliteit@anker.example",
        Role::Provider,
        None,
        Some(provider),
    )
    .await;
    let provider_user = app.token_for("kwaliteit@anker.example").await;
    let now = Utc::now();
    let visit: Value = app
        .post_json(
            "/api/v1/visits",
            &json!({"provider_id": provider, "inspector_ids": [inspector_id], "announced": true, "reason": "proactief",
                    "starts_at": (now - chrono::Duration::hours(3)).to_rfc3339(),
                    "ends_at": (now - chrono::Duration::hours(1)).to_rfc3339()}),
            Some(&inspector),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = visit["id"].as_str().unwrap();
    let scored = app
        .client
        .put(app.url(&format!("/api/v1/visits/{id}/assessment")))
        .bearer_auth(&inspector)
        .json(&json!({"ratings": [
            {"criterion": "A1", "rating": "voldoet_niet", "finding": "Twee dossiers zonder VOG."},
            {"criterion": "B1", "rating": "voldoet"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(scored.status(), 200);
    let response = app
        .post_json(
            &format!("/api/v1/visits/{id}/complete"),
            &json!({}),
            Some(&inspector),
        )
        .await;
    assert_eq!(response.status(), 201);
    let report: Value = response.json().await.unwrap();
    Case {
        report: report["id"].as_str().unwrap().to_string(),
        app,
        inspector,
        provider_user,
        provider,
    }
}

pub(crate) async fn patch(
    app: &TestApp,
    path: &str,
    body: Value,
    token: &str,
) -> reqwest::Response {
    app.client
        .patch(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn get(app: &TestApp, path: &str, token: &str) -> Value {
    let response = app.get(path, Some(token)).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_concept_is_edited_then_sent_with_a_deadline_and_an_email() {
    let c = concept_report().await;
    let path = format!("/api/v1/reports/{}", c.report);
    let report = get(&c.app, &path, &c.inspector).await;
    assert_eq!(report["status"], "concept");
    assert_eq!(report["sent_at"], Value::Null);
    let point = report["improvement_points"][0].clone();
    assert_eq!(point["criterion"], "A1");

    // A concept does not exist for the provider.
    let list = get(&c.app, "/api/v1/reports", &c.provider_user).await;
    assert_eq!(list["total"], 0);
    assert_eq!(
        problem(c.app.get(&path, Some(&c.provider_user)).await)
            .await
            .0,
        404
    );

    let response = patch(
        &c.app,
        &path,
        json!({"summary": "Een zorgvuldige aanbieder met twee aandachtspunten.", "advice": "Leg VOG's vast bij indiensttreding.",
               "theme_findings": {"a": "De personeelsdossiers zijn onvolledig."},
               "improvement_points": [
                   {"id": point["id"], "criterion": "A1", "description": "Vraag van elke medewerker een VOG.", "due_date": "2027-03-01"},
                   {"criterion": "c1", "description": "Actualiseer de ondersteuningsplannen."}]}),
        &c.inspector,
    )
    .await;
    assert_eq!(response.status(), 200);
    let edited: Value = response.json().await.unwrap();
    assert_eq!(
        edited["summary"],
        "Een zorgvuldige aanbieder met twee aandachtspunten."
    );
    assert_eq!(
        edited["theme_findings"],
        json!({"A": "De personeelsdossiers zijn onvolledig."})
    );
    let points = edited["improvement_points"].as_array().unwrap();
    assert_eq!(points.len(), 2);
    assert_eq!(
        points[0]["id"], point["id"],
        "the existing point kept its id"
    );
    assert_eq!(points[0]["due_date"], "2027-03-01");
    assert_eq!(points[1]["criterion"], "C1");

    let (status, body) = problem(
        patch(
            &c.app,
            &path,
            json!({"improvement_points": [{"criterion": "A1", "description": "x"}, {"criterion": "Z9", "description": ""}]}),
            &c.inspector,
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "improvement_points[1].criterion",
            "improvement_points[1].description"
        ]
    );
    assert_eq!(
        get(&c.app, &path, &c.inspector).await["improvement_points"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "a refused edit changes nothing"
    );

    let sent = c
        .app
        .post_json(&format!("{path}/send"), &json!({}), Some(&c.inspector))
        .await;
    assert_eq!(sent.status(), 200);
    let sent: Value = sent.json().await.unwrap();
    let due = response_due(dutch_date(Utc::now()));
    assert_eq!(sent["status"], "verzonden");
    assert_eq!(sent["response_due"], due.format("%Y-%m-%d").to_string());

    let mail = c.app.smtp.wait_for(1).await.remove(0);
    assert_eq!(mail.rcpt_to, ["info@aanbieder.example"]);
    let subject = mail.header("Subject").unwrap();
    assert!(
        subject.contains("Conceptrapport") && subject.contains("Thuiszorg Het Anker"),
        "{subject}"
    );
    let link = format!("{}/portaal/rapporten/{}", c.app.url(""), c.report);
    for part in ["text/plain", "text/html"] {
        let body = mail.part(part).unwrap();
        assert!(body.contains(&date_nl(due)), "deadline in Dutch in {part}");
        assert!(body.contains(&link), "portal link in {part}");
        assert!(
            !body.contains("VOG"),
            "no findings or client matters in the email"
        );
    }

    // After sending, the concept steps are closed.
    assert_eq!(
        problem(
            c.app
                .post_json(&format!("{path}/send"), &json!({}), Some(&c.inspector))
                .await
        )
        .await
        .0,
        409
    );
    assert_eq!(
        problem(patch(&c.app, &path, json!({"summary": "later"}), &c.inspector).await)
            .await
            .0,
        409
    );
    // Now the provider sees it.
    let list = get(&c.app, "/api/v1/reports", &c.provider_user).await;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn the_provider_responds_in_time_and_the_inspector_finalises() {
    let c = concept_report().await;
    let path = format!("/api/v1/reports/{}", c.report);
    // Not before it was sent, and never by an inspector.
    assert_eq!(
        problem(
            c.app
                .post_json(
                    &format!("{path}/response"),
                    &json!({"text": "Eens."}),
                    Some(&c.provider_user)
                )
                .await
        )
        .await
        .0,
        404
    );
    assert_eq!(
        problem(
            c.app
                .post_json(&format!("{path}/finalize"), &json!({}), Some(&c.inspector))
                .await
        )
        .await
        .0,
        409
    );
    c.app
        .post_json(&format!("{path}/send"), &json!({}), Some(&c.inspector))
        .await;
    assert_eq!(
        problem(
            c.app
                .post_json(
                    &format!("{path}/response"),
                    &json!({"text": "x"}),
                    Some(&c.inspector)
                )
                .await
        )
        .await
        .0,
        403
    );
    let (status, body) = problem(
        c.app
            .post_json(
                &format!("{path}/response"),
                &json!({"text": "  "}),
                Some(&c.provider_user),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("text"))
    );

    let response = c
        .app
        .post_json(
            &format!("{path}/response"),
            &json!({"text": "Wij vragen voortaan bij elke indiensttreding een VOG."}),
            Some(&c.provider_user),
        )
        .await;
    assert_eq!(response.status(), 200);
    let answered: Value = response.json().await.unwrap();
    assert_eq!(answered["status"], "zienswijze_ontvangen");
    assert_eq!(
        answered["provider_response"]["text"],
        "Wij vragen voortaan bij elke indiensttreding een VOG."
    );
    assert_eq!(
        problem(
            c.app
                .post_json(
                    &format!("{path}/response"),
                    &json!({"text": "Nog iets."}),
                    Some(&c.provider_user)
                )
                .await
        )
        .await
        .0,
        409,
        "one response"
    );

    let final_ = c
        .app
        .post_json(
            &format!("{path}/finalize"),
            &json!({}),
            Some(&c.provider_user),
        )
        .await;
    assert_eq!(final_.status(), 403);
    let final_: Value = c
        .app
        .post_json(&format!("{path}/finalize"), &json!({}), Some(&c.inspector))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(final_["status"], "definitief");
    assert!(final_["finalized_at"].is_string());
    let mails = c.app.smtp.wait_for(2).await;
    assert!(
        mails[1]
            .header("Subject")
            .unwrap()
            .contains("Definitief rapport")
    );
    assert_eq!(
        problem(
            c.app
                .post_json(&format!("{path}/finalize"), &json!({}), Some(&c.inspector))
                .await
        )
        .await
        .0,
        409
    );

    // The provider reports the point done; the inspector sends it back, then confirms it.
    let point = final_["improvement_points"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let point_path = format!("{path}/improvement-points/{point}");
    let (status, _) = problem(
        c.app
            .post_json(
                &format!("{point_path}/done"),
                &json!({"explanation": ""}),
                Some(&c.provider_user),
            )
            .await,
    )
    .await;
    assert_eq!(status, 422);
    let done: Value = c
        .app
        .post_json(
            &format!("{point_path}/done"),
            &json!({"explanation": "Alle VOG's zijn binnen."}),
            Some(&c.provider_user),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(done["provider_note"], "Alle VOG's zijn binnen.");
    assert!(done["reported_done_at"].is_string());
    assert_eq!(done["status"], "open", "until the inspector confirms");
    let back: Value = patch(
        &c.app,
        &point_path,
        json!({"status": "open", "note": "Stuur het overzicht mee."}),
        &c.inspector,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(back["reported_done_at"], Value::Null);
    assert_eq!(back["inspector_note"], "Stuur het overzicht mee.");
    let solved: Value = patch(
        &c.app,
        &point_path,
        json!({"status": "opgelost"}),
        &c.inspector,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(solved["status"], "opgelost");
    assert_eq!(
        problem(
            c.app
                .post_json(
                    &format!("{point_path}/done"),
                    &json!({"explanation": "nog eens"}),
                    Some(&c.provider_user)
                )
                .await
        )
        .await
        .0,
        409
    );
    assert_eq!(
        problem(
            patch(
                &c.app,
                &point_path,
                json!({"status": "opgelost"}),
                &c.provider_user
            )
            .await
        )
        .await
        .0,
        403
    );
}

#[tokio::test]
async fn a_response_after_the_deadline_is_refused_but_finalising_still_works() {
    let c = concept_report().await;
    let path = format!("/api/v1/reports/{}", c.report);
    c.app
        .post_json(&format!("{path}/send"), &json!({}), Some(&c.inspector))
        .await;
    {
        use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
        let id = uuid::Uuid::parse_str(&c.report).unwrap();
        let mut row = toezicht::db::entities::report::Entity::find_by_id(id)
            .one(&c.app.db)
            .await
            .unwrap()
            .unwrap()
            .into_active_model();
        row.response_due = Set(Some(dutch_date(Utc::now()) - chrono::Duration::days(1)));
        row.update(&c.app.db).await.unwrap();
    }
    let (status, body) = problem(
        c.app
            .post_json(
                &format!("{path}/response"),
                &json!({"text": "Te laat."}),
                Some(&c.provider_user),
            )
            .await,
    )
    .await;
    assert_eq!(status, 409);
    assert!(body["detail"].as_str().unwrap().contains("termijn"));
    let done = c
        .app
        .post_json(&format!("{path}/finalize"), &json!({}), Some(&c.inspector))
        .await;
    assert_eq!(done.status(), 200);
}

#[tokio::test]
async fn reports_stay_within_the_region_and_filter_by_provider_and_status() {
    let c = concept_report().await;
    let path = format!("/api/v1/reports/{}", c.report);
    let haag = c.app.inspector_token("GG7014").await;
    assert_eq!(problem(c.app.get(&path, Some(&haag)).await).await.0, 404);
    assert_eq!(
        problem(
            c.app
                .post_json(&format!("{path}/send"), &json!({}), Some(&haag))
                .await
        )
        .await
        .0,
        404
    );
    assert_eq!(get(&c.app, "/api/v1/reports", &haag).await["total"], 0);
    let mine = get(
        &c.app,
        &format!("/api/v1/reports?provider_id={}&status=concept", c.provider),
        &c.inspector,
    )
    .await;
    assert_eq!(mine["total"], 1);
    let none = get(&c.app, "/api/v1/reports?status=definitief", &c.inspector).await;
    assert_eq!(none["total"], 0);
    assert_eq!(
        problem(
            c.app
                .get("/api/v1/reports?status=klaar", Some(&c.inspector))
                .await
        )
        .await
        .0,
        422
    );
    // Another provider's user sees nothing of it, even once sent.
    c.app
        .post_json(&format!("{path}/send"), &json!({}), Some(&c.inspector))
        .await;
    let other = c
        .app
        .insert_provider("Zorg Elders", "GM0153", "GG1106")
        .await;
    c.app
        .add_user("info@elders.example", Role::Provider, None, Some(other))
        .await;
    let stranger = c.app.token_for("info@elders.example").await;
    assert_eq!(
        problem(c.app.get(&path, Some(&stranger)).await).await.0,
        404
    );
    assert_eq!(get(&c.app, "/api/v1/reports", &stranger).await["total"], 0);
}

#[tokio::test]
async fn the_concept_email_waits_out_an_smtp_outage() {
    let port = crate::mail::free_port().await;
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let c = concept_report_on(app).await;
    let admin = c.app.admin_token().await;
    // The mail server is down: sending the report still works at once.
    let sent = c
        .app
        .post_json(
            &format!("/api/v1/reports/{}/send", c.report),
            &json!({}),
            Some(&c.inspector),
        )
        .await;
    assert_eq!(sent.status(), 200);
    let item = crate::helpers::eventually("a failed attempt", || async {
        let list: Value = c
            .app
            .get("/api/v1/admin/outbox", Some(&admin))
            .await
            .json()
            .await
            .unwrap();
        let item = list["items"][0].clone();
        (item["attempts"].as_i64().unwrap_or(0) >= 1).then_some(item)
    })
    .await;
    assert_eq!(item["status"], "queued");
    assert!(item["subject"].as_str().unwrap().contains("Conceptrapport"));
    assert!(item["last_error"].is_string(), "the admin sees why");

    let sink = crate::smtp_sink::SmtpSink::start_on(port).await;
    let mail = sink.wait_for(1).await.remove(0);
    assert!(mail.header("Subject").unwrap().contains("Conceptrapport"));
    assert!(
        mail.part("text/plain")
            .unwrap()
            .contains(&format!("/portaal/rapporten/{}", c.report))
    );
    assert_eq!(sink.received().len(), 1, "delivered once");
}
