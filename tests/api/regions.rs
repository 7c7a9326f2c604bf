//! API.md "Regions" and the supervising-region override (DOMAIN.md "Regions in practice").
use std::collections::HashSet;

use sea_orm::EntityTrait;
use serde_json::{Value, json};
use toezicht::db::entities::provider;

use crate::helpers::{TestApp, problem};

async fn regions(app: &TestApp) -> Vec<Value> {
    let response = app.get("/api/v1/regions", None).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn region<'a>(all: &'a [Value], code: &str) -> &'a Value {
    all.iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("region {code}"))
}

fn names(region: &Value) -> Vec<String> {
    region["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn lists_25_regions_and_342_municipalities_publicly() {
    let app = TestApp::spawn().await;
    let all = regions(&app).await;
    assert_eq!(all.len(), 25);
    let codes: Vec<&str> = all
        .iter()
        .flat_map(|r| r["municipalities"].as_array().unwrap())
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 342);
    assert_eq!(
        codes.iter().collect::<HashSet<_>>().len(),
        342,
        "each municipality once"
    );

    let twente = region(&all, "GG1106");
    assert_eq!(twente["name"], "GGD Twente");
    assert_eq!(names(twente).len(), 14);
    assert_eq!(
        twente["municipalities"][0],
        json!({"code": "GM0141", "name": "Almelo", "province": "Overijssel", "cbs_region_code": "GG1106"})
    );
    assert_eq!(names(twente).last().unwrap(), "Wierden");
    let haaglanden = region(&all, "GG7014");
    assert_eq!(names(haaglanden).len(), 9);
    assert!(names(haaglanden).contains(&"Zoetermeer".to_string()));
    assert_eq!(names(region(&all, "GG3406")).len(), 6);
}

#[tokio::test]
async fn an_admin_can_let_another_region_supervise_a_municipality() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let provider_id = app
        .insert_provider("Zorg aan Huis Bleiswijk", "GM1621", "GG4607")
        .await;

    let response = app
        .client
        .put(app.url("/api/v1/municipalities/GM1621/supervising-region"))
        .bearer_auth(&admin)
        .json(&json!({"region_code": "GG7014"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["name"], "Lansingerland");
    assert_eq!(body["cbs_region_code"], "GG4607");
    assert_eq!(body["supervising_region_code"], "GG7014");
    assert_eq!(body["region_code"], "GG7014");

    let all = regions(&app).await;
    assert!(names(region(&all, "GG7014")).contains(&"Lansingerland".to_string()));
    assert_eq!(names(region(&all, "GG7014")).len(), 10);
    assert_eq!(names(region(&all, "GG4607")).len(), 12);
    let moved = provider::Entity::find_by_id(provider_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        moved.region_code, "GG7014",
        "the municipality's providers move along"
    );

    // Reloading the reference data keeps the override.
    toezicht::db::migrate(&app.db).await.unwrap();
    assert_eq!(names(region(&regions(&app).await, "GG7014")).len(), 10);

    // Back to the CBS region.
    let response = app
        .client
        .put(app.url("/api/v1/municipalities/GM1621/supervising-region"))
        .bearer_auth(&admin)
        .json(&json!({"region_code": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(names(region(&regions(&app).await, "GG7014")).len(), 9);
    let back = provider::Entity::find_by_id(provider_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.region_code, "GG4607");
}

#[tokio::test]
async fn only_admins_may_override_and_bad_codes_are_refused() {
    let app = TestApp::spawn().await;
    let path = "/api/v1/municipalities/GM1621/supervising-region";
    let body = json!({"region_code": "GG7014"});
    let anonymous = app
        .client
        .put(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(anonymous).await.0, 401);
    let inspector = app.inspector_token("GG7014").await;
    let response = app
        .client
        .put(app.url(path))
        .bearer_auth(&inspector)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(response).await.0, 403);

    let admin = app.admin_token().await;
    let response = app
        .client
        .put(app.url("/api/v1/municipalities/GM9999/supervising-region"))
        .bearer_auth(&admin)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(response).await.0, 404);
    let response = app
        .client
        .put(app.url(path))
        .bearer_auth(&admin)
        .json(&json!({"region_code": "GG0000"}))
        .send()
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["field"], "region_code");
    // Nothing changed.
    assert_eq!(names(region(&regions(&app).await, "GG7014")).len(), 9);
}
