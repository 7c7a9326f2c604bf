//! API.md "Assessment framework" and DOMAIN.md "The seeded framework": reading the framework in
//! force, its versions, and publishing a new one.
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use toezicht::db::entities::framework_version;
use toezicht::domain::role::Role;

use crate::helpers::{TestApp, problem};

const SEED: &str = "Model toetsingskader Wmo v1";
const RATINGS: [&str; 5] = [
    "voldoet",
    "voldoet_deels",
    "voldoet_niet",
    "niet_beoordeeld",
    "nvt",
];

/// A small valid framework document named `name`.
pub fn document(name: &str) -> Value {
    json!({
        "version": name,
        "themes": [
            {"code": "A", "title": "Veilige ondersteuning", "legal_basis": "Wmo 2015 art. 3.1 lid 2a",
             "criteria": [
                {"code": "A1", "title": "medewerkers hebben een geldige VOG", "description": "Steekproef van dossiers."},
                {"code": "A2", "title": "er is een vluchtplan", "description": "Ontruimingsoefening."}
             ]},
            {"code": "G", "title": "Dagbesteding", "legal_basis": "Wmo 2015 art. 3.1 lid 2b",
             "criteria": [{"code": "G1", "title": "het programma past bij de cliënt", "description": ""}]}
        ]
    })
}

async fn get_json(app: &TestApp, path: &str, token: &str) -> Value {
    let response = app.get(path, Some(token)).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

async fn version_count(app: &TestApp) -> u64 {
    framework_version::Entity::find()
        .count(&app.db)
        .await
        .unwrap()
}

fn codes(items: &Value) -> Vec<&str> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["code"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_seeded_framework_is_the_one_of_the_domain() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let framework = get_json(&app, "/api/v1/framework", &token).await;
    assert_eq!(framework["version"], SEED);
    assert_eq!(framework["ratings"], json!(RATINGS));
    assert_eq!(framework["is_current"], true);
    let themes = &framework["themes"];
    assert_eq!(codes(themes), ["A", "B", "C", "D", "E", "F"]);
    let expected_themes = [
        (
            "Veilige ondersteuning",
            "Wmo 2015 art. 3.1 lid 2a, 3.4, 3.5",
        ),
        (
            "Meldcode huiselijk geweld en kindermishandeling",
            "Wmo 2015 art. 3.3",
        ),
        (
            "Doeltreffend, doelmatig en cliëntgericht",
            "Wmo 2015 art. 3.1 lid 2a",
        ),
        ("Professionele standaard", "Wmo 2015 art. 3.1 lid 2c"),
        (
            "Afgestemd op reële behoefte en andere zorg",
            "Wmo 2015 art. 3.1 lid 2b",
        ),
        ("Rechten van cliënten", "Wmo 2015 art. 3.1 lid 2d, 3.2"),
    ];
    for (theme, (title, legal_basis)) in themes.as_array().unwrap().iter().zip(expected_themes) {
        assert_eq!(theme["title"], title);
        assert_eq!(theme["legal_basis"], legal_basis);
    }
    let criteria: Vec<(&str, &str)> = themes
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["criteria"].as_array().unwrap())
        .map(|c| (c["code"].as_str().unwrap(), c["title"].as_str().unwrap()))
        .collect();
    assert_eq!(
        criteria,
        [
            ("A1", "medewerkers hebben een geldige VOG"),
            ("A2", "personele bezetting is voldoende en passend"),
            ("A3", "calamiteiten en geweld worden gemeld en geanalyseerd"),
            (
                "A4",
                "risico's in de (woon)omgeving zijn in kaart en beheerst"
            ),
            ("B1", "er is een meldcode vastgesteld"),
            (
                "B2",
                "een aandachtsfunctionaris is aangewezen en medewerkers kennen de meldcode"
            ),
            (
                "C1",
                "elke cliënt heeft een actueel ondersteuningsplan, met de cliënt opgesteld"
            ),
            ("C2", "bejegening is respectvol"),
            ("C3", "doelen worden periodiek geëvalueerd"),
            ("D1", "medewerkers zijn deskundig voor hun taak"),
            ("D2", "deskundigheid wordt onderhouden en bevorderd"),
            ("E1", "afstemming met andere zorg en ondersteuning"),
            ("E2", "cliënt en netwerk zijn betrokken"),
            ("F1", "er is een klachtenregeling"),
            ("F2", "medezeggenschap is geregeld"),
            ("F3", "cliëntgegevens worden vertrouwelijk behandeld"),
        ]
    );
    assert!(
        themes
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["criteria"].as_array().unwrap())
            .all(|c| c["description"].as_str().is_some_and(|d| !d.is_empty())),
        "every criterion says what the inspector looks at"
    );
}

#[tokio::test]
async fn every_signed_in_role_reads_the_framework_and_nobody_else() {
    let app = TestApp::spawn().await;
    for path in ["/api/v1/framework", "/api/v1/framework/versions"] {
        assert_eq!(problem(app.get(path, None).await).await.0, 401, "{path}");
    }
    let provider_id = app
        .insert_provider("Zorggroep De Linde", "GM0153", "GG1106")
        .await;
    app.add_user(
        "kwaliteit@delinde.example",
        Role::Provider,
        None,
        Some(provider_id),
    )
    .await;
    let tokens = [
        app.admin_token().await,
        app.inspector_token("GG1106").await,
        app.token_for("kwaliteit@delinde.example").await,
    ];
    for token in &tokens {
        let framework = get_json(&app, "/api/v1/framework", token).await;
        assert_eq!(framework["version"], SEED);
        let versions = get_json(&app, "/api/v1/framework/versions", token).await;
        assert_eq!(versions.as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn a_published_version_becomes_current_and_the_old_one_stays_as_it_was() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let seeded = get_json(&app, "/api/v1/framework", &admin).await;
    let seeded_id = seeded["id"].as_str().unwrap().to_string();

    let response = app
        .post_json(
            "/api/v1/framework/versions",
            &document("Toetsingskader 2027"),
            Some(&admin),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let created: Value = response.json().await.unwrap();
    assert_eq!(
        location,
        format!(
            "/api/v1/framework/versions/{}",
            created["id"].as_str().unwrap()
        )
    );
    assert_eq!(created["version"], "Toetsingskader 2027");
    assert_eq!(created["is_current"], true);
    assert_eq!(
        created["ratings"],
        json!(RATINGS),
        "standard scale when left out"
    );
    assert_eq!(codes(&created["themes"]), ["A", "G"]);

    let current = get_json(&app, "/api/v1/framework", &admin).await;
    assert_eq!(current, created);

    let old = get_json(
        &app,
        &format!("/api/v1/framework/versions/{seeded_id}"),
        &admin,
    )
    .await;
    let mut expected = seeded.clone();
    expected["is_current"] = json!(false);
    assert_eq!(old, expected, "the old version is unchanged");

    let versions = get_json(&app, "/api/v1/framework/versions", &admin).await;
    let listed: Vec<(&str, bool)> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_str().unwrap(),
                v["is_current"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(listed, [("Toetsingskader 2027", true), (SEED, false)]);

    // The same name again, in other case: a conflict, nothing stored.
    let response = app
        .post_json(
            "/api/v1/framework/versions",
            &document("toetsingskader 2027"),
            Some(&admin),
        )
        .await;
    let (status, body) = problem(response).await;
    assert_eq!(status, 409);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("Er bestaat al een versie met de naam")
    );
    assert_eq!(version_count(&app).await, 2);

    // A downloaded version, renamed, can be published again as it is.
    let mut again = current.clone();
    again["version"] = json!("Toetsingskader 2028");
    let response = app
        .post_json("/api/v1/framework/versions", &again, Some(&admin))
        .await;
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn only_admins_publish() {
    let app = TestApp::spawn().await;
    let path = "/api/v1/framework/versions";
    let body = document("Toetsingskader 2027");
    assert_eq!(problem(app.post_json(path, &body, None).await).await.0, 401);
    let inspector = app.inspector_token("GG1106").await;
    assert_eq!(
        problem(app.post_json(path, &body, Some(&inspector)).await)
            .await
            .0,
        403
    );
    // Refused for the role before the body is even read.
    assert_eq!(
        problem(app.post_json(path, &json!([]), Some(&inspector)).await)
            .await
            .0,
        403
    );
    assert_eq!(version_count(&app).await, 1);
}

/// A change that breaks one rule of a valid document.
type Change = Box<dyn Fn(&mut Value)>;

#[tokio::test]
async fn each_rule_names_the_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "empty name",
            Box::new(|d| d["version"] = json!(" ")),
            "version",
        ),
        (
            "long name",
            Box::new(|d| d["version"] = json!("x".repeat(201))),
            "version",
        ),
        ("no themes", Box::new(|d| d["themes"] = json!([])), "themes"),
        (
            "lower-case theme code",
            Box::new(|d| d["themes"][1]["code"] = json!("g")),
            "themes[1].code",
        ),
        (
            "duplicate theme code",
            Box::new(|d| {
                d["themes"][1]["code"] = json!("A");
                d["themes"][1]["criteria"][0]["code"] = json!("A3");
            }),
            "themes[1].code",
        ),
        (
            "criterion of another theme",
            Box::new(|d| d["themes"][1]["criteria"][0]["code"] = json!("A3")),
            "themes[1].criteria[0].code",
        ),
        (
            "duplicate criterion code",
            Box::new(|d| d["themes"][0]["criteria"][1]["code"] = json!("A1")),
            "themes[0].criteria[1].code",
        ),
        (
            "empty theme title",
            Box::new(|d| d["themes"][0]["title"] = json!("")),
            "themes[0].title",
        ),
        (
            "empty criterion title",
            Box::new(|d| d["themes"][1]["criteria"][0]["title"] = json!("")),
            "themes[1].criteria[0].title",
        ),
        (
            "theme without criteria",
            Box::new(|d| d["themes"][1]["criteria"] = json!([])),
            "themes[1].criteria",
        ),
        (
            "a rating missing",
            Box::new(|d| d["ratings"] = json!(["voldoet", "voldoet_niet"])),
            "ratings",
        ),
        (
            "an unknown rating",
            Box::new(|d| {
                d["ratings"] = json!([
                    "voldoet",
                    "voldoet_deels",
                    "voldoet_niet",
                    "niet_beoordeeld",
                    "nvt",
                    "uitstekend"
                ])
            }),
            "ratings[5]",
        ),
        (
            "a misspelt field",
            Box::new(|d| d["themes"][0]["legal_bass"] = json!("x")),
            "themes[0].legal_bass",
        ),
    ];
    for (case, change, field) in cases {
        let mut body = document("Toetsingskader 2027");
        change(&mut body);
        let response = app
            .post_json("/api/v1/framework/versions", &body, Some(&admin))
            .await;
        let (status, problem) = problem(response).await;
        assert_eq!(status, 422, "{case}");
        let errors = problem["errors"].as_array().unwrap();
        assert!(
            errors.iter().any(
                |e| e["field"] == field && e["message"].as_str().is_some_and(|m| !m.is_empty())
            ),
            "{case}: {errors:?}"
        );
    }

    // Several problems at once are all reported.
    let mut body = document("");
    body["themes"][0]["code"] = json!("a");
    body["themes"][1]["criteria"][0]["title"] = json!("");
    let (status, problem) = problem(
        app.post_json("/api/v1/framework/versions", &body, Some(&admin))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["version", "themes[0].code", "themes[1].criteria[0].title"]
    );

    assert_eq!(version_count(&app).await, 1, "nothing was stored");
    let current = get_json(&app, "/api/v1/framework", &admin).await;
    assert_eq!(current["version"], SEED);
}

#[tokio::test]
async fn an_unknown_version_is_not_found() {
    let app = TestApp::spawn().await;
    let token = app.inspector_token("GG1106").await;
    for id in ["6b0f6b0e-8d2c-4b8e-9d55-2f0a7c1e9a11", "geen-uuid"] {
        let response = app
            .get(&format!("/api/v1/framework/versions/{id}"), Some(&token))
            .await;
        assert_eq!(problem(response).await.0, 404, "{id}");
    }
}

#[tokio::test]
async fn migrating_again_keeps_one_seed_and_the_published_version_current() {
    let app = TestApp::spawn().await;
    toezicht::db::migrate(&app.db).await.unwrap();
    assert_eq!(version_count(&app).await, 1);

    let admin = app.admin_token().await;
    let response = app
        .post_json(
            "/api/v1/framework/versions",
            &document("Toetsingskader 2027"),
            Some(&admin),
        )
        .await;
    assert_eq!(response.status(), 201);
    toezicht::db::migrate(&app.db).await.unwrap();
    toezicht::db::migrate(&app.db).await.unwrap();

    assert_eq!(version_count(&app).await, 2);
    let current = get_json(&app, "/api/v1/framework", &admin).await;
    assert_eq!(current["version"], "Toetsingskader 2027");
    let doc = toezicht::framework::queries::current(&app.db)
        .await
        .unwrap();
    assert_eq!(doc.version, "Toetsingskader 2027");
    assert_eq!(
        doc.criterion("G1").map(|c| c.title.as_str()),
        Some("het programma past bij de cliënt")
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_framework_endpoints() {
    let app = TestApp::spawn().await;
    let doc: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    let paths = &doc["paths"];
    assert!(paths["/api/v1/framework"]["get"].is_object());
    assert!(paths["/api/v1/framework/versions"]["get"].is_object());
    assert!(paths["/api/v1/framework/versions"]["post"].is_object());
    assert!(paths["/api/v1/framework/versions/{id}"]["get"].is_object());
}
