//! API.md "Conventions": body rules, problem details, health, OpenAPI, security headers.
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

use crate::helpers::{TestApp, problem};

#[tokio::test]
async fn healthz_answers_while_the_process_runs() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz", None).await.status(), 200);
}

#[tokio::test]
async fn readyz_follows_the_database() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/readyz", None).await.status(), 200);
    // Closing the shared pool is what an unreachable database looks like to the app.
    app.db.clone().close().await.unwrap();
    assert_eq!(app.get("/readyz", None).await.status(), 503);
    assert_eq!(app.get("/healthz", None).await.status(), 200);
}

#[tokio::test]
async fn a_body_of_another_type_is_415() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/api/v1/session"))
        .header(CONTENT_TYPE, "text/plain")
        .body(r#"{"email":"a@b.nl","password":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(response).await.0, 415);
    let no_type = app
        .client
        .post(app.url("/api/v1/session"))
        .body(r#"{"email":"a@b.nl","password":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(no_type).await.0, 415);
}

#[tokio::test]
async fn malformed_json_is_400() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/api/v1/session"))
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"email": "a@b.nl", "password": "#)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(response).await.0, 400);
}

#[tokio::test]
async fn a_body_over_64_kib_is_413() {
    let app = TestApp::spawn().await;
    let big = json!({"email": "a@b.nl", "password": "x".repeat(70 * 1024)});
    let response = app.post_json("/api/v1/session", &big, None).await;
    assert_eq!(problem(response).await.0, 413);
    // Just under the limit is read (and then judged on its content).
    let fits = json!({"email": "a@b.nl", "password": "x".repeat(60 * 1024)});
    assert_eq!(
        app.post_json("/api/v1/session", &fits, None).await.status(),
        401
    );
}

#[tokio::test]
async fn a_missing_or_mistyped_field_is_422_naming_it() {
    let app = TestApp::spawn().await;
    let (status, body) = problem(
        app.post_json("/api/v1/session", &json!({"email": "a@b.nl"}), None)
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["errors"],
        json!([{"field": "password", "message": "Dit veld is verplicht."}])
    );

    let (status, body) = problem(
        app.post_json(
            "/api/v1/session",
            &json!({"email": 5, "password": "x"}),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["field"], "email");
}

#[tokio::test]
async fn unknown_api_paths_are_problem_404_and_wrong_methods_405() {
    let app = TestApp::spawn().await;
    let (status, body) = problem(app.get("/api/v1/bestaat-niet", None).await).await;
    assert_eq!(status, 404);
    assert!(body.get("errors").is_none());
    let response = app
        .client
        .delete(app.url("/api/v1/regions"))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(response).await.0, 405);
}

#[tokio::test]
async fn unknown_pages_get_a_dutch_html_404_with_a_way_back() {
    let app = TestApp::spawn().await;
    let response = app.get("/bestaat-niet", None).await;
    assert_eq!(response.status(), 404);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("Niet gevonden"));
    assert!(html.contains(r#"href="/""#));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/", "/api/v1/regions", "/bestaat-niet"] {
        let response = app.get(path, None).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
    }
}

#[tokio::test]
async fn openapi_document_describes_the_endpoints() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/session",
        "/api/v1/me",
        "/api/v1/regions",
        "/api/v1/municipalities/{code}/supervising-region",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from {:?}",
            paths.keys()
        );
    }
    assert!(paths["/api/v1/session"]["post"].is_object());
    assert!(paths["/api/v1/session"]["delete"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn absurd_page_numbers_and_odd_characters_are_refused_not_crashed_on() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    for path in [
        "/api/v1/providers?page=18446744073709551615",
        "/api/v1/signals?page=200000000000000000",
    ] {
        let (status, body) = problem(app.get(path, Some(&admin)).await).await;
        assert_eq!(
            (status, body["errors"][0]["field"].clone()),
            (422, json!("page")),
            "{path}"
        );
    }
    let mut provider = json!({"name": "X", "kvk_number": "12345678", "email": "a@b.nl", "municipality_code": "GM0153",
        "address": {"street": "Markt", "house_number": "1", "postcode": "123€", "city": "Enschede"}, "services": ["vervoer"]});
    let (status, body) = problem(
        app.post_json("/api/v1/providers", &provider, Some(&admin))
            .await,
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (422, json!("address.postcode"))
    );
    provider["address"]["house_number"] = json!("1€");
    provider["address"]["postcode"] = json!("7511 AA");
    assert_eq!(
        problem(
            app.post_json("/api/v1/providers", &provider, Some(&admin))
                .await
        )
        .await
        .0,
        422
    );
}
