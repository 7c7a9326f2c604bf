//! API.md "Authentication": sessions, bearer tokens, throttling, and the 401/403 rules.
use chrono::{DateTime, Duration, Utc};
use sea_orm::EntityTrait;
use sea_orm::sea_query::Expr;
use serde_json::{Value, json};
use toezicht::db::entities::session;
use toezicht::domain::role::Role;

use crate::helpers::{PASSWORD, TestApp, problem};

#[tokio::test]
async fn signing_in_returns_a_token_that_expires_within_12_hours() {
    let app = TestApp::spawn().await;
    let id = app
        .add_user(
            "Toezicht@GGD.example",
            Role::Inspector,
            Some("GG1106"),
            None,
        )
        .await;
    // The email is matched case-insensitively and with surrounding spaces ignored.
    let response = app
        .post_json(
            "/api/v1/session",
            &json!({"email": " toezicht@ggd.EXAMPLE", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    let token = body["token"].as_str().unwrap();
    assert!(token.len() >= 32);
    let expires_at: DateTime<Utc> = body["expires_at"].as_str().unwrap().parse().unwrap();
    assert!(expires_at > Utc::now() + Duration::hours(11));
    assert!(expires_at <= Utc::now() + Duration::hours(12));
    assert_eq!(
        body["user"],
        json!({"id": id.to_string(), "email": "toezicht@ggd.example", "name": "Test inspector",
               "role": "inspector", "region_code": "GG1106", "provider_id": null})
    );
}

#[tokio::test]
async fn me_returns_the_user_and_an_inspectors_calendar_url() {
    let app = TestApp::spawn().await;
    let inspector = app.inspector_token("GG1106").await;
    let me: Value = app
        .get("/api/v1/me", Some(&inspector))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "inspector");
    assert_eq!(me["region_code"], "GG1106");
    let calendar_url = me["calendar_url"].as_str().unwrap();
    assert!(
        calendar_url.starts_with(&format!("{}/calendar/", app.base_url)),
        "{calendar_url}"
    );
    assert!(calendar_url.ends_with(".ics"));

    let admin = app.admin_token().await;
    let me: Value = app
        .get("/api/v1/me", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin");
    assert!(me.get("calendar_url").is_none());
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_401() {
    let app = TestApp::spawn().await;
    app.add_user("bestaat@ggd.example", Role::Admin, None, None)
        .await;
    let wrong_password = app
        .post_json(
            "/api/v1/session",
            &json!({"email": "bestaat@ggd.example", "password": "fout-wachtwoord"}),
            None,
        )
        .await;
    let unknown_email = app
        .post_json(
            "/api/v1/session",
            &json!({"email": "onbekend@ggd.example", "password": "fout-wachtwoord"}),
            None,
        )
        .await;
    let (status_a, body_a) = problem(wrong_password).await;
    let (status_b, body_b) = problem(unknown_email).await;
    assert_eq!((status_a, status_b), (401, 401));
    assert_eq!(body_a, body_b);
}

#[tokio::test]
async fn empty_credentials_are_422_per_field() {
    let app = TestApp::spawn().await;
    let (status, body) = problem(
        app.post_json(
            "/api/v1/session",
            &json!({"email": " ", "password": ""}),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<_> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert_eq!(fields, [json!("email"), json!("password")]);
}

#[tokio::test]
async fn endpoints_need_a_valid_bearer_token() {
    let app = TestApp::spawn().await;
    assert_eq!(problem(app.get("/api/v1/me", None).await).await.0, 401);
    assert_eq!(
        problem(app.get("/api/v1/me", Some("niet-een-token")).await)
            .await
            .0,
        401
    );
    let forged = "A".repeat(43);
    assert_eq!(
        problem(app.get("/api/v1/me", Some(&forged)).await).await.0,
        401
    );
    let basic = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .send()
        .await
        .unwrap();
    assert_eq!(basic.headers()["www-authenticate"], "Bearer");
    assert_eq!(problem(basic).await.0, 401);
}

#[tokio::test]
async fn signing_out_ends_the_token() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status(), 200);
    let response = app
        .client
        .delete(app.url("/api/v1/session"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(
        problem(app.get("/api/v1/me", Some(&token)).await).await.0,
        401
    );
    // Without a token there is no session to end.
    let response = app
        .client
        .delete(app.url("/api/v1/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(response).await.0, 401);
}

#[tokio::test]
async fn an_expired_session_no_longer_works() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    session::Entity::update_many()
        .col_expr(
            session::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(
        problem(app.get("/api/v1/me", Some(&token)).await).await.0,
        401
    );
}

#[tokio::test]
async fn five_failures_lock_the_email_even_for_the_right_password() {
    let app = TestApp::spawn().await;
    app.add_user("doelwit@ggd.example", Role::Admin, None, None)
        .await;
    app.add_user("ander@ggd.example", Role::Admin, None, None)
        .await;
    let attempt = |password: &'static str, email: &'static str| {
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/session",
                &json!({"email": email, "password": password}),
                None,
            )
            .await
        }
    };
    for _ in 0..5 {
        assert_eq!(
            attempt("fout-wachtwoord", "doelwit@ggd.example")
                .await
                .status(),
            401
        );
    }
    let locked = attempt(PASSWORD, "doelwit@ggd.example").await;
    let retry_after: u64 = locked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (14 * 60..=15 * 60).contains(&retry_after),
        "Retry-After {retry_after}"
    );
    assert_eq!(problem(locked).await.0, 429);
    // Another email is not affected, and the lock is per email, not per spelling.
    assert_eq!(attempt(PASSWORD, "ander@ggd.example").await.status(), 201);
    assert_eq!(attempt(PASSWORD, "DOELWIT@ggd.example").await.status(), 429);
}

#[tokio::test]
async fn a_successful_sign_in_clears_earlier_failures() {
    let app = TestApp::spawn().await;
    app.add_user("vergeetachtig@ggd.example", Role::Admin, None, None)
        .await;
    let attempt = |password: &'static str| {
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/session",
                &json!({"email": "vergeetachtig@ggd.example", "password": password}),
                None,
            )
            .await
            .status()
        }
    };
    for _ in 0..4 {
        assert_eq!(attempt("fout-wachtwoord").await, 401);
    }
    assert_eq!(attempt(PASSWORD).await, 201);
    for _ in 0..4 {
        assert_eq!(attempt("fout-wachtwoord").await, 401);
    }
    assert_eq!(
        attempt(PASSWORD).await,
        201,
        "4 new failures after a success do not lock"
    );
}

#[tokio::test]
async fn an_inactive_user_cannot_sign_in() {
    let app = TestApp::spawn().await;
    let id = app
        .add_user("vertrokken@ggd.example", Role::Admin, None, None)
        .await;
    let token = app.token_for("vertrokken@ggd.example").await;
    toezicht::db::entities::user::Entity::update_many()
        .col_expr(
            toezicht::db::entities::user::Column::Active,
            Expr::value(false),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let _ = id;
    assert_eq!(
        problem(app.get("/api/v1/me", Some(&token)).await).await.0,
        401
    );
    let response = app
        .post_json(
            "/api/v1/session",
            &json!({"email": "vertrokken@ggd.example", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(problem(response).await.0, 401);
}
