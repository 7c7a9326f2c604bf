//! The CSV exports of `/bezoeken`, `/meldingen` and `/rapporten` (staff, their region, the list's
//! filters, no special category data, formulas neutralised) and the public open-data scores.
use chrono::Utc;
use serde_json::{Value, json};
use toezicht::domain::role::Role;
use toezicht::domain::working_days::dutch_date;

use crate::helpers::TestApp;

mod reports;

/// The rows of a CSV download, after checking it is one (`;`, BOM, attachment).
pub(crate) async fn sheet(app: &TestApp, path: &str, token: Option<&str>) -> Vec<Vec<String>> {
    let response = app.get(path, token).await;
    assert_eq!(response.status(), 200, "{path}");
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    let body = response.bytes().await.unwrap();
    let text = body.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(text)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A page's HTML with handlebars' escapes of `=` and `&` undone, to find links in it.
async fn page_of(app: &TestApp, path: &str, token: &str) -> String {
    let html = app.get(path, Some(token)).await.text().await.unwrap();
    html.replace("&#x3D;", "=").replace("&amp;", "&")
}

async fn staff(
    app: &TestApp,
    email: &str,
    role: Role,
    region: Option<&str>,
) -> (uuid::Uuid, String) {
    let id = app.add_user(email, role, region, None).await;
    (id, app.token_for(email).await)
}

#[tokio::test]
async fn visit_export_applies_the_agenda_filters_within_the_region() {
    let app = TestApp::spawn().await;
    let formula = app.insert_provider("=1+1 Zorg", "GM0153", "GG1106").await;
    let other = app.insert_provider("Het Anker", "GM0153", "GG1106").await;
    let (inspector_id, inspector) =
        staff(&app, "a@ggd.example", Role::Inspector, Some("GG1106")).await;
    for (provider, day, announced) in [(formula, "15", false), (other, "16", true)] {
        let response = app
            .post_json(
                "/api/v1/visits",
                &json!({"provider_id": provider, "inspector_ids": [inspector_id], "announced": announced,
                        "reason": "proactief", "starts_at": format!("2030-01-{day}T09:00:00Z"),
                        "ends_at": format!("2030-01-{day}T11:00:00Z")}),
                Some(&inspector),
            )
            .await;
        assert_eq!(response.status(), 201);
    }
    let rows = sheet(
        &app,
        &format!("/bezoeken/export.csv?view=list&inspector_id=all&provider_id={formula}"),
        Some(&inspector),
    )
    .await;
    assert_eq!(
        rows[0],
        [
            "datum",
            "begin",
            "einde",
            "aanbieder",
            "toezichthouders",
            "aangekondigd",
            "aanleiding",
            "status"
        ]
    );
    // Winter time: 09:00 UTC is 10:00 in Amsterdam; the formula is shown as text.
    assert_eq!(
        rows[1],
        [
            "2030-01-15",
            "10:00",
            "12:00",
            "'=1+1 Zorg",
            "Test inspector",
            "nee",
            "proactief",
            "gepland"
        ]
    );
    assert_eq!(rows.len(), 2);
    let all = sheet(
        &app,
        "/bezoeken/export.csv?view=list&inspector_id=all",
        Some(&inspector),
    )
    .await;
    assert_eq!(all.len(), 3);
    // The list page links to the export of what it shows.
    let page = page_of(
        &app,
        &format!("/bezoeken?view=list&inspector_id=all&provider_id={formula}&page=1"),
        &inspector,
    )
    .await;
    let link =
        format!("href=\"/bezoeken/export.csv?view=list&inspector_id=all&provider_id={formula}\"");
    assert!(page.contains(&link), "{page}");
    let (_, haaglanden) = staff(&app, "b@ggd.example", Role::Inspector, Some("GG7014")).await;
    let theirs = sheet(
        &app,
        "/bezoeken/export.csv?view=list&inspector_id=all",
        Some(&haaglanden),
    )
    .await;
    assert_eq!(theirs.len(), 1, "only the header for another region");
    app.add_user("p@zorg.example", Role::Provider, None, Some(other))
        .await;
    let provider_user = app.token_for("p@zorg.example").await;
    let refused = app.get("/bezoeken/export.csv", Some(&provider_user)).await;
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn signal_export_has_the_filters_and_no_special_category_data() {
    let app = TestApp::spawn().await;
    let provider = app
        .insert_provider("Thuiszorg Noord", "GM0153", "GG1106")
        .await;
    let description = "Mijn moeder kreeg drie dagen geen medicatie en viel op de gang.";
    let created = app
        .post_json(
            "/api/v1/signals",
            &json!({"provider_id": provider, "category": "veiligheid", "description": description,
                    "reporter_role": "naaste", "anonymous": false, "contact_name": "Jan Jansen",
                    "contact_email": "jan.jansen@example.org"}),
            None,
        )
        .await;
    assert_eq!(created.status(), 201);
    let reference = created.json::<Value>().await.unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_string();
    let unknown = app
        .post_json(
            "/api/v1/signals",
            &json!({"provider_name": "@Zorg aan huis", "municipality_code": "GM0153", "category": "bejegening",
                    "description": "Er werd onvriendelijk tegen bewoners gesproken, al weken.",
                    "reporter_role": "medewerker", "anonymous": true}),
            None,
        )
        .await;
    assert_eq!(unknown.status(), 201);
    let (_, inspector) = staff(&app, "a@ggd.example", Role::Inspector, Some("GG1106")).await;

    let response = app.get("/meldingen/export.csv", Some(&inspector)).await;
    let body = response.text().await.unwrap();
    for secret in [
        description,
        "Jan Jansen",
        "jan.jansen@example.org",
        "naaste",
    ] {
        assert!(!body.contains(secret), "the export leaks {secret}");
    }
    let rows = sheet(&app, "/meldingen/export.csv", Some(&inspector)).await;
    assert_eq!(
        rows[0],
        [
            "referentie",
            "ontvangen",
            "aanbieder",
            "categorie",
            "prioriteit",
            "status",
            "triage_uiterlijk",
            "te_laat"
        ]
    );
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().any(|r| r[2] == "'@Zorg aan huis"), "{rows:?}");

    let rows = sheet(
        &app,
        "/meldingen/export.csv?category=veiligheid",
        Some(&inspector),
    )
    .await;
    assert_eq!(rows.len(), 2);
    let today = dutch_date(Utc::now());
    assert_eq!(
        rows[1][..6],
        [
            reference.as_str(),
            &today.format("%Y-%m-%d").to_string(),
            "Thuiszorg Noord",
            "veiligheid",
            "normaal",
            "ontvangen"
        ]
    );
    assert_eq!(rows[1][7], "nee");

    let (_, haaglanden) = staff(&app, "b@ggd.example", Role::Inspector, Some("GG7014")).await;
    assert_eq!(
        sheet(&app, "/meldingen/export.csv", Some(&haaglanden))
            .await
            .len(),
        1
    );
    app.add_user("p@zorg.example", Role::Provider, None, Some(provider))
        .await;
    let provider_user = app.token_for("p@zorg.example").await;
    assert_eq!(
        app.get("/meldingen/export.csv", Some(&provider_user))
            .await
            .status(),
        403
    );
    // The list page offers the export with its own filters.
    let page = page_of(&app, "/meldingen?category=veiligheid&page=1", &inspector).await;
    assert!(page.contains("href=\"/meldingen/export.csv?category=veiligheid\""));
}
