//! Email through the outbox (API.md "Mail outbox"): written in the caller's transaction,
//! delivered over real SMTP by the worker, retried through an outage, `failed` after 10
//! attempts, `.eml` files without SMTP, and never sent twice by two app instances.
use std::collections::HashSet;

use sea_orm::{EntityTrait, TransactionTrait};
use serde_json::json;
use toezicht::db::entities::outbox_message::{self, Entity as Outbox};
use toezicht::mail;
use uuid::Uuid;

use crate::helpers::{SmtpSink, TestApp, eventually};

pub async fn message(app: &TestApp, id: Uuid) -> outbox_message::Model {
    Outbox::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("message in the outbox")
}

pub async fn wait_for_status(app: &TestApp, id: Uuid, status: &str) -> outbox_message::Model {
    eventually(&format!("message {id} {status}"), || async {
        let m = message(app, id).await;
        (m.status == status).then_some(m)
    })
    .await
}

/// A port on loopback where nothing listens (until a test starts a sink there).
pub async fn free_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn email_leaves_if_and_only_if_its_transaction_commits() {
    let app = TestApp::spawn().await;
    let context = json!({"name": "Zoë", "note": "Zorg & Welzijn <b>\n.punt aan het begin"});

    let rolled_back = app.db.begin().await.unwrap();
    mail::enqueue(
        &rolled_back,
        &app.state.templates,
        "weg@example.nl",
        "test",
        &context,
    )
    .await
    .unwrap();
    rolled_back.rollback().await.unwrap();

    let committed = app.db.begin().await.unwrap();
    let id = mail::enqueue(
        &committed,
        &app.state.templates,
        "zoe@example.nl",
        "test",
        &context,
    )
    .await
    .unwrap();
    committed.commit().await.unwrap();
    app.state.wake_mail_worker();

    let received = app.smtp.wait_for(1).await;
    let sent = wait_for_status(&app, id, "sent").await;
    assert_eq!(sent.attempts, 1);
    assert!(sent.sent_at.is_some() && sent.last_error.is_none());
    assert_eq!(Outbox::find().all(&app.db).await.unwrap().len(), 1);
    assert_eq!(
        app.smtp.received().len(),
        1,
        "the rolled-back email never left"
    );

    let mail = &received[0];
    assert_eq!(mail.rcpt_to, ["zoe@example.nl"]);
    assert_eq!(mail.mail_from, "toezicht@ggd.example");
    assert!(mail.header("To").unwrap().contains("zoe@example.nl"));
    let from = mail.header("From").unwrap();
    assert!(
        from.contains("GGD Toezicht") && from.contains("<toezicht@ggd.example>"),
        "{from}"
    );
    assert_eq!(mail.header("Subject").unwrap(), "Testbericht voor Zoë");
    assert!(
        mail.header("Content-Type")
            .unwrap()
            .starts_with("multipart/alternative")
    );
    assert!(mail.header("Message-ID").unwrap().contains(&id.to_string()));

    let text = mail.part("text/plain").expect("a text part");
    assert!(text.contains("Beste Zoë,"), "{text}");
    assert!(
        text.contains("Zorg & Welzijn <b>"),
        "not HTML-escaped: {text}"
    );
    assert!(
        text.lines().any(|l| l == ".punt aan het begin"),
        "a leading dot survives SMTP: {text}"
    );
    let html = mail.part("text/html").expect("an HTML part");
    assert!(html.contains("Zorg &amp; Welzijn &lt;b&gt;"), "{html}");
    assert!(!html.contains("<b>"));
}

#[tokio::test]
async fn an_smtp_outage_delays_email_until_the_server_is_back() {
    let port = free_port().await;
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let admin = app.admin_token().await;
    let id = app
        .enqueue_test_mail("jan@example.nl", "Jan", "Tot ziens")
        .await;

    // The worker tries and fails; meanwhile the app answers as usual and the admin sees why.
    let item = eventually("a failed attempt", || async {
        let list: serde_json::Value = app
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
    let error = item["last_error"].as_str().expect("last_error set");
    assert!(error.contains("niet bereikbaar"), "{error}");
    assert_eq!(app.get("/healthz", None).await.status(), 200);

    let sink = SmtpSink::start_on(port).await;
    let received = sink.wait_for(1).await;
    let sent = wait_for_status(&app, id, "sent").await;
    assert!(sent.attempts >= 2, "{}", sent.attempts);
    assert_eq!(received[0].rcpt_to, ["jan@example.nl"]);
    assert_eq!(sink.received().len(), 1, "delivered exactly once");
    assert!(app.smtp.received().is_empty());
}

#[tokio::test]
async fn after_ten_failed_attempts_a_message_is_failed_until_an_admin_retries() {
    let port = free_port().await;
    let app = TestApp::spawn_with(|c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail_worker = false;
        c.mail_retry_base_secs = 0;
    })
    .await;
    let admin = app.admin_token().await;
    let id = app
        .enqueue_test_mail("jan@example.nl", "Jan", "Hallo")
        .await;
    for attempt in 1..=10 {
        assert_eq!(mail::worker::run_once(&app.state).await.unwrap(), 1);
        let m = message(&app, id).await;
        assert_eq!(m.attempts, attempt);
        let expected = if attempt < 10 { "queued" } else { "failed" };
        assert_eq!(m.status, expected, "after attempt {attempt}");
    }
    assert_eq!(
        mail::worker::run_once(&app.state).await.unwrap(),
        0,
        "no 11th attempt"
    );

    let failed: serde_json::Value = app
        .get("/api/v1/admin/outbox?status=failed", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(failed["total"], 1);
    assert_eq!(failed["items"][0]["id"], id.to_string());
    assert_eq!(failed["items"][0]["attempts"], 10);

    let response = app
        .post_json(
            &format!("/api/v1/admin/outbox/{id}/retry"),
            &json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(response.status(), 200);
    let retried: serde_json::Value = response.json().await.unwrap();
    assert_eq!(retried["status"], "queued");
    assert_eq!(retried["attempts"], 0);

    // The server is back: the next round delivers it.
    let sink = SmtpSink::start_on(port).await;
    assert_eq!(mail::worker::run_once(&app.state).await.unwrap(), 1);
    assert_eq!(sink.received().len(), 1);
    assert_eq!(message(&app, id).await.status, "sent");
}

#[tokio::test]
async fn without_smtp_email_is_written_as_eml_files() {
    let app = TestApp::spawn_with(|c| c.smtp_url = None).await;
    let id = app
        .enqueue_test_mail("jan@example.nl", "Jan", "Zorg & Welzijn")
        .await;
    wait_for_status(&app, id, "sent").await;
    let files: Vec<_> = std::fs::read_dir(&app.mail_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(files.len(), 1, "one file and no temporary left: {files:?}");
    assert!(files[0].ends_with(&format!("-{id}.eml")), "{files:?}");
    let raw = std::fs::read_to_string(app.mail_dir.join(&files[0])).unwrap();
    let parsed = crate::smtp_sink::ReceivedMail {
        mail_from: String::new(),
        rcpt_to: Vec::new(),
        data: raw,
    };
    assert_eq!(parsed.header("To").unwrap(), "jan@example.nl");
    assert_eq!(parsed.header("Subject").unwrap(), "Testbericht voor Jan");
    assert!(
        parsed
            .part("text/plain")
            .unwrap()
            .contains("Zorg & Welzijn")
    );
    assert!(
        parsed
            .part("text/html")
            .unwrap()
            .contains("Zorg &amp; Welzijn")
    );
    assert!(app.smtp.received().is_empty());
}

#[tokio::test]
async fn two_app_instances_never_send_one_message_twice() {
    let first = TestApp::spawn().await;
    let sink_url = first.smtp.url();
    let second = TestApp::spawn_on(&first.test_db.url, |c| c.smtp_url = Some(sink_url)).await;
    let txn = first.db.begin().await.unwrap();
    let mut ids = HashSet::new();
    for n in 0..20 {
        let to = format!("ontvanger{n}@example.nl");
        let context = json!({"name": format!("nummer {n}"), "note": "-"});
        ids.insert(
            mail::enqueue(&txn, &first.state.templates, &to, "test", &context)
                .await
                .unwrap(),
        );
    }
    txn.commit().await.unwrap();
    first.state.wake_mail_worker();
    second.state.wake_mail_worker();

    first.smtp.wait_for(20).await;
    for id in &ids {
        wait_for_status(&first, *id, "sent").await;
    }
    let received = first.smtp.received();
    let message_ids: HashSet<_> = received
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    assert_eq!(received.len(), 20, "each message delivered once");
    assert_eq!(message_ids.len(), 20);
    assert!(second.smtp.received().is_empty());
}

#[tokio::test]
async fn concurrent_claims_never_share_a_message() {
    let app = TestApp::spawn_with(|c| c.mail_worker = false).await;
    for n in 0..40 {
        app.enqueue_test_mail(&format!("r{n}@example.nl"), "R", "-")
            .await;
    }
    let mut claimers = Vec::new();
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(6));
    for _ in 0..6 {
        // A connection pool of its own, like another app instance.
        let db = toezicht::db::connect(&app.test_db.url).await.unwrap();
        let start = start.clone();
        claimers.push(tokio::spawn(async move {
            start.wait().await;
            let mut mine = Vec::new();
            loop {
                let now = chrono::Utc::now();
                let lease = now + chrono::Duration::seconds(60);
                let claimed = mail::worker::claim(&db, now, lease, 2).await.unwrap();
                if claimed.is_empty() {
                    return mine;
                }
                mine.extend(claimed.into_iter().map(|m| m.id));
            }
        }));
    }
    let mut all = Vec::new();
    for claimer in claimers {
        all.extend(claimer.await.unwrap());
    }
    let unique: HashSet<_> = all.iter().collect();
    assert_eq!(unique.len(), 40, "every message claimed");
    assert_eq!(all.len(), 40, "and none twice");
}
