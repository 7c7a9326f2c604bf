//! The report pages: the inspector edits, sends and finalises `/rapporten/{id}`; the provider
//! reads it in `/portaal/rapporten/{id}`, responds before the deadline and reports a point done.
use reqwest::header::LOCATION;
use serde_json::Value;

use crate::helpers::{TestApp, csrf_of, sign_in_on_page};
use crate::reports::concept_report;

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path, None).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = csrf_of(&page(app, "/account").await);
    let mut form = vec![("csrf_token", csrf.as_str())];
    form.extend_from_slice(fields);
    app.client
        .post(app.url(path))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn sign_out(app: &TestApp) {
    assert_eq!(post(app, "/logout", &[]).await.status(), 303);
}

#[tokio::test]
async fn the_inspector_edits_sends_and_finalises_on_the_report_page() {
    let c = concept_report().await;
    let app = &c.app;
    sign_in_on_page(app, "toezicht@ggd.example").await;
    let path = format!("/rapporten/{}", c.report);
    let html = page(app, &path).await;
    assert!(html.contains("Rapport toezichtbezoek Thuiszorg Het Anker"));
    assert!(html.contains("Enschede"), "the municipality on the cover");
    assert!(
        html.contains("Twee dossiers zonder VOG."),
        "findings per theme"
    );
    assert!(html.contains("Concept bewerken"));

    // A bad new point: the message beside it, the typed summary kept, nothing stored.
    let response = post(
        app,
        &path,
        &[
            ("summary", "Goed verlopen bezoek."),
            ("new_criterion", "Z9"),
            ("new_description", "Iets"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Criterium &#x27;Z9&#x27; bestaat niet"),
        "beside the new point"
    );
    assert!(html.contains("Goed verlopen bezoek."));
    let api: Value = app
        .get(&format!("/api/v1/reports/{}", c.report), Some(&c.inspector))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["summary"], "");

    let existing = api["improvement_points"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let response = post(
        app,
        &path,
        &[
            ("summary", "Goed verlopen bezoek."),
            ("advice", "Leg VOG's vast."),
            ("theme_A", "Twee van de tien dossiers zonder VOG."),
            ("point_id", &existing),
            ("point_criterion", "A1"),
            ("point_description", "Vraag van iedereen een VOG."),
            ("point_due", "01-03-2027"),
            ("new_criterion", "c1"),
            ("new_description", "Actualiseer de plannen."),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let html = page(app, &format!("{path}?melding=opgeslagen")).await;
    assert!(html.contains("Het concept is opgeslagen."));
    assert!(html.contains("Vraag van iedereen een VOG.") && html.contains("1 maart 2027"));
    assert!(html.contains("Actualiseer de plannen."));
    assert!(
        html.contains("Twee van de tien dossiers zonder VOG."),
        "findings per theme"
    );

    let response = post(app, &format!("{path}/versturen"), &[]).await;
    assert_eq!(response.status(), 303);
    let mail = app.smtp.wait_for(1).await.remove(0);
    assert!(mail.header("Subject").unwrap().contains("Conceptrapport"));
    let html = page(app, &path).await;
    assert!(
        !html.contains("Concept bewerken"),
        "a sent report is not edited"
    );
    assert!(
        html.contains("Toch nu definitief maken"),
        "the deadline still runs"
    );

    // Finalising early needs the tick.
    let response = post(app, &format!("{path}/definitief"), &[]).await;
    assert_eq!(response.headers()[LOCATION], format!("{path}#definitief"));
    let response = post(app, &format!("{path}/definitief"), &[("confirm", "ja")]).await;
    assert_eq!(response.status(), 303);
    let html = page(app, &format!("{path}?melding=definitief")).await;
    assert!(html.contains("<strong>Definitief</strong>"));
    assert!(html.contains("Heronderzoek plannen voor de open verbeterpunten"));
}

#[tokio::test]
async fn the_provider_reads_responds_and_reports_a_point_done_in_the_portal() {
    let c = concept_report().await;
    let app = &c.app;
    let portal_path = format!("/portaal/rapporten/{}", c.report);
    sign_in_on_page(app, "kwaliteit@anker.example").await;
    assert_eq!(
        app.get(&portal_path, None).await.status(),
        404,
        "no concept for the provider"
    );
    assert!(
        page(app, "/portaal")
            .await
            .contains("Er zijn nog geen rapporten aan u verzonden.")
    );
    let sent = app
        .post_json(
            &format!("/api/v1/reports/{}/send", c.report),
            &serde_json::json!({}),
            Some(&c.inspector),
        )
        .await;
    assert_eq!(sent.status(), 200);

    let portal = page(app, "/portaal").await;
    assert!(portal.contains(&portal_path));
    assert!(portal.contains("uw reactie gevraagd"));
    let html = page(app, &portal_path).await;
    assert!(html.contains("Rapport toezichtbezoek Thuiszorg Het Anker"));
    assert!(html.contains("Reageren op het rapport"));
    assert!(!html.contains("Concept bewerken"), "no inspector forms");

    let response = post(app, &format!("{portal_path}/reactie"), &[("text", "  ")]).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Schrijf uw reactie op het rapport.")
    );
    let response = post(
        app,
        &format!("{portal_path}/reactie"),
        &[("text", "Wij hebben de VOG's opgevraagd.")],
    )
    .await;
    assert_eq!(response.status(), 303);
    let html = page(app, &format!("{portal_path}?melding=reactie")).await;
    assert!(html.contains("Uw reactie is ontvangen."));
    assert!(html.contains("Bijlage: reactie van de aanbieder"));
    assert!(!html.contains("Reactie versturen"), "one response");

    let report: Value = app
        .get(&format!("/api/v1/reports/{}", c.report), Some(&c.inspector))
        .await
        .json()
        .await
        .unwrap();
    let point = report["improvement_points"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let response = post(
        app,
        &format!("{portal_path}/verbeterpunten/{point}"),
        &[("explanation", "")],
    )
    .await;
    assert_eq!(response.status(), 422);
    let response = post(
        app,
        &format!("{portal_path}/verbeterpunten/{point}"),
        &[("explanation", "Alle VOG's zijn binnen.")],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert!(
        page(app, &portal_path)
            .await
            .contains("Door de aanbieder gereed gemeld")
    );

    // The inspector confirms it on the report page.
    sign_out(app).await;
    sign_in_on_page(app, "toezicht@ggd.example").await;
    let html = page(app, &format!("/rapporten/{}", c.report)).await;
    assert!(html.contains("Alle VOG&#x27;s zijn binnen."));
    assert!(html.contains("Terugsturen"));
    let response = post(
        app,
        &format!("/rapporten/{}/verbeterpunten/{point}", c.report),
        &[("status", "opgelost"), ("note", "")],
    )
    .await;
    assert_eq!(response.status(), 303);
    let report: Value = app
        .get(&format!("/api/v1/reports/{}", c.report), Some(&c.inspector))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["improvement_points"][0]["status"], "opgelost");
}

#[tokio::test]
async fn the_reports_list_filters_by_status_and_overdue_response() {
    let c = concept_report().await;
    let app = &c.app;
    sign_in_on_page(app, "toezicht@ggd.example").await;
    let link = format!("/rapporten/{}", c.report);
    assert!(page(app, "/rapporten").await.contains(&link));
    assert!(
        !page(app, "/rapporten?status=verzonden")
            .await
            .contains(&link)
    );
    app.post_json(
        &format!("/api/v1/reports/{}/send", c.report),
        &serde_json::json!({}),
        Some(&c.inspector),
    )
    .await;
    assert!(
        page(app, "/rapporten?status=verzonden")
            .await
            .contains(&link)
    );
    assert!(
        !page(app, "/rapporten?late=reactie").await.contains(&link),
        "still in time"
    );
    {
        use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
        let id = uuid::Uuid::parse_str(&c.report).unwrap();
        let mut row = toezicht::db::entities::report::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .into_active_model();
        row.response_due = Set(Some(chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()));
        row.update(&app.db).await.unwrap();
    }
    let late = page(app, "/rapporten?late=reactie").await;
    assert!(late.contains(&link) && late.contains("verstreken"));
    assert!(
        late.contains("/rapporten/export.csv?late&#x3D;reactie"),
        "the export keeps the filter"
    );
    let csv = app.get("/rapporten/export.csv?late=reactie", None).await;
    assert_eq!(csv.status(), 200);
    assert!(csv.text().await.unwrap().contains("Thuiszorg Het Anker"));
    let csv = app.get("/rapporten/export.csv?late=punten", None).await;
    assert!(
        !csv.text().await.unwrap().contains("Thuiszorg Het Anker"),
        "no point is late"
    );
    assert_eq!(
        app.get("/rapporten/export.csv?late=ooit", None)
            .await
            .status(),
        422
    );
    assert_eq!(
        app.get("/meldingen/export.csv?overdue=ja", None)
            .await
            .status(),
        422,
        "a bad filter is refused, not ignored"
    );
    assert!(
        page(app, "/rapporten?status=klaar").await.contains(&link),
        "a bad filter shows all"
    );

    sign_out(app).await;
    app.add_user(
        "toezicht.haaglanden@ggd.example",
        toezicht::domain::role::Role::Inspector,
        Some("GG7014"),
        None,
    )
    .await;
    sign_in_on_page(app, "toezicht.haaglanden@ggd.example").await;
    let other = page(app, "/rapporten").await;
    assert!(!other.contains(&link), "another region sees none of it");
    assert!(other.contains("Er zijn nog geen rapporten in uw regio."));
    sign_out(app).await;
    sign_in_on_page(app, "kwaliteit@anker.example").await;
    assert_eq!(app.get("/rapporten", None).await.status(), 403);
}
