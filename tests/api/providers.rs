//! API.md "Providers": validation, duplicates, listing, scoping by role, updates and their audit.
use serde_json::{Value, json};
use toezicht::domain::role::Role;

use crate::helpers::{TestApp, problem};

pub fn provider_body(name: &str, kvk: &str, postcode: &str, municipality: &str) -> Value {
    json!({
        "name": name,
        "kvk_number": kvk,
        "email": "info@aanbieder.example",
        "phone": "053 480 1200",
        "address": {"street": "Lindenlaan", "house_number": "12a", "postcode": postcode, "city": "Enschede"},
        "municipality_code": municipality,
        "services": ["begeleiding", "dagbesteding"]
    })
}

async fn create(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.post_json("/api/v1/providers", body, Some(token)).await
}

async fn created_id(app: &TestApp, token: &str, body: &Value) -> String {
    let response = create(app, token, body).await;
    assert_eq!(response.status(), 201);
    let provider: Value = response.json().await.unwrap();
    provider["id"].as_str().unwrap().to_string()
}

async fn patch(app: &TestApp, token: &str, id: &str, body: &Value) -> reqwest::Response {
    app.client
        .patch(app.url(&format!("/api/v1/providers/{id}")))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_admin_adds_a_provider_and_gets_it_back_normalised() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let mut body = provider_body("Zorggroep De Linde", "6123 4570", "7522ab", "GM0153");
    body["agb_code"] = json!("98012345");
    let response = create(&app, &admin, &body).await;
    assert_eq!(response.status(), 201);
    let p: Value = response.json().await.unwrap();
    assert_eq!(p["name"], "Zorggroep De Linde");
    assert_eq!(p["kvk_number"], "61234570");
    assert_eq!(p["agb_code"], "98012345");
    assert_eq!(p["phone"], "0534801200");
    assert_eq!(
        p["address"],
        json!({"street": "Lindenlaan", "house_number": "12a", "postcode": "7522 AB", "city": "Enschede"})
    );
    assert_eq!(p["municipality_code"], "GM0153");
    assert_eq!(p["region_code"], "GG1106", "derived from the municipality");
    assert_eq!(p["services"], json!(["begeleiding", "dagbesteding"]));
    assert_eq!(p["contract_municipalities"], json!(["GM0153"]));
    assert_eq!(p["active"], true);
    assert!(p["id"].as_str().unwrap().len() == 36);
    assert!(p["created_at"].as_str().unwrap().ends_with('Z'));

    let shown: Value = app
        .get(
            &format!("/api/v1/providers/{}", p["id"].as_str().unwrap()),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["kvk_number"], "61234570");
}

#[tokio::test]
async fn who_may_add_providers() {
    let app = TestApp::spawn().await;
    let body = provider_body("Thuiszorg Twente", "12345678", "7511 AA", "GM0153");
    let anonymous = app.post_json("/api/v1/providers", &body, None).await;
    assert_eq!(problem(anonymous).await.0, 401);

    let twente = app.inspector_token("GG1106").await;
    assert_eq!(create(&app, &twente, &body).await.status(), 201);
    let elsewhere = provider_body("Haagse Hulp", "12345679", "2511 AA", "GM0518");
    let (status, body) = problem(create(&app, &twente, &elsewhere).await).await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["field"], "municipality_code");

    let provider_id = app
        .insert_provider("Eigen Aanbieder", "GM0153", "GG1106")
        .await;
    app.add_user(
        "aanbieder@eigen.example",
        Role::Provider,
        None,
        Some(provider_id),
    )
    .await;
    let provider_token = app.token_for("aanbieder@eigen.example").await;
    let body = provider_body("Nog Een", "12345670", "7511 AB", "GM0153");
    assert_eq!(
        problem(create(&app, &provider_token, &body).await).await.0,
        403
    );
}

#[tokio::test]
async fn each_invalid_field_is_named_with_a_dutch_message() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("kvk_number", json!("1234567"), "8 cijfers"),
        ("kvk_number", json!("1234567a"), "8 cijfers"),
        ("agb_code", json!("123"), "8 cijfers"),
        ("email", json!("geen-adres"), "naam@voorbeeld.nl"),
        ("phone", json!("12345"), "telefoonnummer"),
        ("municipality_code", json!("GM9999"), "Onbekende gemeente"),
        ("name", json!("  "), "naam"),
    ];
    for (field, value, message) in cases {
        let mut body = provider_body("Goede Zorg", "11112222", "7511 AA", "GM0153");
        body[field] = value.clone();
        let (status, problem_body) = problem(create(&app, &admin, &body).await).await;
        assert_eq!(status, 422, "{field}={value}");
        assert_eq!(problem_body["errors"][0]["field"], field, "{field}={value}");
        assert!(
            problem_body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(message),
            "{problem_body}"
        );
    }
    for (postcode, message) in [
        ("0123 AB", "niet met een 0"),
        ("1234 SA", "SA, SD of SS"),
        ("1234 SS", "SA, SD of SS"),
        ("1234", "1234 AB"),
    ] {
        let body = provider_body("Goede Zorg", "11112222", postcode, "GM0153");
        let (status, problem_body) = problem(create(&app, &admin, &body).await).await;
        assert_eq!(status, 422);
        assert_eq!(problem_body["errors"][0]["field"], "address.postcode");
        assert!(
            problem_body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(message),
            "{postcode}"
        );
    }
    let mut body = provider_body("Goede Zorg", "11112222", "7511 AA", "GM0153");
    body["services"] = json!([]);
    assert_eq!(
        problem(create(&app, &admin, &body).await).await.1["errors"][0]["field"],
        "services"
    );
    body["services"] = json!(["begeleiding", "thuiszorg"]);
    assert_eq!(
        problem(create(&app, &admin, &body).await).await.1["errors"][0]["field"],
        "services[1]"
    );
    body["services"] = json!(["begeleiding"]);
    body["address"]["house_number"] = json!("abc");
    assert_eq!(
        problem(create(&app, &admin, &body).await).await.1["errors"][0]["field"],
        "address.house_number"
    );
    body["address"].as_object_mut().unwrap().remove("postcode");
    let (status, missing) = problem(create(&app, &admin, &body).await).await;
    assert_eq!(status, 422);
    assert_eq!(missing["errors"][0]["field"], "address.postcode");

    // Nothing was stored by any of these.
    let list: Value = app
        .get("/api/v1/providers", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn the_same_kvk_at_the_same_postcode_is_a_conflict() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    created_id(
        &app,
        &admin,
        &provider_body("Vestiging Centrum", "55556666", "7511 AA", "GM0153"),
    )
    .await;
    let again = create(
        &app,
        &admin,
        &provider_body("Andere Naam", "5555 6666", "7511aa", "GM0153"),
    )
    .await;
    let (status, body) = problem(again).await;
    assert_eq!(status, 409);
    assert!(body["detail"].as_str().unwrap().contains("55556666"));
    // Another branch of the same company at another postcode is fine.
    created_id(
        &app,
        &admin,
        &provider_body("Vestiging Noord", "55556666", "7523 AB", "GM0153"),
    )
    .await;
}

#[tokio::test]
async fn the_list_is_sorted_by_name_searchable_filterable_and_paged() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let mut hengelo = provider_body("bloem Thuiszorg", "10000001", "7551 AA", "GM0164");
    hengelo["address"]["city"] = json!("Hengelo");
    hengelo["contract_municipalities"] = json!(["GM0164", "Enschede"]);
    created_id(&app, &admin, &hengelo).await;
    created_id(
        &app,
        &admin,
        &provider_body("Anker Zorg", "20000002", "7511 AA", "GM0153"),
    )
    .await;
    created_id(
        &app,
        &admin,
        &provider_body("Cura Dagbesteding", "30000003", "7511 AB", "GM0153"),
    )
    .await;
    let mut haag = provider_body("Duinzicht", "40000004", "2511 AA", "GM0518");
    haag["address"]["city"] = json!("Den Haag");
    created_id(&app, &admin, &haag).await;

    let names = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect()
    };
    let all: Value = app
        .get("/api/v1/providers", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        names(&all),
        [
            "Anker Zorg",
            "bloem Thuiszorg",
            "Cura Dagbesteding",
            "Duinzicht"
        ],
        "case-insensitive by name"
    );
    assert_eq!(
        (
            all["total"].clone(),
            all["page"].clone(),
            all["per_page"].clone()
        ),
        (json!(4), json!(1), json!(50))
    );
    // Each row with its contracts (sorted by code) and, for staff, its risk score: read in the
    // page's own statement.
    let bloem = &all["items"][1];
    assert_eq!(
        bloem["contract_municipalities"],
        json!(["GM0153", "GM0164"])
    );
    assert!(bloem["risk"]["score"].is_u64(), "{bloem}");
    assert_eq!(
        all["items"][0]["contract_municipalities"],
        json!(["GM0153"])
    );

    let get = |q: &str| {
        let app = &app;
        let admin = admin.clone();
        let q = q.to_string();
        async move {
            app.get(&format!("/api/v1/providers?{q}"), Some(&admin))
                .await
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        names(&get("q=zorg").await),
        ["Anker Zorg", "bloem Thuiszorg"]
    );
    assert_eq!(
        names(&get("q=3000").await),
        ["Cura Dagbesteding"],
        "KvK prefix"
    );
    assert_eq!(names(&get("q=hengelo").await), ["bloem Thuiszorg"], "city");
    assert_eq!(
        names(&get("q=THUISZ").await),
        ["bloem Thuiszorg"],
        "whatever the case of the search"
    );
    assert_eq!(
        names(&get("q=%25").await),
        Vec::<String>::new(),
        "a % is searched literally"
    );
    assert_eq!(
        names(&get("q=Anke_").await),
        Vec::<String>::new(),
        "an _ is searched literally, not as any one character"
    );
    assert_eq!(
        names(&get("q=HENGELO").await),
        ["bloem Thuiszorg"],
        "a city whatever the case"
    );
    assert_eq!(
        names(&get("municipality=GM0153").await),
        ["Anker Zorg", "bloem Thuiszorg", "Cura Dagbesteding"],
        "located in or contracted by"
    );
    assert_eq!(names(&get("region=GG7014").await), ["Duinzicht"]);
    let page2 = get("per_page=2&page=2").await;
    assert_eq!(names(&page2), ["Cura Dagbesteding", "Duinzicht"]);
    assert_eq!(
        (
            page2["total"].clone(),
            page2["page"].clone(),
            page2["per_page"].clone()
        ),
        (json!(4), json!(2), json!(2))
    );
    let past_the_end = get("per_page=2&page=3").await;
    assert_eq!(
        (past_the_end["items"].clone(), past_the_end["total"].clone()),
        (json!([]), json!(4)),
        "a page past the end still tells the total"
    );

    let (status, body) = problem(
        app.get("/api/v1/providers?per_page=500", Some(&admin))
            .await,
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (422, json!("per_page"))
    );
    let (status, body) = problem(app.get("/api/v1/providers?page=abc", Some(&admin)).await).await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (422, json!("page"))
    );
}

#[tokio::test]
async fn the_search_finds_a_percent_sign_underscore_and_backslash_as_written() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    for (name, kvk) in [
        ("Zorg 100% Thuis", "51000001"),
        ("Zorg 1000 Thuis", "51000002"),
        ("Hulp_Dichtbij", "51000003"),
        ("HulpXDichtbij", "51000004"),
        ("Wonen A\\B", "51000005"),
        ("Wonen AB", "51000006"),
    ] {
        created_id(&app, &admin, &provider_body(name, kvk, "7511 AA", "GM0153")).await;
    }
    let names = |q: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("q", q)
                .finish();
            let url = format!("/api/v1/providers?{query}");
            let page: Value = app.get(&url, Some(&admin)).await.json().await.unwrap();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(names("100%").await, ["Zorg 100% Thuis"], "% is no wildcard");
    assert_eq!(names("p_d").await, ["Hulp_Dichtbij"], "_ is no wildcard");
    assert_eq!(names("a\\b").await, ["Wonen A\\B"], "\\ is no escape");
}

#[tokio::test]
async fn inspectors_see_their_region_and_provider_users_only_themselves() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let twente_id = created_id(
        &app,
        &admin,
        &provider_body("Twentse Zorg", "10000001", "7511 AA", "GM0153"),
    )
    .await;
    let haag_id = created_id(
        &app,
        &admin,
        &provider_body("Haagse Zorg", "20000002", "2511 AA", "GM0518"),
    )
    .await;

    let twente = app.inspector_token("GG1106").await;
    let list: Value = app
        .get("/api/v1/providers", Some(&twente))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], twente_id.as_str());
    let across: Value = app
        .get("/api/v1/providers?region=GG7014", Some(&twente))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(across["total"], 0, "a region filter cannot widen the scope");
    assert_eq!(
        problem(
            app.get(&format!("/api/v1/providers/{haag_id}"), Some(&twente))
                .await
        )
        .await
        .0,
        404
    );
    assert_eq!(
        problem(patch(&app, &twente, &haag_id, &json!({"name": "Overgenomen"})).await)
            .await
            .0,
        404
    );

    app.add_user(
        "kwaliteit@twentsezorg.example",
        Role::Provider,
        None,
        Some(twente_id.parse().unwrap()),
    )
    .await;
    let own = app.token_for("kwaliteit@twentsezorg.example").await;
    let list: Value = app
        .get("/api/v1/providers", Some(&own))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], twente_id.as_str());
    assert_eq!(
        problem(
            app.get(&format!("/api/v1/providers/{haag_id}"), Some(&own))
                .await
        )
        .await
        .0,
        404
    );

    // Unknown and malformed ids look the same as forbidden ones.
    let unknown = uuid::Uuid::new_v4();
    assert_eq!(
        problem(
            app.get(&format!("/api/v1/providers/{unknown}"), Some(&admin))
                .await
        )
        .await
        .0,
        404
    );
    assert_eq!(
        problem(app.get("/api/v1/providers/geen-id", Some(&admin)).await)
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn a_provider_user_may_change_only_its_own_email_and_phone() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = created_id(
        &app,
        &admin,
        &provider_body("Twentse Zorg", "10000001", "7511 AA", "GM0153"),
    )
    .await;
    app.add_user(
        "kwaliteit@twentsezorg.example",
        Role::Provider,
        None,
        Some(id.parse().unwrap()),
    )
    .await;
    let own = app.token_for("kwaliteit@twentsezorg.example").await;

    let response = patch(
        &app,
        &own,
        &id,
        &json!({"email": "Kwaliteit@TwentseZorg.example", "phone": "06-12345678"}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let p: Value = response.json().await.unwrap();
    assert_eq!(
        (p["email"].clone(), p["phone"].clone()),
        (json!("kwaliteit@twentsezorg.example"), json!("0612345678"))
    );

    let (status, _) = problem(
        patch(
            &app,
            &own,
            &id,
            &json!({"email": "x@y.nl", "name": "Nieuwe Naam"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);
    let unchanged: Value = app
        .get(&format!("/api/v1/providers/{id}"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged["name"], "Twentse Zorg");
    assert_eq!(
        unchanged["email"], "kwaliteit@twentsezorg.example",
        "the refused patch changed nothing"
    );

    let (status, body) = problem(patch(&app, &own, &id, &json!({"phone": "bel me"})).await).await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (422, json!("phone"))
    );
}

#[tokio::test]
async fn updates_move_region_with_the_municipality_and_are_audited() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = created_id(
        &app,
        &admin,
        &provider_body("Zwervende Zorg", "10000001", "7511 AA", "GM0153"),
    )
    .await;

    let twente = app.inspector_token("GG1106").await;
    let (status, body) =
        problem(patch(&app, &twente, &id, &json!({"municipality_code": "GM0518"})).await).await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (422, json!("municipality_code"))
    );

    let response = patch(
        &app,
        &admin,
        &id,
        &json!({"municipality_code": "GM0518", "active": false, "agb_code": "98012345"}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let p: Value = response.json().await.unwrap();
    assert_eq!(
        (p["region_code"].clone(), p["active"].clone()),
        (json!("GG7014"), json!(false))
    );
    assert_eq!(
        p["contract_municipalities"],
        json!(["GM0153"]),
        "contracts stay as they were"
    );
    let cleared: Value = patch(&app, &admin, &id, &json!({"agb_code": null}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["agb_code"], Value::Null);

    let (status, _) = problem(
        patch(
            &app,
            &admin,
            &id,
            &json!({"address": {"postcode": "0000 AA"}}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);

    let entries = toezicht::audit::for_entity(&app.db, "provider", &id)
        .await
        .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["provider.updated", "provider.updated", "provider.created"],
        "newest first, refused changes absent"
    );
    let move_entry: Value = serde_json::from_str(&entries[1].changes).unwrap();
    assert_eq!(
        move_entry["region_code"],
        json!({"old": "GG1106", "new": "GG7014"})
    );
    assert_eq!(move_entry["active"], json!({"old": true, "new": false}));
    assert!(
        move_entry.get("name").is_none(),
        "unchanged fields are not listed"
    );
    assert_eq!(entries[1].actor_name, "Test admin");
}

#[tokio::test]
async fn the_public_lookup_shows_only_id_name_and_city_of_active_providers() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    created_id(
        &app,
        &admin,
        &provider_body("Zonnebloem Zorg", "10000001", "7511 AA", "GM0153"),
    )
    .await;
    let ended = created_id(
        &app,
        &admin,
        &provider_body("Zonnestraal Zorg", "20000002", "7511 AB", "GM0153"),
    )
    .await;
    assert_eq!(
        patch(&app, &admin, &ended, &json!({"active": false}))
            .await
            .status(),
        200
    );
    for i in 0..55 {
        created_id(
            &app,
            &admin,
            &provider_body(
                &format!("Hulp {i:02}"),
                &format!("3{i:07}"),
                "2511 AA",
                "GM0518",
            ),
        )
        .await;
    }
    let found: Value = app
        .get("/api/v1/public/providers?q=zonne", None)
        .await
        .json()
        .await
        .unwrap();
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1);
    let keys: Vec<&String> = found[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["city", "id", "name"]);
    assert_eq!(found[0]["name"], "Zonnebloem Zorg");
    let many: Value = app
        .get(
            "/api/v1/public/providers?q=hulp&municipality_code=GM0518",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(many.as_array().unwrap().len(), 50, "at most 50");
    let none: Value = app
        .get(
            "/api/v1/public/providers?q=hulp&municipality_code=GM0153",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none.as_array().unwrap().len(), 0);
}
