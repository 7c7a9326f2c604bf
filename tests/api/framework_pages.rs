//! The framework pages: `/toetsingskader`, `/toetsingskader/{id}` and the upload form
//! `/toetsingskader/nieuw`.
use reqwest::header::LOCATION;
use serde_json::json;
use toezicht::domain::role::Role;

use crate::framework::document;
use crate::helpers::{TestApp, csrf_of, sign_in_on_page};

async fn sign_in(app: &TestApp, email: &str, role: Role, region: Option<&str>) {
    app.add_user(email, role, region, None).await;
    sign_in_on_page(app, email).await;
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.get(path, None).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn publish(app: &TestApp, csrf: &str, document: &str) -> reqwest::Response {
    app.client
        .post(app.url("/toetsingskader/nieuw"))
        .form(&[("csrf_token", csrf), ("document", document)])
        .send()
        .await
        .unwrap()
}

/// The text as handlebars escapes it inside the textarea.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&#x27;")
        .replace('=', "&#x3D;")
        .replace('`', "&#x60;")
}

#[tokio::test]
async fn an_admin_reads_the_framework_and_publishes_a_new_version() {
    let app = TestApp::spawn().await;
    sign_in(&app, "beheer@ggd.example", Role::Admin, None).await;
    let (status, html) = page(&app, "/toetsingskader").await;
    assert_eq!(status, 200);
    assert!(html.contains("Model toetsingskader Wmo v1"));
    assert!(
        html.contains("medewerkers hebben een geldige VOG"),
        "A1's title"
    );
    assert!(html.contains("Wettelijke grondslag: Wmo 2015 art. 3.1 lid 2a, 3.4, 3.5"));
    assert!(html.contains("voldoet deels"), "the rating scale");
    assert!(html.contains(r#"href="/toetsingskader" aria-current="page">Toetsingskader<"#));
    assert!(html.contains(r#"href="/toetsingskader/nieuw""#));

    // The form starts from the framework in force.
    let (status, form) = page(&app, "/toetsingskader/nieuw").await;
    assert_eq!(status, 200);
    assert!(form.contains("<textarea"));
    assert!(form.contains(&escaped(r#""version": "Model toetsingskader Wmo v1""#)));
    let csrf = csrf_of(&form);

    let response = publish(
        &app,
        &csrf,
        &document("Toetsingskader Twente 2027").to_string(),
    )
    .await;
    assert_eq!(response.status(), 303);
    let location = response.headers()[LOCATION].to_str().unwrap().to_string();
    let (_, html) = page(&app, &location).await;
    assert!(html.contains("De nieuwe versie is gepubliceerd."));
    assert!(html.contains("Toetsingskader Twente 2027"));
    assert!(html.contains("er is een vluchtplan"));
    assert!(!html.contains("personele bezetting is voldoende en passend"));

    // The earlier version stays readable through the list of versions.
    let marker = r#"<a href="/toetsingskader/"#;
    let old_link = html
        .split(marker)
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .find(|id| html.contains(&format!("{id}\">Model toetsingskader Wmo v1<")))
        .expect("a link to the seeded version");
    let (status, old) = page(&app, &format!("/toetsingskader/{old_link}")).await;
    assert_eq!(status, 200);
    assert!(old.contains("Dit is een eerdere versie."));
    assert!(old.contains("personele bezetting is voldoende en passend"));

    assert_eq!(page(&app, "/toetsingskader/geen-versie").await.0, 404);
}

#[tokio::test]
async fn problems_are_listed_in_dutch_and_the_text_is_kept() {
    let app = TestApp::spawn().await;
    sign_in(&app, "beheer@ggd.example", Role::Admin, None).await;
    let csrf = csrf_of(&page(&app, "/toetsingskader/nieuw").await.1);

    let broken = "{\n  \"version\": \"Toetsingskader 2027\",\n  \"themes\": [\n}";
    let response = publish(&app, &csrf, broken).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("error-summary"));
    assert!(html.contains("Dit is geen geldige JSON: er gaat iets mis op regel 4"));
    assert!(
        html.contains(&escaped(broken)),
        "the pasted text comes back"
    );
    assert!(html.contains(r#"aria-invalid="true""#));

    let mut invalid = document("Toetsingskader 2027");
    invalid["themes"][1]["criteria"][0]["code"] = json!("A9");
    invalid["themes"][0]["title"] = json!("");
    let response = publish(&app, &csrf, &invalid.to_string()).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("<code>themes[0].title</code>: Vul de titel van het thema in."));
    assert!(html.contains(
        "<code>themes[1].criteria[0].code</code>: De code moet beginnen met de themacode G"
    ));

    let response = publish(
        &app,
        &csrf,
        &document("Model toetsingskader Wmo v1").to_string(),
    )
    .await;
    assert_eq!(response.status(), 409);
    let html = response.text().await.unwrap();
    assert!(html.contains("Er bestaat al een versie met de naam"));

    let (_, current) = page(&app, "/toetsingskader").await;
    assert!(
        !current.contains("Toetsingskader 2027"),
        "nothing was published"
    );
}

#[tokio::test]
async fn inspectors_read_the_framework_but_do_not_publish() {
    let app = TestApp::spawn().await;
    assert_eq!(page(&app, "/toetsingskader").await.0, 303, "to sign-in");
    sign_in(
        &app,
        "toezicht@ggd.example",
        Role::Inspector,
        Some("GG1106"),
    )
    .await;
    let (status, html) = page(&app, "/toetsingskader").await;
    assert_eq!(status, 200);
    assert!(html.contains("medewerkers hebben een geldige VOG"));
    assert!(
        !html.contains(r#"href="/toetsingskader/nieuw""#),
        "no publish link"
    );
    let csrf = csrf_of(&html);
    assert_eq!(page(&app, "/toetsingskader/nieuw").await.0, 403);
    let response = publish(&app, &csrf, &document("Toetsingskader 2027").to_string()).await;
    assert_eq!(response.status(), 403);
}
