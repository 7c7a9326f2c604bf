//! The counts per region and Dutch calendar month that triggers keep for the dashboard
//! (migration 000019) are always what counting the rows themselves gives: after inserts, deletes
//! and changes, one row or many at once, and for moments on either side of a Dutch midnight.
use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use toezicht::dashboard::series::month_label;
use toezicht::db::entities::{signal, signal_month, theme_month, visit_theme_score};
use toezicht::domain::working_days::{dutch_date, dutch_midnight};

use crate::dashboard_fixtures::{days_ago, rate, signal_in, today, visit_at};
use crate::helpers::TestApp;

type Key = (String, String, String);

fn month_of(at: DateTime<Utc>) -> String {
    month_label(dutch_date(at))
}

/// Signals per (region, month, category), counted from the signals.
async fn recounted(app: &TestApp) -> BTreeMap<Key, i64> {
    let mut counts = BTreeMap::new();
    for s in signal::Entity::find().all(&app.db).await.unwrap() {
        *counts
            .entry((s.region_code, month_of(s.received_at), s.category))
            .or_default() += 1;
    }
    counts
}

/// The same as kept by the triggers (a count that went back to 0 may stay as a row).
async fn kept(app: &TestApp) -> BTreeMap<Key, i64> {
    signal_month::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|row| row.n != 0)
        .map(|row| ((row.region_code, row.month, row.category), i64::from(row.n)))
        .collect()
}

async fn assert_counts_agree(app: &TestApp, step: &str) {
    assert_eq!(kept(app).await, recounted(app).await, "{step}");
}

fn first_of(year: i32, month: u32) -> DateTime<Utc> {
    dutch_midnight(NaiveDate::from_ymd_opt(year, month, 1).unwrap())
}

#[tokio::test]
async fn signals_are_counted_per_region_dutch_month_and_category_whatever_changes() {
    let app = TestApp::spawn().await;
    let due = today();
    // Around the Dutch midnights that start April (summer time) and December (winter time).
    for (at, region, category) in [
        (first_of(2026, 4) - Duration::seconds(1), "GG1106", "geweld"),
        (first_of(2026, 4), "GG1106", "geweld"),
        (
            first_of(2026, 4) + Duration::hours(1),
            "GG1106",
            "bejegening",
        ),
        (
            first_of(2025, 12) - Duration::milliseconds(1),
            "GG7014",
            "overig",
        ),
        (first_of(2025, 12), "GG7014", "overig"),
        (days_ago(3), "GG7014", "calamiteit"),
        (days_ago(3), "GG1106", "calamiteit"),
    ] {
        signal_in(&app, region, "ontvangen", category, at, due).await;
    }
    assert_counts_agree(&app, "filed").await;
    let march = kept(&app).await;
    assert_eq!(
        march.get(&("GG1106".into(), "2026-03".into(), "geweld".into())),
        Some(&1),
        "a second before Dutch midnight is still March"
    );
    assert_eq!(
        march.get(&("GG1106".into(), "2026-04".into(), "geweld".into())),
        Some(&1)
    );

    let set = |column: signal::Column, value: &str| {
        signal::Entity::update_many().col_expr(column, Expr::value(value.to_string()))
    };
    // One row: another category, another moment (across a month), another region.
    set(signal::Column::Category, "veiligheid")
        .filter(signal::Column::Category.eq("bejegening"))
        .exec(&app.db)
        .await
        .unwrap();
    assert_counts_agree(&app, "category changed").await;
    signal::Entity::update_many()
        .col_expr(
            signal::Column::ReceivedAt,
            Expr::value(first_of(2026, 4) - Duration::days(2)),
        )
        .filter(signal::Column::Category.eq("veiligheid"))
        .exec(&app.db)
        .await
        .unwrap();
    assert_counts_agree(&app, "moved to March").await;
    // Many rows in one statement: every signal of a region moves (as when a provider does).
    set(signal::Column::RegionCode, "GG7014")
        .filter(signal::Column::RegionCode.eq("GG1106"))
        .exec(&app.db)
        .await
        .unwrap();
    assert_counts_agree(&app, "region moved").await;
    // A change of a column not counted leaves the counts alone.
    set(signal::Column::Status, "afgesloten")
        .exec(&app.db)
        .await
        .unwrap();
    assert_counts_agree(&app, "status changed").await;
    signal::Entity::delete_many()
        .filter(signal::Column::Category.eq("overig"))
        .exec(&app.db)
        .await
        .unwrap();
    assert_counts_agree(&app, "deleted").await;
}

/// Points and assessed criteria per (region, month, theme), from the visits' own totals (a theme
/// rated only `nvt` has 0 of 0, and a row all the same).
async fn theme_recount(app: &TestApp) -> BTreeMap<Key, (i64, i64)> {
    let mut sums = BTreeMap::new();
    for row in visit_theme_score::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
    {
        let entry: &mut (i64, i64) = sums
            .entry((row.region_code, month_of(row.starts_at), row.theme_code))
            .or_default();
        entry.0 += i64::from(row.points);
        entry.1 += i64::from(row.assessed);
    }
    sums
}

async fn theme_kept(app: &TestApp) -> BTreeMap<Key, (i64, i64)> {
    theme_month::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| {
            (
                (row.region_code, row.month, row.theme_code),
                (i64::from(row.points), i64::from(row.assessed)),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_scores_of_the_last_365_days_add_whole_months_and_the_days_at_the_edges() {
    let app = TestApp::spawn().await;
    let provider = app.insert_provider("Zorg Oost", "GM0153", "GG1106").await;
    // Just inside and just outside the 365 days, the last hour of last month, and today.
    let this_month = dutch_midnight(today().with_day(1).unwrap());
    for (starts, ratings) in [
        (days_ago(364), [("A1", "voldoet_niet"), ("B1", "voldoet")]),
        (days_ago(366), [("A1", "voldoet"), ("B1", "voldoet")]),
        (
            this_month - Duration::hours(1),
            [("A1", "voldoet_deels"), ("B1", "voldoet_niet")],
        ),
        (
            Utc::now() - Duration::minutes(5),
            [("A1", "voldoet"), ("B1", "voldoet_deels")],
        ),
        (days_ago(100), [("A1", "voldoet"), ("B1", "nvt")]),
    ] {
        let visit = visit_at(&app, provider, "GG1106", starts, "uitgevoerd").await;
        rate(&app, visit, &ratings).await;
    }
    assert_eq!(theme_kept(&app).await, theme_recount(&app).await);

    // The dashboard's scores are those of the visits of the last 365 days, counted directly.
    let (mut points, mut assessed) = (0u32, 0u32);
    let from = Utc::now() - Duration::days(365);
    for row in visit_theme_score::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
    {
        if row.starts_at >= from && row.starts_at < Utc::now() {
            points += row.points as u32;
            assessed += row.assessed as u32;
        }
    }
    let inspector = app.inspector_token("GG1106").await;
    let dashboard: Value = app
        .get("/api/v1/regions/GG1106/dashboard", Some(&inspector))
        .await
        .json()
        .await
        .unwrap();
    let expected = toezicht::visits::scoring::percentage(points, assessed).unwrap();
    assert_eq!(
        dashboard["scores"]["overall_pct"],
        serde_json::json!(expected)
    );
    assert_eq!(
        (points, assessed),
        (8, 7),
        "the visit of 366 days ago is out"
    );

    // Summaries written anew (as after bulk loading) keep the counts right.
    toezicht::visits::summaries::rebuild(&app.db).await.unwrap();
    assert_eq!(theme_kept(&app).await, theme_recount(&app).await);
}
