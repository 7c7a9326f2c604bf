//! The provider register as a newcomer uses it: find, add, edit, import, export.
use reqwest::header::{CONTENT_TYPE, LOCATION};
use serde_json::Value;
use toezicht::domain::role::Role;

use crate::helpers::{TestApp, csrf_of, sign_in_on_page};

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path, None).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

fn form_fields<'a>(csrf: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("csrf_token", csrf),
        ("name", "Zorgboerderij De Hoeve"),
        ("kvk_number", "7001 2345"),
        ("agb_code", ""),
        ("email", "info@dehoeve.example"),
        ("phone", "074-2501234"),
        ("street", "Hoeveweg"),
        ("house_number", "7"),
        ("postcode", "7555ab"),
        ("city", "Hengelo"),
        ("municipality_code", "GM0164"),
        ("services", "dagbesteding"),
        ("services", "begeleiding"),
        ("contract_municipalities", "GM0164"),
        ("contract_municipalities", "GM0153"),
        ("active", "ja"),
    ];
    for (name, value) in extra {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

#[tokio::test]
async fn an_inspector_adds_finds_and_edits_a_provider_on_the_pages() {
    let app = TestApp::spawn().await;
    app.add_user(
        "toezicht@ggd.example",
        Role::Inspector,
        Some("GG1106"),
        None,
    )
    .await;
    sign_in_on_page(&app, "toezicht@ggd.example").await;

    let empty = page(&app, "/aanbieders").await;
    assert!(empty.contains("Er staan nog geen aanbieders in het register."));
    assert!(empty.contains(r#"href="/aanbieders/nieuw""#));
    assert!(
        !empty.contains("/aanbieders/import"),
        "import is for admins"
    );

    let form = page(&app, "/aanbieders/nieuw").await;
    assert!(form.contains(r#"<label for="kvk_number">KvK-nummer</label>"#));
    assert!(form.contains(">Hengelo</option>"));
    assert!(
        !form.contains(">Delft</option>"),
        "only the inspector's own region is offered"
    );
    let csrf = csrf_of(&form);

    // Mistakes come back beside the fields, with what was typed kept.
    let bad = form_fields(&csrf, &[("kvk_number", "123"), ("postcode", "1234 SA")]);
    let response = app
        .client
        .post(app.url("/aanbieders"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Een KvK-nummer bestaat uit 8 cijfers."));
    assert!(html.contains("SA, SD of SS"));
    assert!(
        html.contains(r##"<a href="#kvk_number">"##),
        "summary links to the field"
    );
    assert!(html.contains(r#"value="Zorgboerderij De Hoeve""#));
    assert!(html.contains(r#"value="dagbesteding" checked"#));

    let response = app
        .client
        .post(app.url("/aanbieders"))
        .form(&form_fields(&csrf, &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()[LOCATION].to_str().unwrap().to_string();
    assert!(location.ends_with("?aangemaakt=1"));
    let detail = page(&app, &location).await;
    assert!(detail.contains("De aanbieder is toegevoegd aan het register."));
    assert!(detail.contains("70012345"));
    assert!(detail.contains("7555 AB Hengelo"));
    assert!(detail.contains("GGD Twente"));
    assert!(
        detail.contains("<li>Enschede</li>") && detail.contains("<li>Hengelo</li>"),
        "contracts"
    );
    assert!(detail.contains("Logboek") && detail.contains("Toegevoegd"));

    // The same provider again is refused with the reason at the KvK field.
    let response = app
        .client
        .post(app.url("/aanbieders"))
        .form(&form_fields(&csrf, &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("staat al een aanbieder met KvK-nummer 70012345")
    );

    let found = page(&app, "/aanbieders?q=hoeve").await;
    assert!(found.contains("1 aanbieder gevonden"));
    assert!(found.contains("Zorgboerderij De Hoeve"));
    let none = page(&app, "/aanbieders?q=bestaatniet").await;
    assert!(none.contains("Geen aanbieders gevonden"));

    let id = location
        .trim_start_matches("/aanbieders/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let edit = page(&app, &format!("/aanbieders/{id}/bewerken")).await;
    assert!(edit.contains(r#"value="info@dehoeve.example""#));
    let csrf = csrf_of(&edit);
    let changed = form_fields(
        &csrf,
        &[("name", "Zorgboerderij De Hoeve BV"), ("active", "nee")],
    );
    let response = app
        .client
        .post(app.url(&format!("/aanbieders/{id}")))
        .form(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let detail = page(&app, &format!("/aanbieders/{id}?gewijzigd=1")).await;
    assert!(detail.contains("De wijzigingen zijn opgeslagen."));
    assert!(detail.contains("Zorgboerderij De Hoeve BV"));
    assert!(detail.contains("beëindigd"));
    assert!(
        detail.contains("naam: Zorgboerderij De Hoeve → Zorgboerderij De Hoeve BV"),
        "the log says what changed"
    );
    assert!(detail.contains("Test inspector"), "and who");
}

#[tokio::test]
async fn the_export_is_the_filtered_list_in_the_import_format() {
    let app = TestApp::spawn().await;
    app.add_user("beheer@ggd.example", Role::Admin, None, None)
        .await;
    app.insert_provider("Anker Zorg", "GM0153", "GG1106").await;
    app.insert_provider("Duin Zorg", "GM0518", "GG7014").await;
    sign_in_on_page(&app, "beheer@ggd.example").await;
    let response = app.get("/aanbieders/export.csv?q=anker", None).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("aanbieders-")
    );
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "naam;kvk_nummer;agb_code;email;telefoon;straat;huisnummer;postcode;plaats;gemeente;diensten;contractgemeenten;actief"
    );
    assert_eq!(lines.len(), 2, "only the filtered provider: {body}");
    assert!(lines[1].starts_with("Anker Zorg;"));
}

const GOOD_ROW: &str = "Thuishulp Oost;80001111;;info@thuishulp.example;053 123 4567;Markt;1;7511 AA;Enschede;Enschede;huishoudelijke_hulp;;ja";
const BAD_ROW: &str = "Kapot;12;;geen-email;;Markt;2;7511 AB;Enschede;Atlantis;vliegen;;ja";
const HEADER: &str = "naam;kvk_nummer;agb_code;email;telefoon;straat;huisnummer;postcode;plaats;gemeente;diensten;contractgemeenten;actief";

async fn upload(app: &TestApp, csrf: &str, file: String, valid_only: bool) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(file.into_bytes()).file_name("lijst.csv"),
        );
    if valid_only {
        form = form.text("valid_only", "ja");
    }
    app.client
        .post(app.url("/aanbieders/import"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn provider_total(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    toezicht::db::entities::provider::Entity::find()
        .count(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_upload_with_a_bad_row_stores_nothing_and_names_the_line() {
    let app = TestApp::spawn().await;
    app.add_user("beheer@ggd.example", Role::Admin, None, None)
        .await;
    sign_in_on_page(&app, "beheer@ggd.example").await;
    let csrf = csrf_of(&page(&app, "/aanbieders/import").await);

    let response = upload(
        &app,
        &csrf,
        format!("{HEADER}\n{GOOD_ROW}\n{BAD_ROW}\n"),
        false,
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Er is niets opgeslagen"));
    assert!(html.contains("<td>3</td>"), "the bad row's line number");
    assert!(html.contains("kvk_nummer: Een KvK-nummer bestaat uit 8 cijfers."));
    assert!(html.contains("gemeente: Onbekende gemeente"));
    assert!(html.contains("diensten: Onbekende dienst"));
    assert_eq!(provider_total(&app).await, 0, "nothing stored");

    let response = upload(
        &app,
        &csrf,
        format!("{HEADER}\n{GOOD_ROW}\n{BAD_ROW}\n"),
        true,
    )
    .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("1 aanbieder toegevoegd aan het register."));
    assert!(html.contains("Deze regels zijn overgeslagen"));
    assert_eq!(provider_total(&app).await, 1);

    let response = upload(&app, &csrf, "naam;email\nX;y@z.nl\n".into(), false).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Deze kolommen ontbreken")
    );
}

#[tokio::test]
async fn import_and_export_pages_are_for_the_right_roles() {
    let app = TestApp::spawn().await;
    app.add_user(
        "toezicht@ggd.example",
        Role::Inspector,
        Some("GG1106"),
        None,
    )
    .await;
    sign_in_on_page(&app, "toezicht@ggd.example").await;
    assert_eq!(app.get("/aanbieders/import", None).await.status(), 403);
    let provider_id = app.insert_provider("Eigen Zorg", "GM0153", "GG1106").await;
    let other = app.insert_provider("Andere Zorg", "GM0153", "GG1106").await;

    let provider_app_client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let provider_user = TestApp {
        client: provider_app_client,
        ..app
    };
    provider_user
        .add_user(
            "kwaliteit@eigen.example",
            Role::Provider,
            None,
            Some(provider_id),
        )
        .await;
    sign_in_on_page(&provider_user, "kwaliteit@eigen.example").await;
    let response = provider_user.get("/aanbieders", None).await;
    assert_eq!(
        response.status(),
        303,
        "a provider user goes straight to its own record"
    );
    assert_eq!(
        response.headers()[LOCATION],
        format!("/aanbieders/{provider_id}").as_str()
    );
    let own = page(&provider_user, &format!("/aanbieders/{provider_id}")).await;
    assert!(own.contains("Eigen Zorg"));
    assert!(!own.contains("Logboek"), "the audit log is for GGD staff");
    assert_eq!(
        provider_user
            .get(&format!("/aanbieders/{other}"), None)
            .await
            .status(),
        404
    );
    assert_eq!(
        provider_user
            .get("/aanbieders/export.csv", None)
            .await
            .status(),
        403
    );

    // A provider user's edit form has only the contact details, and changing them works.
    let edit = page(
        &provider_user,
        &format!("/aanbieders/{provider_id}/bewerken"),
    )
    .await;
    assert!(!edit.contains(r#"name="kvk_number""#));
    let csrf = csrf_of(&edit);
    let response = provider_user
        .client
        .post(provider_user.url(&format!("/aanbieders/{provider_id}")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "nieuw@eigen.example"),
            ("phone", ""),
            ("name", "Gekaapt"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let api: Value = {
        use sea_orm::EntityTrait;
        let p = toezicht::db::entities::provider::Entity::find_by_id(provider_id)
            .one(&provider_user.db)
            .await
            .unwrap()
            .unwrap();
        serde_json::json!({"name": p.name, "email": p.email})
    };
    assert_eq!(
        api,
        serde_json::json!({"name": "Eigen Zorg", "email": "nieuw@eigen.example"})
    );
}
