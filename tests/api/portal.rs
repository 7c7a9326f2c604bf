//! The provider portal: its own calamity reports, never signals filed by others.
use reqwest::header::LOCATION;
use toezicht::domain::role::Role;

use crate::helpers::{PASSWORD, TestApp, csrf_of};
use crate::signals::{file, signal_body};

#[tokio::test]
async fn a_provider_files_a_calamity_and_sees_only_its_own_reports() {
    let app = TestApp::spawn().await;
    let provider = app.insert_provider("Anker", "GM0153", "GG1106").await;
    // A worried relative's signal about this provider: the provider must never see it.
    let relative = file(&app, &signal_body(Some(provider))).await;
    app.add_user(
        "kwaliteit@anker.example",
        Role::Provider,
        None,
        Some(provider),
    )
    .await;
    let csrf = csrf_of(&app.get("/login", None).await.text().await.unwrap());
    let response = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "kwaliteit@anker.example"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()[LOCATION],
        "/portaal",
        "providers land in their portal"
    );

    let portal = app.get("/portaal", None).await.text().await.unwrap();
    assert!(portal.contains("nog geen calamiteiten of geweld gemeld"));
    assert!(
        !portal.contains(relative["reference"].as_str().unwrap()),
        "never others' signals"
    );
    assert_eq!(app.get("/meldingen", None).await.status(), 403);

    let form = app
        .get("/portaal/calamiteit", None)
        .await
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&form);
    let response = app
        .client
        .post(app.url("/portaal/calamiteit"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("category", "calamiteit"),
            ("description", "Kort"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    for message in [
        "Beschrijf de gevolgen voor de cliënt.",
        "Geef aan of het bestuur is geïnformeerd.",
        "Vul in wanneer het is gebeurd.",
        "minstens 20 tekens",
    ] {
        assert!(html.contains(message), "{message}");
    }

    let response = app
        .client
        .post(app.url("/portaal/calamiteit"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("category", "calamiteit"),
            (
                "description",
                "Een cliënt is 's nachts van de trap gevallen en overleden.",
            ),
            ("occurred_on", "2026-11-20"),
            ("client_harm", "Overleden"),
            ("board_informed", "ja"),
            (
                "measures_taken",
                "Traphek geplaatst, nachtdienst uitgebreid",
            ),
            ("aftercare", "Gesprekken met familie en team"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()[LOCATION].to_str().unwrap().to_string();
    let portal = app.get(&location, None).await.text().await.unwrap();
    assert!(portal.contains("is ontvangen"));
    assert!(portal.contains("<td>Calamiteit</td><td>Ontvangen</td>"));
    assert!(!portal.contains(relative["reference"].as_str().unwrap()));

    // The inspector sees it as urgent, from the provider itself.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let stored = toezicht::db::entities::signal::Entity::find()
        .filter(toezicht::db::entities::signal::Column::Category.eq("calamiteit"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.priority.as_str(), stored.reporter_role.as_str()),
        ("spoed", "aanbieder")
    );
    assert_eq!(stored.provider_id, Some(provider));
}
