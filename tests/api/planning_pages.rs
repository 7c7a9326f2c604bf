//! `/regio/{code}/planning`: the proposal as a page and one-click planning of a visit.
use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use toezicht::db::entities::{visit, visit_inspector};
use toezicht::domain::role::Role;
use toezicht::domain::working_days::is_working_day;
use uuid::Uuid;

use crate::helpers::{TestApp, csrf_of, sign_in_on_page};
use crate::planning::{TWENTE, at, seed};

#[tokio::test]
async fn admins_get_a_link_to_the_planning_form_instead_of_a_button() {
    let r = seed().await;
    let app = &r.app;
    app.admin_token().await;
    // The page: admins get a link to the planning form instead of a button.
    sign_in_on_page(app, "beheer@ggd.example").await;
    let dashboard = app
        .get(&format!("/regio/{TWENTE}"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains(&format!(
        r#"href="/regio/{TWENTE}/planning">Planning voorstellen"#
    )));
    let page = app.get(&format!("/regio/{TWENTE}/planning"), None).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains(&format!("/bezoeken/nieuw?provider_id={}", r.never)),
        "{page}"
    );
    assert!(!page.contains("Inplannen"));
    let bad = app
        .get(&format!("/regio/{TWENTE}/planning?weeks=99"), None)
        .await;
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("Kies een heel getal van 1 tot en met 52.")
    );
    let response = app
        .client
        .post(app.url(&format!("/regio/{TWENTE}/planning/inplannen")))
        .form(&[
            ("csrf_token", csrf_of(&page).as_str()),
            ("provider_id", &r.never.to_string()),
            ("week_start", &r.from.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

async fn inplannen(
    app: &TestApp,
    csrf: &str,
    provider: Uuid,
    week: NaiveDate,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/regio/{TWENTE}/planning/inplannen")))
        .form(&[
            ("csrf_token", csrf),
            ("provider_id", &provider.to_string()),
            ("week_start", &week.to_string()),
            ("from", &week.to_string()),
            ("weeks", "2"),
            ("capacity_per_week", "2"),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn one_click_plans_a_morning_in_the_week_and_takes_the_next_free_day() {
    let r = seed().await;
    let app = &r.app;
    let email = "toezicht.twente@ggd.example";
    let inspector = app
        .add_user(email, Role::Inspector, Some(TWENTE), None)
        .await;
    sign_in_on_page(app, email).await;
    let page = app
        .get(
            &format!(
                "/regio/{TWENTE}/planning?from={}&weeks=2&capacity_per_week=2",
                r.from
            ),
            None,
        )
        .await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Inplannen"));
    assert!(page.contains("Nog nooit bezocht"));
    let csrf = csrf_of(&page);

    let week = r.from + Duration::weeks(1);
    let days: Vec<NaiveDate> = (0..5)
        .map(|i| week + Duration::days(i))
        .filter(|d| is_working_day(*d))
        .collect();
    let mut providers = vec![r.calm, r.risky, r.never, r.due_soon, r.planned];
    for i in 0..days.len().saturating_sub(providers.len()) + 1 {
        providers.push(
            app.insert_provider(&format!("Extra {i}"), "GM0153", TWENTE)
                .await,
        );
    }
    for (day, provider) in days.iter().zip(&providers) {
        let response = inplannen(app, &csrf, *provider, week).await;
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        let id: Uuid = location
            .trim_start_matches("/bezoeken/")
            .trim_end_matches("?melding=gepland")
            .parse()
            .unwrap();
        let made = visit::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (made.provider_id, made.starts_at, made.ends_at),
            (*provider, at(*day, 9), at(*day, 12))
        );
        assert_eq!(
            (made.status.as_str(), made.reason.as_str(), made.announced),
            ("gepland", "proactief", true)
        );
        let with = visit_inspector::Entity::find()
            .filter(visit_inspector::Column::VisitId.eq(id))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(
            with.iter().map(|l| l.inspector_id).collect::<Vec<_>>(),
            vec![inspector]
        );
    }
    // Every morning of the week is taken now.
    let full = inplannen(app, &csrf, providers[days.len()], week).await;
    assert_eq!(full.status(), 409);
    let text = full.text().await.unwrap();
    assert!(text.contains("heeft u geen vrije ochtend meer"), "{text}");
    // Another region's provider is not found.
    let elsewhere = app.insert_provider("Haagse Zorg", "GM0518", "GG7014").await;
    assert_eq!(inplannen(app, &csrf, elsewhere, week).await.status(), 404);
}
