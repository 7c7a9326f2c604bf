//! The visit pages as an inspector uses them: planning on a form, the week and the list, the
//! visit with the previous visit beside it, scoring criterion by criterion, completing, and
//! planning a heronderzoek from the report's open improvement points.
use chrono::{Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;
use reqwest::header::LOCATION;
use serde_json::{Value, json};
use toezicht::domain::role::Role;
use uuid::Uuid;

use crate::helpers::{TestApp, csrf_of, sign_in_on_page};

const INSPECTOR: &str = "toezicht@ggd.example";

struct Pages {
    app: TestApp,
    inspector_id: Uuid,
    provider: Uuid,
    csrf: String,
}

async fn signed_in() -> Pages {
    let app = TestApp::spawn().await;
    let provider = app
        .insert_provider("Thuiszorg Het Anker", "GM0153", "GG1106")
        .await;
    let inspector_id = app
        .add_user(INSPECTOR, Role::Inspector, Some("GG1106"), None)
        .await;
    sign_in_on_page(&app, INSPECTOR).await;
    let csrf = csrf_of(&page(&app, "/bezoeken/nieuw").await);
    Pages {
        app,
        inspector_id,
        provider,
        csrf,
    }
}

/// A JSON answer of the API to the bearer token.
async fn api(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get(path, Some(token)).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path, None).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

async fn post(p: &Pages, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
    let mut form: Vec<(&str, String)> = vec![("csrf_token", p.csrf.clone())];
    form.extend(fields.iter().cloned());
    p.app
        .client
        .post(p.app.url(path))
        .form(&form)
        .send()
        .await
        .unwrap()
}

/// A weekday some weeks ahead, in Dutch time, as the date input sends it.
fn future_day(weeks: i64) -> NaiveDate {
    let today = Utc::now().with_timezone(&Amsterdam).date_naive();
    let day = today + Duration::weeks(weeks);
    day - Duration::days(i64::from(day.weekday().num_days_from_monday())) + Duration::days(1)
}

fn plan_fields(p: &Pages, day: NaiveDate, from: &str, to: &str) -> Vec<(&'static str, String)> {
    vec![
        ("provider_id", p.provider.to_string()),
        ("date", day.format("%Y-%m-%d").to_string()),
        ("start_time", from.into()),
        ("end_time", to.into()),
        ("inspector_ids", p.inspector_id.to_string()),
        ("announced", "nee".into()),
        ("reason", "proactief".into()),
    ]
}

/// Plans on the form and returns the new visit's id.
async fn plan_on_page(p: &Pages, day: NaiveDate, from: &str, to: &str) -> String {
    let response = post(p, "/bezoeken/nieuw", &plan_fields(p, day, from, to)).await;
    assert_eq!(response.status(), 303, "planned");
    let location = response.headers()[LOCATION].to_str().unwrap().to_string();
    assert!(location.ends_with("?melding=gepland"), "{location}");
    location
        .trim_start_matches("/bezoeken/")
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn an_inspector_plans_on_the_form_and_finds_the_visit_in_week_and_list() {
    let p = signed_in().await;
    let form = page(&p.app, "/bezoeken/nieuw").await;
    assert!(
        form.contains("Thuiszorg Het Anker (Enschede)") || form.contains("Thuiszorg Het Anker (")
    );
    assert!(
        form.contains("Test inspector (ik)"),
        "the planner is offered first"
    );
    let day = future_day(2);
    let id = plan_on_page(&p, day, "10:00", "12:30").await;

    let detail = page(&p.app, &format!("/bezoeken/{id}?melding=gepland")).await;
    assert!(detail.contains("Het bezoek is gepland."));
    assert!(detail.contains("10:00–12:30"), "Dutch clock times");
    assert!(detail.contains("onaangekondigd"));
    assert!(detail.contains("Dit is het eerste uitgevoerde bezoek"));

    let week = page(&p.app, &format!("/bezoeken?week={day}")).await;
    assert!(
        week.contains("Thuiszorg Het Anker"),
        "in the week it falls in"
    );
    assert!(week.contains("dinsdag"));
    assert!(week.contains("1 bezoek deze week"));
    let this_week = page(&p.app, "/bezoeken").await;
    assert!(
        !this_week.contains(&format!("/bezoeken/{id}\"")),
        "not in this week"
    );
    let list = page(&p.app, "/bezoeken?view=list").await;
    assert!(
        list.contains(&format!("/bezoeken/{id}")),
        "upcoming in the list"
    );
    let past = page(&p.app, "/bezoeken?view=list&period=past").await;
    assert!(!past.contains(&format!("/bezoeken/{id}")));

    // The API agrees about the time: 10:00 Dutch time.
    let token = p.app.token_for(INSPECTOR).await;
    let visit: Value = api(&p.app, &token, &format!("/api/v1/visits/{id}")).await;
    let starts: chrono::DateTime<Utc> = visit["starts_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        starts
            .with_timezone(&Amsterdam)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        format!("{day} 10:00")
    );
    assert_eq!(visit["announced"], false);
}

#[tokio::test]
async fn a_double_booking_on_the_form_names_the_other_visit_and_plans_nothing() {
    let p = signed_in().await;
    let day = future_day(1);
    plan_on_page(&p, day, "09:00", "11:00").await;
    let response = post(
        &p,
        "/bezoeken/nieuw",
        &plan_fields(&p, day, "10:30", "12:00"),
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("al een bezoek: bij Thuiszorg Het Anker"),
        "names the clash"
    );
    assert!(html.contains(r#"value="10:30""#), "what was typed stays");
    let token = p.app.token_for(INSPECTOR).await;
    let all: Value = api(&p.app, &token, "/api/v1/visits").await;
    assert_eq!(all["total"], 1, "the second visit was not stored");
}

#[tokio::test]
async fn bad_times_and_choices_get_a_message_beside_the_field() {
    let p = signed_in().await;
    let mut fields = plan_fields(&p, future_day(1), "12:00", "11:00");
    fields.retain(|(k, _)| *k != "inspector_ids");
    let response = post(&p, "/bezoeken/nieuw", &fields).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Het einde moet na het begin liggen."));
    assert!(html.contains("Kies minstens één toezichthouder."));
    let response = post(
        &p,
        "/bezoeken/nieuw",
        &[
            ("date", "31-02-2027".into()),
            ("start_time", "negen".into()),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Kies de aanbieder die u bezoekt."));
    assert!(html.contains("Vul een bestaande datum in"));
    assert!(html.contains("Vul een tijd in als uren en minuten"));
    assert!(html.contains(r#"value="31-02-2027""#));
    let response = post(&p, "/bezoeken/nieuw", &[("date", "24-11-26".into())]).await;
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Schrijf het jaar met vier cijfers")
    );
    // A week far outside any calendar falls back to this week instead of failing.
    page(&p.app, "/bezoeken?week=-262143-01-01").await;
    page(&p.app, "/bezoeken?week=%2B262142-12-31").await;
}

#[tokio::test]
async fn rescheduling_and_cancelling_on_the_pages() {
    let p = signed_in().await;
    let day = future_day(3);
    let id = plan_on_page(&p, day, "09:00", "11:00").await;
    let edit = page(&p.app, &format!("/bezoeken/{id}/wijzigen")).await;
    assert!(
        edit.contains(r#"value="09:00""#),
        "the current time is filled in"
    );
    let response = post(
        &p,
        &format!("/bezoeken/{id}/wijzigen"),
        &[
            ("date", day.format("%d-%m-%Y").to_string()),
            ("start_time", "13.00".into()),
            ("end_time", "15:00".into()),
            ("inspector_ids", p.inspector_id.to_string()),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let detail = page(&p.app, &format!("/bezoeken/{id}?melding=gewijzigd")).await;
    assert!(detail.contains("13:00–15:00"));

    // Without the confirmation tick nothing happens.
    let response = post(&p, &format!("/bezoeken/{id}/annuleren"), &[]).await;
    assert_eq!(response.status(), 303);
    assert!(
        page(&p.app, &format!("/bezoeken/{id}"))
            .await
            .contains("<strong>Gepland</strong>")
    );
    let response = post(
        &p,
        &format!("/bezoeken/{id}/annuleren"),
        &[("confirm", "ja".into())],
    )
    .await;
    assert_eq!(response.status(), 303);
    let detail = page(&p.app, &format!("/bezoeken/{id}?melding=geannuleerd")).await;
    assert!(detail.contains("<strong>Geannuleerd</strong>"));
    assert!(!detail.contains("Bezoek annuleren"), "no actions left");
}

async fn save_one(
    p: &Pages,
    id: &str,
    criterion: &str,
    rating: &str,
    finding: &str,
) -> (u16, Value) {
    let response = post(
        p,
        &format!("/bezoeken/{id}/beoordeling/criterium"),
        &[
            ("criterion", criterion.into()),
            ("rating", rating.into()),
            ("finding", finding.into()),
        ],
    )
    .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// A visit planned on the form this morning (so it can be completed).
async fn visit_today(p: &Pages) -> String {
    let now = Utc::now().with_timezone(&Amsterdam);
    let start = now - Duration::hours(2);
    let end = now - Duration::hours(1);
    let token = p.app.token_for(INSPECTOR).await;
    let response = p
        .app
        .post_json(
            "/api/v1/visits",
            &json!({"provider_id": p.provider, "inspector_ids": [p.inspector_id], "starts_at": start.to_rfc3339(),
                    "ends_at": end.to_rfc3339(), "announced": true, "reason": "proactief"}),
            Some(&token),
        )
        .await;
    assert_eq!(response.status(), 201);
    let visit: Value = response.json().await.unwrap();
    visit["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_tablet_form_saves_each_criterion_and_keeps_what_is_stored() {
    let p = signed_in().await;
    let id = visit_today(&p).await;
    let form = page(&p.app, &format!("/bezoeken/{id}/beoordeling")).await;
    assert!(form.contains(r#"<script src="/static/assessment.js" defer>"#));
    assert!(form.contains(r#"name="rating_A1""#) && form.contains(r#"name="finding_C1""#));

    let (status, first) = save_one(&p, &id, "A1", "voldoet", "").await;
    assert_eq!(status, 200);
    assert_eq!(first["overall"], "100%");
    assert_eq!(
        first["themes"][0],
        json!({"theme": "A", "score": "100%", "assessed": 1})
    );
    let (status, again) = save_one(&p, &id, "A1", "voldoet", "").await;
    assert_eq!(
        (status, &again),
        (200, &first),
        "saving twice is saving once"
    );

    let (status, refused) = save_one(&p, &id, "A2", "voldoet_niet", " ").await;
    assert_eq!(status, 422);
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("Beschrijf wat u zag")
    );
    let (status, _) = save_one(&p, &id, "A2", "voldoet_deels", "Het rooster ontbreekt.").await;
    assert_eq!(status, 200);

    // A reload shows what the server has: the draft survives.
    let reloaded = page(&p.app, &format!("/bezoeken/{id}/beoordeling")).await;
    assert!(reloaded.contains(r#"name="rating_A1" value="voldoet" checked"#));
    assert!(reloaded.contains(r#"name="rating_A2" value="voldoet_deels" checked"#));
    assert!(reloaded.contains("Het rooster ontbreekt."));
    assert!(
        reloaded.contains(r#"id="overall-score">75%"#),
        "live score: (2+1)/4"
    );

    // The plain form (no script) refuses a missing finding beside the criterion, storing nothing.
    let response = post(
        &p,
        &format!("/bezoeken/{id}/beoordeling"),
        &[
            ("rating_A1", "voldoet_niet".into()),
            ("finding_A1", String::new()),
            ("rating_B1", "voldoet".into()),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("A1: Beschrijf wat u zag"));
    let token = p.app.token_for(INSPECTOR).await;
    let stored: Value = api(&p.app, &token, &format!("/api/v1/visits/{id}/assessment")).await;
    let response = post(
        &p,
        &format!("/bezoeken/{id}/beoordeling"),
        &[("finding_C1", "Plannen zijn verouderd.".into())],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("C1: Kies een oordeel bij deze bevinding."));
    assert!(
        html.contains("Plannen zijn verouderd."),
        "the finding stays"
    );
    assert_eq!(
        stored["ratings"].as_array().unwrap().len(),
        2,
        "B1 not half-written"
    );
    assert_eq!(stored["ratings"][0]["rating"], "voldoet");
}

#[tokio::test]
async fn completing_on_the_page_makes_a_report_and_a_heronderzoek_follows_its_points() {
    let p = signed_in().await;
    let id = visit_today(&p).await;
    save_one(&p, &id, "A1", "voldoet", "").await;
    let (status, _) = save_one(&p, &id, "B1", "voldoet_niet", "Geen meldcode aanwezig.").await;
    assert_eq!(status, 200);
    let detail = page(&p.app, &format!("/bezoeken/{id}")).await;
    assert!(detail.contains("Bezoek afronden"));
    let response = post(&p, &format!("/bezoeken/{id}/afronden"), &[]).await;
    assert_eq!(response.status(), 303);
    let detail = page(&p.app, &format!("/bezoeken/{id}?melding=afgerond")).await;
    assert!(detail.contains("Er is een concept-rapport gemaakt."));
    assert!(detail.contains("<strong>Concept</strong>"));
    assert!(
        detail.contains("Geen meldcode aanwezig."),
        "the improvement point"
    );
    assert!(
        !detail.contains("Heronderzoek plannen"),
        "not while the provider has not received the report"
    );
    let closed = page(&p.app, &format!("/bezoeken/{id}/beoordeling")).await;
    assert!(closed.contains("kan niet meer worden gewijzigd"));
    let (status, _) = save_one(&p, &id, "A1", "voldoet_niet", "te laat").await;
    assert_eq!(status, 409, "a completed visit stays as it was");

    let token = p.app.token_for(INSPECTOR).await;
    let reports: Value = api(&p.app, &token, &format!("/api/v1/visits/{id}")).await;
    assert_eq!(reports["status"], "uitgevoerd");
    let report_id = report_of(&p.app, &id).await;
    let mut fields = plan_fields(&p, future_day(6), "09:00", "10:00");
    fields.retain(|(k, _)| *k != "reason");
    fields.push(("reason", "heronderzoek".into()));
    fields.push(("report_id", report_id.to_string()));
    let response = post(&p, "/bezoeken/nieuw", &fields).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Dit rapport is nog een concept.")
    );
    mark_sent(&p.app, report_id).await;
    let detail = page(&p.app, &format!("/bezoeken/{id}")).await;
    assert!(detail.contains("Heronderzoek plannen"));
    let form = page(&p.app, &format!("/bezoeken/nieuw?report_id={report_id}")).await;
    assert!(form.contains("Te controleren verbeterpunten"));
    assert!(form.contains("Geen meldcode aanwezig."));
    assert!(form.contains(r#"value="heronderzoek" checked"#));
    let response = post(&p, "/bezoeken/nieuw", &fields).await;
    assert_eq!(response.status(), 303);
    let follow_up = response.headers()[LOCATION].to_str().unwrap().to_string();
    let follow_up_id = follow_up
        .trim_start_matches("/bezoeken/")
        .split('?')
        .next()
        .unwrap();
    let visit: Value = api(&p.app, &token, &format!("/api/v1/visits/{follow_up_id}")).await;
    assert_eq!(visit["reason"], "heronderzoek");
    assert_eq!(visit["improvement_point_ids"].as_array().unwrap().len(), 1);
    let assess = page(&p.app, &format!("/bezoeken/{follow_up_id}/beoordeling")).await;
    let b1 = assess.find("<strong>B1</strong>").unwrap();
    assert!(
        assess[b1..b1 + 200].contains("verbeterpunt controleren"),
        "the point to re-examine stands out"
    );
    assert_eq!(assess.matches("verbeterpunt controleren").count(), 1);
    let detail = page(&p.app, &follow_up).await;
    assert!(detail.contains("Te controleren verbeterpunten"));
    assert!(
        detail.contains("Vorig uitgevoerd bezoek"),
        "compared with the completed visit"
    );
    assert!(
        detail.contains("Geen meldcode aanwezig."),
        "the previous finding beside it"
    );

    // Through the API a follow-up must be a heronderzoek of this provider's report.
    let other = p
        .app
        .insert_provider("Zorg Elders", "GM0153", "GG1106")
        .await;
    let response = p
        .app
        .post_json(
            "/api/v1/visits",
            &json!({"provider_id": other, "inspector_ids": [p.inspector_id], "starts_at": "2030-01-08T09:00:00Z",
                    "ends_at": "2030-01-08T10:00:00Z", "announced": true, "reason": "heronderzoek", "report_id": report_id}),
            Some(&token),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "report_id");

    // Another region's inspector learns nothing of the report, not even through the hidden field.
    assert_eq!(post(&p, "/logout", &[]).await.status(), 303);
    p.app
        .add_user(
            "toezicht.haaglanden@ggd.example",
            Role::Inspector,
            Some("GG7014"),
            None,
        )
        .await;
    sign_in_on_page(&p.app, "toezicht.haaglanden@ggd.example").await;
    let form = page(&p.app, &format!("/bezoeken/nieuw?report_id={report_id}")).await;
    assert!(!form.contains("Geen meldcode aanwezig."));
    let response = post(
        &p,
        "/bezoeken/nieuw",
        &[
            ("report_id", report_id.to_string()),
            ("reason", "heronderzoek".into()),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(
        !response
            .text()
            .await
            .unwrap()
            .contains("Geen meldcode aanwezig.")
    );
}

/// Sending reports comes with the reports area; until then the test sets the status itself.
async fn mark_sent(app: &TestApp, report_id: Uuid) {
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let mut report = toezicht::db::entities::report::Entity::find_by_id(report_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    report.status = Set("verzonden".into());
    report.update(&app.db).await.unwrap();
}

async fn report_of(app: &TestApp, visit_id: &str) -> Uuid {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    toezicht::db::entities::report::Entity::find()
        .filter(
            toezicht::db::entities::report::Column::VisitId.eq(Uuid::parse_str(visit_id).unwrap()),
        )
        .one(&app.db)
        .await
        .unwrap()
        .expect("a report")
        .id
}

#[tokio::test]
async fn the_visit_pages_are_for_the_region_only() {
    let p = signed_in().await;
    let id = plan_on_page(&p, future_day(1), "09:00", "10:00").await;
    let provider_user = p
        .app
        .add_user(
            "kwaliteit@anker.example",
            Role::Provider,
            None,
            Some(p.provider),
        )
        .await;
    let _ = provider_user;
    p.app
        .add_user(
            "toezicht.haaglanden@ggd.example",
            Role::Inspector,
            Some("GG7014"),
            None,
        )
        .await;
    assert_eq!(post(&p, "/logout", &[]).await.status(), 303);
    sign_in_on_page(&p.app, "toezicht.haaglanden@ggd.example").await;
    assert_eq!(
        p.app.get(&format!("/bezoeken/{id}"), None).await.status(),
        404
    );
    assert_eq!(
        p.app
            .get(&format!("/bezoeken/{id}/beoordeling"), None)
            .await
            .status(),
        404
    );
    let agenda = page(&p.app, "/bezoeken?inspector_id=all&view=list").await;
    assert!(!agenda.contains("Thuiszorg Het Anker"));
    assert_eq!(post(&p, "/logout", &[]).await.status(), 303);
    sign_in_on_page(&p.app, "kwaliteit@anker.example").await;
    assert_eq!(p.app.get("/bezoeken", None).await.status(), 403);
    assert_eq!(
        p.app.get(&format!("/bezoeken/{id}"), None).await.status(),
        403
    );
}

/// Every endpoint and page a provider user can reach, for the unannounced-visit privacy rule.
async fn provider_view(app: &TestApp, token: &str, provider: Uuid) -> String {
    let mut seen = String::new();
    for path in [
        "/api/v1/visits".to_string(),
        "/api/v1/visits?status=gepland".to_string(),
        format!("/api/v1/visits?provider_id={provider}&from=2000-01-01&to=2100-01-01"),
        "/api/v1/visits?per_page=200".to_string(),
        format!("/api/v1/providers/{provider}"),
        "/api/v1/providers".to_string(),
        "/api/v1/me".to_string(),
    ] {
        let response = app.get(&path, Some(token)).await;
        assert_eq!(response.status(), 200, "{path}");
        seen.push_str(&response.text().await.unwrap());
    }
    seen
}

#[tokio::test]
async fn a_provider_learns_of_an_unannounced_visit_nowhere_until_it_has_taken_place() {
    let p = signed_in().await;
    let announced = plan_on_page(&p, future_day(2), "09:00", "10:00").await;
    // `plan_on_page` plans unannounced visits; make this one announced through the API instead.
    let token = p.app.token_for(INSPECTOR).await;
    p.app
        .client
        .patch(p.app.url(&format!("/api/v1/visits/{announced}")))
        .bearer_auth(&token)
        .json(&json!({"status": "geannuleerd"}))
        .send()
        .await
        .unwrap();
    let coming = {
        let response = p
            .app
            .post_json(
                "/api/v1/visits",
                &json!({"provider_id": p.provider, "inspector_ids": [p.inspector_id], "starts_at": "2031-03-04T09:00:00Z",
                        "ends_at": "2031-03-04T11:00:00Z", "announced": true, "reason": "proactief"}),
                Some(&token),
            )
            .await;
        assert_eq!(response.status(), 201);
        response.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let hidden_future = plan_on_page(&p, future_day(4), "13:00", "15:00").await;
    let hidden_past = visit_today(&p).await;
    p.app
        .client
        .patch(p.app.url(&format!("/api/v1/visits/{hidden_past}")))
        .bearer_auth(&token)
        .json(&json!({"inspector_ids": [p.inspector_id]}))
        .send()
        .await
        .unwrap();
    // visit_today plans announced visits; record this one as unannounced directly.
    {
        use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
        let id = Uuid::parse_str(&hidden_past).unwrap();
        let mut row = toezicht::db::entities::visit::Entity::find_by_id(id)
            .one(&p.app.db)
            .await
            .unwrap()
            .unwrap()
            .into_active_model();
        row.announced = Set(false);
        row.update(&p.app.db).await.unwrap();
    }
    save_one(&p, &hidden_past, "A1", "voldoet", "").await;

    p.app
        .add_user(
            "kwaliteit@anker.example",
            Role::Provider,
            None,
            Some(p.provider),
        )
        .await;
    let provider_token = p.app.token_for("kwaliteit@anker.example").await;
    let seen = provider_view(&p.app, &provider_token, p.provider).await;
    assert!(seen.contains(&coming), "the announced visit is there");
    for hidden in [&hidden_future, &hidden_past] {
        assert!(
            !seen.contains(hidden.as_str()),
            "unannounced {hidden} leaked"
        );
        for path in [
            format!("/api/v1/visits/{hidden}"),
            format!("/api/v1/visits/{hidden}/assessment"),
        ] {
            let status = p.app.get(&path, Some(&provider_token)).await.status();
            assert!(status == 404 || status == 403, "{path}: {status}");
        }
    }
    let feed = p
        .app
        .get("/api/v1/calendar.ics", Some(&provider_token))
        .await;
    assert_eq!(feed.status(), 403, "a provider has no calendar feed");
    let list: Value = api(&p.app, &provider_token, "/api/v1/visits").await;
    assert_eq!(list["total"], 1, "counts do not include it either");

    // The portal: the announced visit with its date, nothing of the others.
    assert_eq!(post(&p, "/logout", &[]).await.status(), 303);
    sign_in_on_page(&p.app, "kwaliteit@anker.example").await;
    let portal = page(&p.app, "/portaal").await;
    assert!(
        portal.contains("4 maart 2031"),
        "announced visit in the portal"
    );
    assert!(portal.contains("10:00–12:00"));
    let hidden_day = toezicht::domain::text::date_nl(future_day(4));
    assert!(
        !portal.contains(&hidden_day),
        "unannounced date {hidden_day} leaked"
    );
    assert!(
        !portal.contains("Laatst bezocht"),
        "no visit has taken place yet"
    );
    let register = page(&p.app, &format!("/aanbieders/{}", p.provider)).await;
    assert!(!register.contains(&hidden_day));

    // Once it has taken place, the provider may know.
    assert_eq!(post(&p, "/logout", &[]).await.status(), 303);
    sign_in_on_page(&p.app, INSPECTOR).await;
    let csrf = csrf_of(&page(&p.app, &format!("/bezoeken/{hidden_past}")).await);
    let response = p
        .app
        .client
        .post(p.app.url(&format!("/bezoeken/{hidden_past}/afronden")))
        .form(&[("csrf_token", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let seen = provider_view(&p.app, &provider_token, p.provider).await;
    assert!(seen.contains(&hidden_past), "completed: now visible");
    assert!(
        !seen.contains(&hidden_future),
        "the future one still is not"
    );
}

#[tokio::test]
async fn a_whole_assessment_with_long_findings_is_accepted() {
    let p = signed_in().await;
    let id = visit_today(&p).await;
    let form = page(&p.app, &format!("/bezoeken/{id}/beoordeling")).await;
    let codes: Vec<String> = form
        .match_indices(r#"name="rating_"#)
        .map(|(at, m)| form[at + m.len()..].split('"').next().unwrap().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(codes.len() >= 15, "every criterion: {codes:?}");
    let finding = "Uitgebreide bevinding met details. ".repeat(140); // ~4900 characters
    let mut fields: Vec<(&str, String)> = Vec::new();
    let names: Vec<(String, String)> = codes
        .iter()
        .map(|c| (format!("rating_{c}"), format!("finding_{c}")))
        .collect();
    for (rating, text) in &names {
        fields.push((rating.as_str(), "voldoet_deels".into()));
        fields.push((text.as_str(), finding.clone()));
    }
    let response = post(&p, &format!("/bezoeken/{id}/beoordeling"), &fields).await;
    assert_eq!(response.status(), 303, "more than 64 KiB, still one form");
    let token = p.app.token_for(INSPECTOR).await;
    let stored = api(&p.app, &token, &format!("/api/v1/visits/{id}/assessment")).await;
    assert_eq!(stored["ratings"].as_array().unwrap().len(), codes.len());
    assert_eq!(stored["overall_pct"], 50.0);
}

#[tokio::test]
async fn an_admin_can_narrow_the_agenda_to_one_inspector() {
    let p = signed_in().await;
    let day = future_day(1);
    let id = plan_on_page(&p, day, "09:00", "10:00").await;
    let other = p
        .app
        .add_user("collega@ggd.example", Role::Inspector, Some("GG1106"), None)
        .await;
    p.app
        .add_user("beheer@ggd.example", Role::Admin, None, None)
        .await;
    assert_eq!(post(&p, "/logout", &[]).await.status(), 303);
    sign_in_on_page(&p.app, "beheer@ggd.example").await;
    let everyone = page(&p.app, "/bezoeken?view=list").await;
    assert!(
        everyone.contains(&format!("/bezoeken/{id}")),
        "admins start with everyone"
    );
    let colleague = page(&p.app, &format!("/bezoeken?view=list&inspector_id={other}")).await;
    assert!(
        !colleague.contains(&format!("/bezoeken/{id}")),
        "the filter holds for admins"
    );
    let planner = page(
        &p.app,
        &format!("/bezoeken?view=list&inspector_id={}", p.inspector_id),
    )
    .await;
    assert!(planner.contains(&format!("/bezoeken/{id}")));
}

#[tokio::test]
async fn a_provider_reads_a_visit_after_a_signal_as_a_routine_visit() {
    let p = signed_in().await;
    let filed = crate::signals::file(&p.app, &crate::signals::signal_body(Some(p.provider))).await;
    let token = p.app.token_for(INSPECTOR).await;
    let list = api(
        &p.app,
        &token,
        &format!(
            "/api/v1/signals?reference={}",
            filed["reference"].as_str().unwrap()
        ),
    )
    .await;
    let signal_id = list["items"][0]["id"].clone();
    let response = p
        .app
        .post_json(
            "/api/v1/visits",
            &json!({"provider_id": p.provider, "inspector_ids": [p.inspector_id], "starts_at": "2031-05-06T08:00:00Z",
                    "ends_at": "2031-05-06T10:00:00Z", "announced": true, "reason": "signaal", "signal_ids": [signal_id]}),
            Some(&token),
        )
        .await;
    assert_eq!(response.status(), 201);
    let visit: Value = response.json().await.unwrap();
    let id = visit["id"].as_str().unwrap();
    assert_eq!(visit["reason"], "signaal", "the inspector sees why");

    p.app
        .add_user(
            "kwaliteit@anker.example",
            Role::Provider,
            None,
            Some(p.provider),
        )
        .await;
    let provider_token = p.app.token_for("kwaliteit@anker.example").await;
    let shown = api(&p.app, &provider_token, &format!("/api/v1/visits/{id}")).await;
    assert_eq!(shown["reason"], "proactief");
    assert_eq!(shown["signal_ids"], json!([]));
    let listed = api(&p.app, &provider_token, "/api/v1/visits").await;
    assert_eq!(listed["items"][0]["reason"], "proactief");
    assert_eq!(listed["items"][0]["signal_ids"], json!([]));
    // The reporter's confirmation and the provider's announcement.
    let mails = p.app.smtp.wait_for(2).await;
    let mail = mails
        .iter()
        .find(|m| m.rcpt_to == ["info@aanbieder.example"])
        .expect("the announcement");
    let text = mail.part("text/plain").unwrap();
    assert!(text.contains("Reden: Toezichtbezoek"), "{text}");
    assert!(!text.to_lowercase().contains("melding"));
}
