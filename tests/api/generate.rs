//! `demo-data --scale small`: the generated data set has the scale's counts, the same seed gives
//! the same rows, a second run is refused, and the application works on the result.
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::{Value, json};
use toezicht::db::entities::{provider, report, signal, user, visit, visit_rating};
use toezicht::db::generate::{Scale, generate};

use crate::helpers::{TestApp, TestDb};

const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();

/// Providers' names, KvK numbers and municipalities and the signals' references, in a fixed
/// order: what two runs with the same seed must agree on.
async fn fingerprint(db: &DatabaseConnection) -> Vec<String> {
    let mut out: Vec<String> = provider::Entity::find()
        .order_by_asc(provider::Column::KvkNumber)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| {
            format!(
                "{}|{}|{}|{}",
                p.id, p.name, p.kvk_number, p.municipality_code
            )
        })
        .collect();
    let signals = signal::Entity::find()
        .order_by_asc(signal::Column::Reference)
        .all(db)
        .await
        .unwrap();
    out.extend(
        signals
            .iter()
            .map(|s| format!("{}|{}|{}", s.reference, s.status, s.category)),
    );
    out
}

async fn distinct(db: &DatabaseConnection, column: signal::Column) -> usize {
    signal::Entity::find()
        .select_only()
        .column(column)
        .distinct()
        .into_tuple::<String>()
        .all(db)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn the_small_scale_is_complete_reproducible_and_usable() {
    let app = TestApp::spawn().await;
    let summary = generate(&app.db, Scale::SMALL, 42, TODAY).await.unwrap();
    let db = &app.db;
    let scale = Scale::SMALL;
    assert_eq!(
        provider::Entity::find().count(db).await.unwrap(),
        scale.providers as u64
    );
    assert_eq!(
        visit::Entity::find().count(db).await.unwrap(),
        scale.visits as u64
    );
    assert_eq!(
        report::Entity::find().count(db).await.unwrap(),
        scale.reports as u64
    );
    assert_eq!(
        signal::Entity::find().count(db).await.unwrap(),
        scale.signals as u64
    );
    assert_eq!(
        user::Entity::find().count(db).await.unwrap(),
        scale.users as u64
    );
    // Every criterion (16 in the seeded framework) rated at every completed visit.
    let completed = visit::Entity::find()
        .filter(visit::Column::Status.eq("uitgevoerd"))
        .count(db)
        .await
        .unwrap();
    assert!(completed > scale.visits as u64 * 9 / 10, "{completed}");
    let ratings = visit_rating::Entity::find().count(db).await.unwrap();
    assert_eq!(ratings, completed * 16);
    assert!(summary.rows.contains(&("visit_ratings", ratings)));
    assert_eq!(
        distinct(db, signal::Column::Status).await,
        5,
        "every status"
    );
    assert_eq!(
        distinct(db, signal::Column::Category).await,
        7,
        "every category"
    );
    let kvk: Vec<String> = fingerprint(db).await[..scale.providers]
        .iter()
        .map(|row| row.split('|').nth(2).unwrap().to_string())
        .collect();
    assert!(kvk.windows(2).all(|w| w[0] < w[1]), "unique KvK numbers");
    assert!(
        kvk.iter()
            .all(|k| k.len() == 8 && k.bytes().all(|b| b.is_ascii_digit()))
    );

    // A second run on the same database is refused; the same seed elsewhere gives the same rows.
    let again = generate(db, Scale::SMALL, 42, TODAY).await;
    assert!(again.is_err(), "a database with providers is refused");
    let other = TestDb::create().await;
    let second = toezicht::db::connect(&other.url).await.unwrap();
    toezicht::db::migrate(&second).await.unwrap();
    generate(&second, Scale::SMALL, 42, TODAY).await.unwrap();
    assert!(
        fingerprint(db).await == fingerprint(&second).await,
        "same seed, same data"
    );
    second.close().await.ok();

    // The generated users sign in with the one shared password, and the app works on the data.
    let response = app
        .post_json(
            "/api/v1/session",
            &json!({"email": "beheerder0@ggd.example", "password": toezicht::db::demo::DEMO_PASSWORD}),
            None,
        )
        .await;
    assert_eq!(response.status(), 201);
    let token = response.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    for path in [
        "/api/v1/regions/GG1106/dashboard",
        "/api/v1/signals",
        "/api/v1/providers",
        "/api/v1/reports",
        "/api/v1/visits",
    ] {
        let response = app.get(path, Some(&token)).await;
        assert_eq!(response.status(), 200, "{path}");
    }
    // New signals continue the year's numbering after the generated ones.
    // On PostgreSQL from the year's sequence, which starts after the generated numbers.
    let next = toezicht::signals::reference::next(db, 2026).await.unwrap();
    let taken = signal::Entity::find()
        .filter(signal::Column::Reference.eq(next.as_str()))
        .count(db)
        .await
        .unwrap();
    assert_eq!(taken, 0, "{next} is free");
}
