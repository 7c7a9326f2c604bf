//! The demo data of `serve --demo` as its users meet it: three years of visits and reports in
//! both demo regions, an agenda for the coming weeks, loaded once.
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use chrono_tz::Europe::Amsterdam;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use toezicht::db::demo::{self, DEMO_PASSWORD, DEMO_PROVIDER_ID};
use toezicht::db::entities::{
    improvement_point, provider, report, visit, visit_inspector, visit_rating, visit_signal,
};

use crate::helpers::TestApp;

async fn sign_in(app: &TestApp, email: &str) -> String {
    let response = app
        .post_json(
            "/api/v1/session",
            &json!({"email": email, "password": DEMO_PASSWORD}),
            None,
        )
        .await;
    assert_eq!(response.status(), 201, "{email}");
    let body: Value = response.json().await.unwrap();
    body["token"].as_str().unwrap().to_string()
}

async fn visits(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let response = app
        .get(&format!("/api/v1/visits?per_page=200&{query}"), Some(token))
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}

fn at(visit: &Value, key: &str) -> DateTime<Utc> {
    visit[key].as_str().unwrap().parse().unwrap()
}

async fn row_counts(db: &DatabaseConnection) -> [u64; 6] {
    [
        visit::Entity::find().count(db).await.unwrap(),
        visit_inspector::Entity::find().count(db).await.unwrap(),
        visit_signal::Entity::find().count(db).await.unwrap(),
        visit_rating::Entity::find().count(db).await.unwrap(),
        report::Entity::find().count(db).await.unwrap(),
        improvement_point::Entity::find().count(db).await.unwrap(),
    ]
}

#[tokio::test]
async fn demo_visits_show_three_years_of_supervision_and_an_agenda() {
    let app = TestApp::spawn().await;
    demo::load(&app.db).await.expect("demo loads");
    let counts = row_counts(&app.db).await;
    demo::load(&app.db).await.expect("demo loads again");
    assert_eq!(
        row_counts(&app.db).await,
        counts,
        "loading twice adds nothing"
    );

    let now = Utc::now();
    let framework = toezicht::framework::queries::current(&app.db)
        .await
        .unwrap();
    let criteria = framework.criteria().count();
    for (email, region) in [
        ("toezichthouder.twente@toezicht.example", "GG1106"),
        ("toezichthouder.haaglanden@toezicht.example", "GG7014"),
    ] {
        let token = sign_in(&app, email).await;
        let done = visits(&app, &token, "status=uitgevoerd").await;
        assert!(
            done.len() >= 12,
            "{region}: {} completed visits",
            done.len()
        );
        assert!(done.iter().all(|v| v["region_code"] == region));
        let first = done.iter().map(|v| at(v, "starts_at")).min().unwrap();
        let last = done.iter().map(|v| at(v, "starts_at")).max().unwrap();
        assert!(
            last - first > Duration::days(913),
            "{region}: spread over > 2.5 years"
        );
        assert!(
            last < now && now - last < Duration::days(14),
            "{region}: a recent visit"
        );
        for v in &done {
            let (start, end) = (at(v, "starts_at"), at(v, "ends_at"));
            let (local, local_end) = (
                start.with_timezone(&Amsterdam),
                end.with_timezone(&Amsterdam),
            );
            assert!(!matches!(local.weekday(), Weekday::Sat | Weekday::Sun));
            assert!(local.hour() >= 9 && (local_end.hour(), local_end.minute()) <= (16, 0));
            assert!((2..=3).contains(&(end - start).num_hours()));
            assert_eq!(v["framework_version_id"], framework.id.to_string());
            let assessment: Value = app
                .get(
                    &format!("/api/v1/visits/{}/assessment", v["id"].as_str().unwrap()),
                    Some(&token),
                )
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(
                assessment["ratings"].as_array().unwrap().len(),
                criteria,
                "every criterion rated"
            );
        }
        let signal_visits = done.iter().filter(|v| v["reason"] == "signaal");
        assert!(signal_visits.clone().count() >= 1);
        assert!(
            signal_visits
                .clone()
                .any(|v| !v["signal_ids"].as_array().unwrap().is_empty())
        );
        assert!(done.iter().any(|v| v["reason"] == "heronderzoek"));
        assert!(done.iter().any(|v| v["announced"] == false));

        let planned = visits(&app, &token, "status=gepland").await;
        assert!(planned.len() >= 3, "{region}: an agenda");
        assert!(planned.iter().all(|v| {
            let start = at(v, "starts_at");
            start > now && start - now < Duration::days(32)
        }));
        assert!(planned.iter().any(|v| v["announced"] == false));
        let cancelled = visits(&app, &token, "status=geannuleerd").await;
        assert!(!cancelled.is_empty() && cancelled.iter().all(|v| at(v, "starts_at") < now));

        // The later dashboard's counts: never visited, and last visit over three years ago.
        let providers = provider::Entity::find()
            .filter(provider::Column::RegionCode.eq(region))
            .all(&app.db)
            .await
            .unwrap();
        let mut last_visit: BTreeMap<String, DateTime<Utc>> = BTreeMap::new();
        for v in &done {
            let entry = last_visit
                .entry(v["provider_id"].as_str().unwrap().to_string())
                .or_insert(at(v, "starts_at"));
            *entry = (*entry).max(at(v, "starts_at"));
        }
        let never = providers
            .iter()
            .filter(|p| !last_visit.contains_key(&p.id.to_string()))
            .count();
        let overdue = last_visit
            .values()
            .filter(|t| now - **t > Duration::days(3 * 365))
            .count();
        assert!((1..=4).contains(&never), "{region}: {never} never visited");
        assert!((1..=4).contains(&overdue), "{region}: {overdue} overdue");
    }

    // Every completed visit has its report; reports stand in every stage.
    let reports = report::Entity::find().all(&app.db).await.unwrap();
    let completed = visit::Entity::find()
        .filter(visit::Column::Status.eq("uitgevoerd"))
        .all(&app.db)
        .await
        .unwrap();
    let reported: BTreeSet<_> = reports.iter().map(|r| r.visit_id).collect();
    assert_eq!(reports.len(), completed.len());
    assert!(completed.iter().all(|v| reported.contains(&v.id)));
    let statuses: BTreeSet<_> = reports.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(
        statuses.into_iter().collect::<Vec<_>>(),
        ["concept", "definitief", "verzonden", "zienswijze_ontvangen"]
    );
    let today = toezicht::domain::working_days::dutch_date(now);
    let sent: Vec<_> = reports.iter().filter(|r| r.status == "verzonden").collect();
    assert!(
        sent.iter().any(|r| r.response_due.unwrap() < today),
        "one overdue"
    );
    assert!(
        sent.iter().any(|r| r.response_due.unwrap() >= today),
        "one still in time"
    );
    for r in reports.iter().filter(|r| r.status != "concept") {
        let sent_at = r.sent_at.unwrap();
        assert!(!r.summary.is_empty() && !r.advice.is_empty());
        assert_eq!(
            r.response_due.unwrap(),
            toezicht::domain::working_days::add_working_days(
                toezicht::domain::working_days::dutch_date(sent_at),
                10
            )
        );
        assert!(
            r.response_received_at
                .is_none_or(|t| t <= now && t > sent_at)
        );
        assert!(r.finalized_at.is_none_or(|t| t <= now));
    }
    let points = improvement_point::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        points
            .iter()
            .any(|p| p.status == "opgelost" && p.resolved_at.is_some_and(|t| t <= now))
    );
    assert!(
        points
            .iter()
            .any(|p| p.status == "open" && p.due_date < today),
        "an overdue point"
    );
    assert!(
        points
            .iter()
            .all(|p| p.description.contains(". Bevinding: "))
    );

    // No inspector is ever in two places at once.
    let links = visit_inspector::Entity::find().all(&app.db).await.unwrap();
    let all = visit::Entity::find().all(&app.db).await.unwrap();
    let by_id: BTreeMap<_, _> = all.iter().map(|v| (v.id, v)).collect();
    let mut diaries: BTreeMap<_, Vec<&visit::Model>> = BTreeMap::new();
    for link in &links {
        let v = by_id[&link.visit_id];
        if v.status != "geannuleerd" {
            diaries.entry(link.inspector_id).or_default().push(v);
        }
    }
    for diary in diaries.values_mut() {
        diary.sort_by_key(|v| v.starts_at);
        assert!(diary.windows(2).all(|w| w[0].ends_at <= w[1].starts_at));
    }

    // Zorggroep De Linde: three completed visits, each scoring better; an announced and an
    // unannounced visit ahead, of which its own user sees only the announced one.
    let twente = sign_in(&app, "toezichthouder.twente@toezicht.example").await;
    let linde = format!("provider_id={DEMO_PROVIDER_ID}");
    let mut done = visits(&app, &twente, &format!("{linde}&status=uitgevoerd")).await;
    assert_eq!(done.len(), 3);
    assert!(
        done.iter().any(|v| v["announced"] == false),
        "one came unannounced"
    );
    done.sort_by_key(|v| at(v, "starts_at"));
    let mut scores = Vec::new();
    for v in &done {
        let path = format!("/api/v1/visits/{}/assessment", v["id"].as_str().unwrap());
        let assessment: Value = app.get(&path, Some(&twente)).await.json().await.unwrap();
        scores.push(assessment["overall_pct"].as_f64().unwrap());
    }
    assert!(
        scores.windows(2).all(|w| w[0] < w[1]),
        "improving: {scores:?}"
    );
    let ahead = visits(&app, &twente, &format!("{linde}&status=gepland")).await;
    let announced: Vec<bool> = ahead
        .iter()
        .map(|v| v["announced"].as_bool().unwrap())
        .collect();
    assert!(
        announced.contains(&true) && announced.contains(&false),
        "{announced:?}"
    );
    let own = sign_in(&app, "kwaliteit@delinde.example").await;
    let seen = visits(&app, &own, "status=gepland").await;
    assert_eq!(seen.len(), announced.iter().filter(|a| **a).count());
    assert!(seen.iter().all(|v| v["announced"] == true));
}
