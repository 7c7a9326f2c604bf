//! The public signal form and status page, as a worried relative uses them.
use toezicht::db::entities::signal;

use crate::helpers::{TestApp, csrf_of};
use sea_orm::EntityTrait;

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in page"))
        + start.len();
    html[from..].split(end).next().unwrap()
}

const DESCRIPTION: &str = "Mijn vader zit hele ochtenden in een natte luier omdat er niemand komt.";

#[tokio::test]
async fn a_relative_finds_the_provider_files_a_signal_and_follows_it() {
    let app = TestApp::spawn().await;
    let provider = app
        .insert_provider("Thuiszorg Het Anker", "GM0153", "GG1106")
        .await;

    let page = app.get("/melding", None).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Wat gebeurt er met uw gegevens?"),
        "the privacy statement"
    );
    assert!(html.contains(r#"<label for="description">"#));
    assert!(!html.contains("BSN</label>"), "no BSN field");

    let search = app
        .get("/melding?zoek=anker&gemeente=GM0153", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        search.contains(&format!(r#"value="{provider}""#)),
        "the provider is offered"
    );
    assert!(search.contains("Thuiszorg Het Anker (Plaats)"));
    let csrf = csrf_of(&search);

    // A mistake: the description is kept, the message stands beside the field.
    let short = [
        ("csrf_token", csrf.as_str()),
        ("zoek", "anker"),
        ("gemeente", "GM0153"),
        ("provider_id", &provider.to_string()),
        ("category", "kwaliteit_zorg"),
        ("description", "Te kort"),
        ("reporter_role", "naaste"),
        ("anonymous", "nee"),
        ("contact_email", "zoon@voorbeeld.nl"),
    ];
    let response = app
        .client
        .post(app.url("/melding"))
        .form(&short)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Uw melding is nog niet verstuurd"));
    assert!(html.contains("minstens 20 tekens"));
    assert!(
        html.contains(">Te kort</textarea>"),
        "what was typed is kept"
    );
    assert!(html.contains(r#"value="zoon@voorbeeld.nl""#));
    assert!(
        html.contains(&format!(r#"value="{provider}" checked"#)),
        "the chosen provider stays chosen"
    );
    assert!(
        signal::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );

    let good = [
        ("csrf_token", csrf.as_str()),
        ("zoek", "anker"),
        ("gemeente", "GM0153"),
        ("provider_id", &provider.to_string()),
        ("category", "kwaliteit_zorg"),
        ("description", DESCRIPTION),
        ("occurred_on", "2026-11-01"),
        ("reporter_role", "naaste"),
        ("anonymous", "nee"),
        ("contact_email", "zoon@voorbeeld.nl"),
    ];
    let response = app
        .client
        .post(app.url("/melding"))
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Uw melding is ontvangen"));
    let reference = between(&html, r#"<p class="big-code">"#, "</p>").to_string();
    let token = between(
        &html,
        r#"<p class="big-code" aria-label="Uw code">"#,
        "</p>",
    )
    .to_string();
    assert!(reference.starts_with("M-"), "{reference}");
    assert_eq!(token.len(), 43);
    assert!(html.contains(r#"href="/melding/status""#));
    let stored = signal::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].provider_id, Some(provider));
    assert_eq!(stored[0].description, DESCRIPTION);

    // Following it: the status page, and one answer for a wrong code or an unknown reference.
    let status_page = app.get("/melding/status", None).await.text().await.unwrap();
    let csrf = csrf_of(&status_page);
    let lookup = |reference: String, token: String| {
        let app = &app;
        let csrf = csrf.clone();
        async move {
            app.client
                .post(app.url("/melding/status"))
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("reference", reference.as_str()),
                    ("token", token.as_str()),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let found = lookup(reference.clone(), token.clone()).await;
    assert_eq!(found.status(), 200);
    let html = found.text().await.unwrap();
    assert!(html.contains("<strong>Ontvangen</strong>"));
    assert!(html.contains("binnen drie werkdagen"));
    assert!(
        !html.contains(DESCRIPTION),
        "the status page never shows the description"
    );
    let wrong = lookup(reference.clone(), "A".repeat(43)).await;
    assert_eq!(wrong.status(), 404);
    let wrong_html = wrong.text().await.unwrap();
    let unknown_html = lookup("M-2026-999999".into(), token)
        .await
        .text()
        .await
        .unwrap();
    let message = "We vinden geen melding met dit kenmerk en deze code.";
    assert!(wrong_html.contains(message) && unknown_html.contains(message));
}

#[tokio::test]
async fn an_unregistered_provider_can_be_named_and_anonymity_is_respected() {
    let app = TestApp::spawn().await;
    let csrf = csrf_of(&app.get("/melding", None).await.text().await.unwrap());
    let base = [
        ("csrf_token", csrf.as_str()),
        ("provider_name", "Zorg Zonder Register"),
        ("municipality_code", "GM0518"),
        ("category", "bejegening"),
        ("description", DESCRIPTION),
        ("reporter_role", "medewerker"),
    ];
    let mut anonymous_with_name = base.to_vec();
    anonymous_with_name.extend([("anonymous", "ja"), ("contact_name", "Jan")]);
    let response = app
        .client
        .post(app.url("/melding"))
        .form(&anonymous_with_name)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("U meldt anoniem: laat uw naam dan leeg.")
    );

    let mut no_choice = base.to_vec();
    no_choice.retain(|(k, _)| *k != "reporter_role");
    let response = app
        .client
        .post(app.url("/melding"))
        .form(&no_choice)
        .send()
        .await
        .unwrap();
    let html = response.text().await.unwrap();
    assert!(html.contains("Kies of u anoniem wilt melden."));
    assert!(html.contains("Kies wie u bent"));

    let mut anonymous = base.to_vec();
    anonymous.push(("anonymous", "ja"));
    let response = app
        .client
        .post(app.url("/melding"))
        .form(&anonymous)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        !html.contains("bevestiging per e-mail"),
        "no email promised without an address"
    );
    let stored = signal::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(
        (stored[0].anonymous, stored[0].contact_name.clone()),
        (true, None)
    );
    assert_eq!(stored[0].region_code, "GG7014");
}

#[tokio::test]
async fn an_expired_form_comes_back_filled_in_instead_of_losing_the_story() {
    let app = TestApp::spawn().await;
    // A browser without the form's cookie (restarted, or cookies cleared) posts a long story.
    let fresh = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let response = fresh
        .post(app.url("/melding"))
        .form(&[
            ("csrf_token", "verlopen"),
            ("description", DESCRIPTION),
            ("category", "bejegening"),
            ("contact_email", "zoon@voorbeeld.nl"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let html = response.text().await.unwrap();
    assert!(html.contains("Uw formulier was verlopen"));
    assert!(
        html.contains(&format!(">{DESCRIPTION}</textarea>")),
        "the story is still there"
    );
    assert!(html.contains(r#"value="bejegening" checked"#));
    assert!(
        signal::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );
    // The page came with a fresh token: sending it again now works.
    let csrf = csrf_of(&html);
    let response = fresh
        .post(app.url("/melding"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("provider_name", "Zorg Zonder Register"),
            ("municipality_code", "GM0153"),
            ("category", "bejegening"),
            ("description", DESCRIPTION),
            ("reporter_role", "naaste"),
            ("anonymous", "nee"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(signal::Entity::find().all(&app.db).await.unwrap().len(), 1);
}
