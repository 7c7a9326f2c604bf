//! API.md "Visits", the calendar feed: only an active inspector has one, and renewing the
//! secret address on `/account` kills the old one.
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use toezicht::db::entities::{audit_entry, user};
use toezicht::domain::role::Role;

use crate::calendar::{FEED, calendar_url, uid};
use crate::helpers::{TestApp, csrf_of, problem, sign_in_on_page};
use crate::ical;
use crate::visits::{plan, setup_with_provider};

#[tokio::test]
async fn only_an_active_inspector_has_a_feed() {
    let app = TestApp::spawn().await;
    let s = setup_with_provider(&app, "Thuiszorg Het Anker").await;
    let provider_user = app
        .add_user(
            "kwaliteit@anker.example",
            Role::Provider,
            None,
            Some(s.provider),
        )
        .await;
    let provider_token = app.token_for("kwaliteit@anker.example").await;
    assert_eq!(
        problem(app.get(FEED, Some(&provider_token)).await).await.0,
        403
    );
    let admin = app.admin_token().await;
    assert_eq!(problem(app.get(FEED, Some(&admin)).await).await.0, 403);
    assert_eq!(problem(app.get(FEED, None).await).await.0, 401);

    let mine = calendar_url(&app, &s.inspector).await;
    assert_eq!(app.client.get(&mine).send().await.unwrap().status(), 200);
    let provider_row = user::Entity::find_by_id(provider_user)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let unknown = format!("/calendar/{}.ics", toezicht::auth::tokens::new_token());
    for path in [
        unknown.as_str(),
        "/calendar/kort.ics",
        &format!("/calendar/{}.ics", provider_row.calendar_token),
        mine.trim_start_matches(&app.base_url)
            .trim_end_matches(".ics"),
    ] {
        assert_eq!(app.get(path, None).await.status(), 404, "{path}");
    }

    // A deactivated inspector's address stops working.
    let inspector = user::Entity::find()
        .filter(user::Column::Email.eq("toezicht.gg1106@ggd.example"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut row = inspector.into_active_model();
    row.active = Set(false);
    row.update(&app.db).await.unwrap();
    assert_eq!(app.client.get(&mine).send().await.unwrap().status(), 404);

    // A provider user has no address to renew.
    sign_in_on_page(&app, "kwaliteit@anker.example").await;
    let page = app.get("/account", None).await.text().await.unwrap();
    assert!(!page.contains("agenda-link"), "{page}");
    let csrf = csrf_of(&page);
    let response = app
        .client
        .post(app.url("/account/agenda-link"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let refusal = response.text().await.unwrap();
    assert!(refusal.contains("Uw rol geeft geen toegang"), "{refusal}");
}

#[tokio::test]
async fn a_new_calendar_link_replaces_the_old_one() {
    let app = TestApp::spawn().await;
    let s = setup_with_provider(&app, "Thuiszorg Het Anker").await;
    let visit = plan(
        &app,
        &s,
        "2026-12-08T09:00:00Z".into(),
        "2026-12-08T10:00:00Z".into(),
        true,
    )
    .await;
    let old = calendar_url(&app, &s.inspector).await;
    sign_in_on_page(&app, "toezicht.gg1106@ggd.example").await;
    let page = app.get("/account", None).await.text().await.unwrap();
    assert!(page.contains(&format!(r#"value="{old}""#)), "{page}");
    assert!(page.contains("Wie dit adres heeft, ziet uw bezoeken"));
    assert!(page.contains("Nieuwe agenda-link maken"));

    let renew = |csrf: Option<String>| {
        let form: Vec<(&str, String)> = csrf.map(|c| vec![("csrf_token", c)]).unwrap_or_default();
        app.client
            .post(app.url("/account/agenda-link"))
            .form(&form)
            .send()
    };
    assert_eq!(
        renew(None).await.unwrap().status(),
        403,
        "without the CSRF token"
    );
    assert_eq!(app.client.get(&old).send().await.unwrap().status(), 200);

    let response = renew(Some(csrf_of(&page))).await.unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, "/account?nieuwe-agenda-link=1");
    let page = app.get(&location, None).await.text().await.unwrap();
    assert!(
        page.contains("Er is een nieuwe agenda-link gemaakt."),
        "{page}"
    );
    let new = calendar_url(&app, &s.inspector).await;
    assert_ne!(new, old);
    assert!(page.contains(&format!(r#"value="{new}""#)));

    assert_eq!(
        app.client.get(&old).send().await.unwrap().status(),
        404,
        "the old address is dead"
    );
    let response = app.client.get(&new).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let cal = ical::read(&response.text().await.unwrap()).await;
    assert_eq!(cal["events"][0]["uid"], uid(&visit));

    let entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("user.calendar_link_renewed"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].entity_id, s.inspector_id.as_str().unwrap());
    let token = new.rsplit('/').next().unwrap().trim_end_matches(".ics");
    assert!(
        !entries[0].changes.contains(token),
        "the audit log never holds the token"
    );
}
