//! The HTML frame: start page, sign-in with a cookie session and CSRF, sign-out.
use reqwest::header::{CONTENT_TYPE, LOCATION, SET_COOKIE};
use toezicht::domain::role::Role;

use crate::helpers::{PASSWORD, TestApp, csrf_of, sign_in_on_page};

async fn login_page(app: &TestApp) -> String {
    let response = app.get("/login", None).await;
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

async fn post_login(
    app: &TestApp,
    csrf: &str,
    email: &str,
    password: &str,
    next: &str,
) -> reqwest::Response {
    app.client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf),
            ("email", email),
            ("password", password),
            ("next", next),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn start_page_links_to_the_signal_form_and_sign_in() {
    let app = TestApp::spawn().await;
    let response = app.get("/", None).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"<html lang="nl">"#));
    assert!(html.contains(r#"href="/melding""#));
    assert!(html.contains(r#"href="/login""#));
    assert!(html.contains(r##"href="#inhoud""##), "skip link");
    assert!(html.contains("<main") && html.contains("<nav") && html.contains("<header"));
    assert!(html.contains(r#"href="/static/app.css""#));

    let css = app.get("/static/app.css", None).await;
    assert_eq!(css.status(), 200);
    assert!(
        css.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(css.text().await.unwrap().contains(":focus-visible"));
}

#[tokio::test]
async fn signing_in_on_the_page_sets_a_cookie_session_and_returns_to_the_page_asked_for() {
    let app = TestApp::spawn().await;
    app.add_user("sanne@ggd.example", Role::Inspector, Some("GG7014"), None)
        .await;

    // A protected page sends a visitor to sign in, remembering where they wanted to go.
    let response = app.get("/account", None).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()[LOCATION], "/login?next=%2Faccount");

    let csrf = csrf_of(&login_page(&app).await);
    let response = post_login(&app, &csrf, "sanne@ggd.example", PASSWORD, "/account").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()[LOCATION], "/account");
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_string();
    assert!(cookie.starts_with("toezicht_sessie="));
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let account = app.get("/account", None).await;
    assert_eq!(account.status(), 200);
    let html = account.text().await.unwrap();
    assert!(html.contains("sanne@ggd.example"));
    assert!(html.contains("GGD Haaglanden"));
    assert!(html.contains("toezichthouder"));
    assert!(
        !html.contains(r#"href="/login""#),
        "no sign-in link once signed in"
    );

    // The cookie is for the pages only; the API wants a bearer token.
    assert_eq!(app.get("/api/v1/me", None).await.status(), 401);
}

#[tokio::test]
async fn a_next_pointing_elsewhere_is_ignored() {
    let app = TestApp::spawn().await;
    app.add_user("beheer@ggd.example", Role::Admin, None, None)
        .await;
    let csrf = csrf_of(&login_page(&app).await);
    let response = post_login(
        &app,
        &csrf,
        "beheer@ggd.example",
        PASSWORD,
        "//evil.example/x",
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()[LOCATION],
        "/regio",
        "the role's home instead"
    );
}

#[tokio::test]
async fn a_form_without_the_right_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    app.add_user("beheer@ggd.example", Role::Admin, None, None)
        .await;
    let _ = login_page(&app).await; // sets the CSRF cookie
    let response = post_login(&app, "verzonnen-token", "beheer@ggd.example", PASSWORD, "").await;
    assert_eq!(response.status(), 403);
    assert!(
        !response.headers().contains_key(SET_COOKIE)
            || !response.headers()[SET_COOKIE]
                .to_str()
                .unwrap()
                .contains("toezicht_sessie")
    );
    let html = response.text().await.unwrap();
    assert!(
        html.contains("formulier is verlopen"),
        "a Dutch explanation"
    );

    // A fresh client without the cookie cannot post either, even copying a token.
    let fresh = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = fresh
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", "A".repeat(43).as_str()),
            ("email", "beheer@ggd.example"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn mistakes_are_shown_beside_the_fields_and_the_email_is_kept() {
    let app = TestApp::spawn().await;
    app.add_user("beheer@ggd.example", Role::Admin, None, None)
        .await;
    let csrf = csrf_of(&login_page(&app).await);

    let response = post_login(&app, &csrf, "", "", "").await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Vul uw e-mailadres in."));
    assert!(html.contains("Vul uw wachtwoord in."));
    assert!(html.contains(r#"aria-invalid="true""#));
    assert!(html.contains("error-summary"));

    let response = post_login(&app, &csrf, "beheer@ggd.example", "fout-wachtwoord", "").await;
    assert_eq!(response.status(), 401);
    let html = response.text().await.unwrap();
    assert!(html.contains("Het e-mailadres of het wachtwoord klopt niet."));
    assert!(
        html.contains(r#"value="beheer@ggd.example""#),
        "what was typed is kept"
    );
}

#[tokio::test]
async fn the_page_tells_a_locked_out_user_how_long_to_wait() {
    let app = TestApp::spawn().await;
    app.add_user("beheer@ggd.example", Role::Admin, None, None)
        .await;
    let csrf = csrf_of(&login_page(&app).await);
    for _ in 0..5 {
        assert_eq!(
            post_login(&app, &csrf, "beheer@ggd.example", "fout-wachtwoord", "")
                .await
                .status(),
            401
        );
    }
    let response = post_login(&app, &csrf, "beheer@ggd.example", PASSWORD, "").await;
    assert_eq!(response.status(), 429);
    let html = response.text().await.unwrap();
    assert!(html.contains("Te veel mislukte pogingen"));
    assert!(html.contains("15 minuten"), "states the wait");
}

#[tokio::test]
async fn signing_out_ends_the_cookie_session() {
    let app = TestApp::spawn().await;
    app.add_user("beheer@ggd.example", Role::Admin, None, None)
        .await;
    let csrf = csrf_of(&login_page(&app).await);
    assert_eq!(
        post_login(&app, &csrf, "beheer@ggd.example", PASSWORD, "")
            .await
            .status(),
        303
    );
    let account = app.get("/account", None).await.text().await.unwrap();
    let csrf = csrf_of(&account);

    let response = app
        .client
        .post(app.url("/logout"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()[LOCATION], "/?uitgelogd=1");
    let home = app.get("/?uitgelogd=1", None).await.text().await.unwrap();
    assert!(home.contains("U bent uitgelogd."));
    assert_eq!(app.get("/account", None).await.status(), 303, "signed out");
    let rows: i64 = {
        use sea_orm::{EntityTrait, PaginatorTrait};
        toezicht::db::entities::session::Entity::find()
            .count(&app.db)
            .await
            .unwrap() as i64
    };
    assert_eq!(
        rows, 0,
        "the session is gone from the database, not only the cookie"
    );
}

async fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_admin_sets_a_supervising_region_on_the_page() {
    let app = TestApp::spawn().await;
    app.add_user("beheer@ggd.example", Role::Admin, None, None)
        .await;
    sign_in_on_page(&app, "beheer@ggd.example").await;
    let page = app.get("/beheer/gemeenten", None).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Alle gemeenten vallen onder de GGD van hun CBS-regio."));
    assert!(
        html.contains(r#"<option value="GM1621">Lansingerland (GGD Rotterdam-Rijnmond)</option>"#)
    );
    let csrf = csrf_of(&html);

    // Nothing chosen: messages beside the fields, nothing stored.
    let response = post_form(
        &app,
        "/beheer/gemeenten",
        &[
            ("csrf_token", csrf.as_str()),
            ("municipality_code", ""),
            ("region_code", ""),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Kies een gemeente.")
    );

    let response = post_form(
        &app,
        "/beheer/gemeenten",
        &[
            ("csrf_token", csrf.as_str()),
            ("municipality_code", "GM1621"),
            ("region_code", "GG7014"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let location = response.headers()[LOCATION].to_str().unwrap().to_string();
    let html = app.get(&location, None).await.text().await.unwrap();
    assert!(html.contains("De toezichthoudende GGD van Lansingerland is opgeslagen."));
    assert!(
        html.contains(
            "<td>Lansingerland</td><td>GGD Rotterdam-Rijnmond</td><td>GGD Haaglanden</td>"
        )
    );

    // And back to the CBS region.
    let response = post_form(
        &app,
        "/beheer/gemeenten",
        &[
            ("csrf_token", csrf.as_str()),
            ("municipality_code", "GM1621"),
            ("region_code", "cbs"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let html = app
        .get("/beheer/gemeenten", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Alle gemeenten vallen onder de GGD van hun CBS-regio."));
}

#[tokio::test]
async fn the_municipalities_page_is_for_admins_only() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.get("/beheer/gemeenten", None).await.status(),
        303,
        "anonymous: to sign-in"
    );
    app.add_user(
        "toezicht@ggd.example",
        Role::Inspector,
        Some("GG1106"),
        None,
    )
    .await;
    sign_in_on_page(&app, "toezicht@ggd.example").await;
    let response = app.get("/beheer/gemeenten", None).await;
    assert_eq!(response.status(), 403);
    assert!(response.text().await.unwrap().contains("Geen toegang"));
}

#[tokio::test]
async fn signing_out_works_from_an_error_page_too() {
    let app = TestApp::spawn().await;
    app.add_user("beheer@ggd.example", Role::Admin, None, None)
        .await;
    sign_in_on_page(&app, "beheer@ggd.example").await;
    let missing = app
        .get(&format!("/aanbieders/{}", uuid::Uuid::new_v4()), None)
        .await;
    assert_eq!(missing.status(), 404);
    let html = missing.text().await.unwrap();
    let csrf = csrf_of(&html);
    assert!(
        !csrf.is_empty(),
        "the error page's sign-out form carries the token"
    );
    let response = post_form(&app, "/logout", &[("csrf_token", csrf.as_str())]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.get("/account", None).await.status(), 303, "signed out");
}
