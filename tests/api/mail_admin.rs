//! The outbox for admins: `GET /api/v1/admin/outbox`, `POST …/{id}/retry` and `/beheer/outbox`.
use reqwest::header::LOCATION;
use serde_json::{Value, json};
use toezicht::domain::role::Role;
use toezicht::mail;

use crate::helpers::{TestApp, csrf_of, problem, sign_in_on_page};
use crate::mail::{free_port, message};

#[tokio::test]
async fn the_outbox_api_is_for_admins_and_lists_newest_first() {
    let app = TestApp::spawn_with(|c| c.mail_worker = false).await;
    let admin = app.admin_token().await;
    let inspector = app.inspector_token("GG1106").await;

    let (status, _) = problem(app.get("/api/v1/admin/outbox", None).await).await;
    assert_eq!(status, 401);
    let (status, _) = problem(app.get("/api/v1/admin/outbox", Some(&inspector)).await).await;
    assert_eq!(status, 403);
    let (status, body) = problem(
        app.get("/api/v1/admin/outbox?status=verzonden", Some(&admin))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["field"], "status");

    let mut ids = Vec::new();
    for name in ["Anna", "Bram", "Cor"] {
        let to = format!("{}@example.nl", name.to_lowercase());
        ids.push(app.enqueue_test_mail(&to, name, "-").await);
    }
    let list: Value = app
        .get("/api/v1/admin/outbox", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 3);
    assert_eq!(list["page"], 1);
    assert_eq!(list["per_page"], 50);
    let order: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["to"].clone())
        .collect();
    assert_eq!(
        order,
        [
            json!("cor@example.nl"),
            json!("bram@example.nl"),
            json!("anna@example.nl")
        ]
    );
    let item = &list["items"][0];
    let mut keys: Vec<_> = item.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "attempts",
            "created_at",
            "id",
            "last_error",
            "sent_at",
            "status",
            "subject",
            "to"
        ]
    );
    assert_eq!(item["id"], ids[2].to_string());
    assert_eq!(item["subject"], "Testbericht voor Cor");
    assert_eq!(item["status"], "queued");
    assert_eq!(item["attempts"], 0);
    assert_eq!(item["last_error"], Value::Null);
    assert_eq!(item["sent_at"], Value::Null);
    assert!(item["created_at"].as_str().unwrap().ends_with('Z'));

    let page: Value = app
        .get("/api/v1/admin/outbox?per_page=2&page=2", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 3);
    assert_eq!(page["items"][0]["to"], "anna@example.nl");

    assert_eq!(mail::worker::run_once(&app.state).await.unwrap(), 3);
    assert_eq!(app.smtp.received().len(), 3);
    let sent: Value = app
        .get("/api/v1/admin/outbox?status=sent", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sent["total"], 3);
    assert!(sent["items"][0]["sent_at"].as_str().unwrap().ends_with('Z'));
    let queued: Value = app
        .get("/api/v1/admin/outbox?status=queued", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queued["total"], 0);

    let retry = |id: String, token: String| {
        let app = &app;
        async move {
            app.post_json(
                &format!("/api/v1/admin/outbox/{id}/retry"),
                &json!({}),
                Some(&token),
            )
            .await
        }
    };
    let (status, body) = problem(retry(ids[0].to_string(), admin.clone()).await).await;
    assert_eq!(status, 409, "a sent message is not sent again: {body}");
    let (status, _) = problem(retry(uuid::Uuid::new_v4().to_string(), admin.clone()).await).await;
    assert_eq!(status, 404);
    let (status, _) = problem(retry("geen-id".into(), admin.clone()).await).await;
    assert_eq!(status, 404);
    let (status, _) = problem(retry(ids[0].to_string(), inspector.clone()).await).await;
    assert_eq!(status, 403);

    let openapi: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(openapi["paths"]["/api/v1/admin/outbox"]["get"].is_object());
    assert!(openapi["paths"]["/api/v1/admin/outbox/{id}/retry"]["post"].is_object());
}

#[tokio::test]
async fn an_admin_sees_failed_email_on_the_page_and_queues_it_again() {
    let port = free_port().await;
    let app = TestApp::spawn_with(|c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail_worker = false;
        c.mail_retry_base_secs = 0;
    })
    .await;
    let failed = app
        .enqueue_test_mail("mislukt@example.nl", "Mies", "-")
        .await;
    for _ in 0..10 {
        mail::worker::run_once(&app.state).await.unwrap();
    }
    assert_eq!(message(&app, failed).await.status, "failed");
    let queued = app.enqueue_test_mail("wacht@example.nl", "Wim", "-").await;

    app.add_user("beheer@ggd.example", Role::Admin, None, None)
        .await;
    sign_in_on_page(&app, "beheer@ggd.example").await;
    let page = app.get("/beheer/outbox", None).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Uitgaande e-mail"));
    assert!(
        html.contains(r#"href="/beheer/outbox""#),
        "in the navigation"
    );
    assert!(html.contains("Testbericht voor Mies") && html.contains("Testbericht voor Wim"));
    assert!(html.contains("Mislukt") && html.contains("In de wachtrij"));
    assert!(html.contains("niet bereikbaar"), "the last error is shown");
    let retry_action = format!(r#"action="/beheer/outbox/{failed}/opnieuw""#);
    assert!(html.contains(&retry_action));
    assert!(
        !html.contains(&format!("/beheer/outbox/{queued}/opnieuw")),
        "only failed messages get a button"
    );

    let only_failed = app
        .get("/beheer/outbox?status=failed", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(only_failed.contains("Testbericht voor Mies"));
    assert!(!only_failed.contains("Testbericht voor Wim"));
    let none_sent = app
        .get("/beheer/outbox?status=sent", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(none_sent.contains("Er zijn geen berichten met deze status."));

    let csrf = csrf_of(&only_failed);
    let without_token = app
        .client
        .post(app.url(&format!("/beheer/outbox/{failed}/opnieuw")))
        .form(&[("status", "failed")])
        .send()
        .await
        .unwrap();
    assert_eq!(without_token.status(), 403);
    assert_eq!(message(&app, failed).await.status, "failed");

    let response = app
        .client
        .post(app.url(&format!("/beheer/outbox/{failed}/opnieuw")))
        .form(&[("csrf_token", csrf.as_str()), ("status", "failed")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()[LOCATION].to_str().unwrap().to_string();
    assert_eq!(location, "/beheer/outbox?status=failed&opnieuw=1");
    let after = app.get(&location, None).await.text().await.unwrap();
    assert!(after.contains("Het bericht staat weer in de wachtrij"));
    let m = message(&app, failed).await;
    assert_eq!((m.status.as_str(), m.attempts), ("queued", 0));
}

#[tokio::test]
async fn the_outbox_page_is_for_admins_only() {
    let app = TestApp::spawn().await;
    app.add_user(
        "toezicht@ggd.example",
        Role::Inspector,
        Some("GG1106"),
        None,
    )
    .await;
    sign_in_on_page(&app, "toezicht@ggd.example").await;
    assert_eq!(app.get("/beheer/outbox", None).await.status(), 403);
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = anonymous
        .get(app.url("/beheer/outbox"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
}
