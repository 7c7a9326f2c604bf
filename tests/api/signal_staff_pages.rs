//! Triage on the pages: the list, the detail with contact details, and the status buttons.
use reqwest::header::LOCATION;
use serde_json::json;
use toezicht::domain::role::Role;

use crate::helpers::{TestApp, csrf_of, sign_in_on_page};
use crate::signals::{file, patch, signal_body};

async fn id_of(app: &TestApp, reference: &str) -> String {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    toezicht::db::entities::signal::Entity::find()
        .filter(toezicht::db::entities::signal::Column::Reference.eq(reference))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

#[tokio::test]
async fn an_inspector_triages_a_signal_on_the_pages() {
    let app = TestApp::spawn().await;
    let normal = file(&app, &signal_body(None)).await;
    let mut calamity = signal_body(None);
    calamity["category"] = json!("calamiteit");
    let urgent = file(&app, &calamity).await;
    app.add_user(
        "toezicht@ggd.example",
        Role::Inspector,
        Some("GG1106"),
        None,
    )
    .await;
    sign_in_on_page(&app, "toezicht@ggd.example").await;

    let list = app.get("/meldingen", None).await;
    assert_eq!(list.status(), 200);
    let html = list.text().await.unwrap();
    let urgent_ref = urgent["reference"].as_str().unwrap();
    let normal_ref = normal["reference"].as_str().unwrap();
    assert!(
        html.find(urgent_ref).unwrap() < html.find(normal_ref).unwrap(),
        "spoed first"
    );
    assert!(
        html.contains(r#"class="row-urgent""#),
        "calamities stand out"
    );

    let id = id_of(&app, normal_ref).await;
    let detail = app
        .get(&format!("/meldingen/{id}"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        detail.contains("petra@voorbeeld.nl"),
        "contact details for the region's inspector"
    );
    assert!(
        detail.contains("Naar &#x27;In behandeling&#x27;")
            || detail.contains("Naar 'In behandeling'")
    );
    let logged = toezicht::audit::for_entity(&app.db, "signal", &id)
        .await
        .unwrap();
    assert!(
        logged.iter().any(|e| e.action == "signal.contact_viewed"),
        "viewing contact details is logged"
    );
    let csrf = csrf_of(&detail);

    let post = |fields: Vec<(&'static str, String)>| {
        let app = &app;
        let id = id.clone();
        let csrf = csrf.clone();
        async move {
            let mut form = vec![("csrf_token", csrf)];
            form.extend(fields);
            app.client
                .post(app.url(&format!("/meldingen/{id}")))
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let response = post(vec![
        ("action", "status".into()),
        ("status", "in_behandeling".into()),
    ])
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()[LOCATION],
        format!("/meldingen/{id}?bijgewerkt=1").as_str()
    );
    let response = post(vec![
        ("action", "status".into()),
        ("status", "afgesloten".into()),
    ])
    .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Beschrijf hoe de melding is afgehandeld.")
    );
    let response = post(vec![
        ("action", "status".into()),
        ("status", "onderzoek".into()),
    ])
    .await;
    assert_eq!(response.status(), 303);
    let response = post(vec![
        ("action", "status".into()),
        ("status", "doorverwezen".into()),
    ])
    .await;
    assert_eq!(
        response.status(),
        409,
        "onderzoek → doorverwezen is not a move"
    );
    let response = post(vec![
        ("action", "status".into()),
        ("status", "afgesloten".into()),
        (
            "resolution",
            "Aanbieder heeft de roosters aangepast.".into(),
        ),
    ])
    .await;
    assert_eq!(response.status(), 303);
    let detail = app
        .get(&format!("/meldingen/{id}?bijgewerkt=1"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(detail.contains("De melding is bijgewerkt."));
    assert!(detail.contains("<strong>Afgesloten</strong>"));
    assert!(detail.contains("Aanbieder heeft de roosters aangepast."));
    assert!(detail.contains("er zijn geen stappen meer"));

    // Linking the urgent one as a duplicate of a reference that is not in the region.
    let urgent_id = id_of(&app, urgent_ref).await;
    let html = app
        .get(&format!("/meldingen/{urgent_id}"), None)
        .await
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&html);
    let response = app
        .client
        .post(app.url(&format!("/meldingen/{urgent_id}")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("action", "duplicate"),
            ("duplicate_reference", "M-1999-000001"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Geen melding met kenmerk")
    );
}

#[tokio::test]
async fn signal_pages_are_for_the_regions_staff_only() {
    let app = TestApp::spawn().await;
    let filed = file(&app, &signal_body(None)).await;
    let id = id_of(&app, filed["reference"].as_str().unwrap()).await;
    assert_eq!(
        app.get("/meldingen", None).await.status(),
        303,
        "to sign-in"
    );
    app.add_user(
        "haaglanden@ggd.example",
        Role::Inspector,
        Some("GG7014"),
        None,
    )
    .await;
    sign_in_on_page(&app, "haaglanden@ggd.example").await;
    assert_eq!(
        app.get(&format!("/meldingen/{id}"), None).await.status(),
        404
    );
    let list = app.get("/meldingen", None).await.text().await.unwrap();
    assert!(list.contains("Er staan geen meldingen open in uw regio."));
}

#[tokio::test]
async fn the_list_opens_on_the_signals_that_need_work() {
    let app = TestApp::spawn().await;
    let done_with = app
        .insert_provider("Thuiszorg Afgerond", "GM0153", "GG1106")
        .await;
    let busy = app
        .insert_provider("Dagbesteding Bezig", "GM0153", "GG1106")
        .await;
    let closed = file(&app, &signal_body(Some(done_with))).await;
    let open = file(&app, &signal_body(Some(busy))).await;
    let closed_ref = closed["reference"].as_str().unwrap();
    let open_ref = open["reference"].as_str().unwrap();
    let token = app.inspector_token("GG1106").await;
    let id = id_of(&app, closed_ref).await;
    for body in [
        json!({"status": "in_behandeling"}),
        json!({"status": "afgesloten", "resolution": "Besproken met de aanbieder."}),
    ] {
        assert_eq!(patch(&app, &token, &id, body).await.status(), 200);
    }
    app.add_user("lijst@ggd.example", Role::Inspector, Some("GG1106"), None)
        .await;
    sign_in_on_page(&app, "lijst@ggd.example").await;

    let list = app.get("/meldingen", None).await.text().await.unwrap();
    assert!(
        list.contains(open_ref) && !list.contains(closed_ref),
        "{list}"
    );
    assert!(list.contains("1 openstaande melding."));
    assert!(list.contains(r#"<option value="" selected>Openstaand</option>"#));
    assert!(
        list.contains("Dagbesteding Bezig") && !list.contains("Thuiszorg Afgerond"),
        "only the open signal's provider is named"
    );
    // What the page shows, the export holds.
    let csv = app
        .get("/meldingen/export.csv", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains(open_ref) && !csv.contains(closed_ref), "{csv}");

    let all = app
        .get("/meldingen?status=alle", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(all.contains(open_ref) && all.contains(closed_ref));
    assert!(all.contains("2 meldingen. Nieuwste eerst."));
    assert!(
        all.find(open_ref).unwrap() < all.find(closed_ref).unwrap(),
        "an archive view starts with the newest"
    );
    assert!(all.contains(r#"<option value="alle" selected>Alle</option>"#));
    assert!(all.contains("Thuiszorg Afgerond"));
    // A chosen provider (a link from its page) is named and stays chosen when the form is
    // sent again, also when it has no open signals; one link drops it and keeps the rest.
    let chosen = app
        .get(
            &format!("/meldingen?provider_id={done_with}&category=bejegening"),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        chosen.contains("Alleen <strong>Thuiszorg Afgerond</strong>.")
            && chosen.contains(&format!(
                r#"<input type="hidden" name="provider_id" value="{done_with}">"#
            )),
        "{chosen}"
    );
    assert!(chosen.contains("0 openstaande meldingen."), "{chosen}");
    let decoded = chosen.replace("&#x3D;", "=").replace("&amp;", "&");
    assert!(
        decoded.contains(r#"<a href="/meldingen?category=bejegening">Alle aanbieders</a>"#),
        "{decoded}"
    );
    // Another region's provider is not named, whatever the address asks for.
    let elsewhere = app
        .insert_provider("Elders Zorg BV", "GM0518", "GG7014")
        .await;
    let other = app
        .get(&format!("/meldingen?provider_id={elsewhere}"), None)
        .await;
    assert_eq!(other.status(), 200);
    assert!(!other.text().await.unwrap().contains("Elders Zorg BV"));
    // "Show the closed ones too" keeps the other filters.
    let by_category = app
        .get("/meldingen?category=bejegening", None)
        .await
        .text()
        .await
        .unwrap();
    let decoded = by_category.replace("&#x3D;", "=").replace("&amp;", "&");
    assert!(decoded.contains(r#"href="/meldingen?status=alle&category=bejegening""#));
    let closed_only = app
        .get("/meldingen?status=afgesloten", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(closed_only.contains(closed_ref) && !closed_only.contains(open_ref));
}

#[tokio::test]
async fn the_provider_filter_finds_signals_by_part_of_the_name() {
    let app = TestApp::spawn().await;
    let anker = app
        .insert_provider("Thuiszorg Het Anker", "GM0153", "GG1106")
        .await;
    let bezig = app
        .insert_provider("Dagbesteding Bezig", "GM0153", "GG1106")
        .await;
    // Another region's provider with a name that matches too.
    let elsewhere = app
        .insert_provider("Anker Zorg Haaglanden", "GM0518", "GG7014")
        .await;
    let at_anker = file(&app, &signal_body(Some(anker))).await;
    let at_bezig = file(&app, &signal_body(Some(bezig))).await;
    // A provider that is not in the register, named by the reporter ("Zorg Zonder Register").
    let unregistered = file(&app, &signal_body(None)).await;
    let in_haaglanden = file(&app, &signal_body(Some(elsewhere))).await;
    let reference = |signal: &serde_json::Value| signal["reference"].as_str().unwrap().to_string();
    app.add_user("naam@ggd.example", Role::Inspector, Some("GG1106"), None)
        .await;
    sign_in_on_page(&app, "naam@ggd.example").await;

    let page = |query: &'static str| {
        let app = &app;
        async move { app.get(query, None).await.text().await.unwrap() }
    };
    let by_name = page("/meldingen?provider_name=%20hEt%20ANKER%20").await;
    assert!(by_name.contains(&reference(&at_anker)), "{by_name}");
    assert!(!by_name.contains(&reference(&at_bezig)));
    assert!(!by_name.contains(&reference(&in_haaglanden)));
    assert!(by_name.contains("1 openstaande melding."));
    assert!(
        by_name.contains(r#"name="provider_name" value="hEt ANKER""#),
        "what was typed stays in the field: {by_name}"
    );
    let decoded = by_name.replace("&#x3D;", "=").replace("&amp;", "&");
    assert!(
        decoded.contains(r#"href="/meldingen/export.csv?provider_name=%20hEt%20ANKER%20""#),
        "the export keeps the filter: {decoded}"
    );

    // The name a reporter gave for a provider outside the register is found too.
    let unknown = page("/meldingen?provider_name=zonder").await;
    assert!(unknown.contains(&reference(&unregistered)), "{unknown}");
    assert!(!unknown.contains(&reference(&at_anker)));

    // "anker" matches a provider in Haaglanden too, but this inspector sees only Twente's.
    let anker_only = page("/meldingen?provider_name=anker").await;
    assert!(anker_only.contains(&reference(&at_anker)));
    assert!(!anker_only.contains(&reference(&in_haaglanden)));
    assert!(!anker_only.contains("Anker Zorg Haaglanden"));

    // LIKE's wildcards are plain characters here.
    let wildcard = page("/meldingen?provider_name=%25").await;
    assert!(
        wildcard.contains("Geen meldingen met deze filters."),
        "{wildcard}"
    );

    let csv = page("/meldingen/export.csv?provider_name=anker").await;
    assert!(csv.contains(&reference(&at_anker)) && !csv.contains(&reference(&at_bezig)));

    // The API takes the same filter.
    let token = app.inspector_token("GG1106").await;
    let api: serde_json::Value = app
        .get("/api/v1/signals?provider_name=bezig", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let found: Vec<&str> = api["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reference"].as_str().unwrap())
        .collect();
    assert_eq!(found, [reference(&at_bezig)]);
}

#[tokio::test]
async fn the_list_names_a_provider_as_the_register_does_now() {
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let app = TestApp::spawn().await;
    let anker = app
        .insert_provider("Thuiszorg Het Anker", "GM0153", "GG1106")
        .await;
    let at_anker = file(&app, &signal_body(Some(anker))).await;
    let unregistered = file(&app, &signal_body(None)).await;
    // The provider is renamed in the register after the signal came in.
    let mut renamed = toezicht::db::entities::provider::Entity::find_by_id(anker)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    renamed.name = Set("Thuiszorg De Boei".into());
    renamed.update(&app.db).await.unwrap();
    app.add_user("naam@ggd.example", Role::Inspector, Some("GG1106"), None)
        .await;
    sign_in_on_page(&app, "naam@ggd.example").await;

    let list = app.get("/meldingen", None).await.text().await.unwrap();
    assert!(
        list.contains(at_anker["reference"].as_str().unwrap()),
        "{list}"
    );
    assert!(list.contains("Thuiszorg De Boei"), "{list}");
    assert!(!list.contains("Thuiszorg Het Anker"), "{list}");
    // A provider outside the register keeps the name the reporter gave.
    assert!(list.contains(unregistered["reference"].as_str().unwrap()));
    assert!(list.contains("Zorg Zonder Register"), "{list}");
}
