//! Kept risk scores (`risk::stored`, migration 000018): every change to an input of a
//! provider's score is logged by a trigger in the changing transaction, a logged or expired score
//! is never shown, and what the background task keeps is what computing from the inputs gives.
//! The apps here run without the background task, so the tests see what the triggers logged and
//! compute the kept scores themselves (`stored::refresh_all`, what the task does).
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use toezicht::db::entities::{provider, provider_risk, provider_risk_change, report, signal};
use toezicht::domain::working_days::dutch_date;
use toezicht::risk::inputs::{Selection, gather};
use toezicht::risk::score::Factor;
use toezicht::risk::validity::leaves_the_twelve_months;
use toezicht::risk::{self, Risk, RiskWeights, stored};
use uuid::Uuid;

use crate::helpers::{TestApp, sign_in_on_page};
use crate::reminder_fixtures::{point, report_of};
use crate::signals::{file, signal_body};

async fn spawn() -> TestApp {
    TestApp::spawn_with(|config| {
        config.risk_refresher = false;
        // The tests file more signals a minute than one reporter may.
        config.signal_rate_per_minute = 1000;
    })
    .await
}

/// The risk of `id` computed from its inputs now, nothing kept.
async fn live(app: &TestApp, id: Uuid) -> Risk {
    let (_, inputs) = gather(&app.db, &Selection::Ids(&[id]), Utc::now())
        .await
        .unwrap()
        .pop()
        .expect("the provider exists");
    risk::score(&inputs, &RiskWeights::default())
}

/// What the reads show: kept where usable, computed otherwise.
async fn shown(app: &TestApp, id: Uuid) -> Risk {
    risk::for_provider(&app.db, &RiskWeights::default(), id, Utc::now())
        .await
        .unwrap()
}

/// The providers with a change logged, sorted, each once.
async fn logged(app: &TestApp) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = provider_risk_change::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.provider_id)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Computes and keeps every score that needs it, as the background task does.
async fn refresh(app: &TestApp) {
    stored::refresh_all(&app.db, &RiskWeights::default())
        .await
        .unwrap();
    assert_eq!(
        logged(app).await,
        Vec::<Uuid>::new(),
        "the log is worked off"
    );
}

async fn kept(app: &TestApp, id: Uuid) -> provider_risk::Model {
    provider_risk::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("a row per provider")
}

/// The kept score of `id` is the computed one, with its explanation, and may be used.
async fn assert_kept_is_live(app: &TestApp, id: Uuid) {
    let row = kept(app, id).await;
    let risk = live(app, id).await;
    assert_eq!(row.score as u32, risk.score);
    let factors: Vec<Factor> = serde_json::from_str(&row.factors).unwrap();
    assert_eq!(risk.factors, factors);
    assert!(row.valid_until > Utc::now());
    assert_eq!(row.weights, stored::fingerprint(&RiskWeights::default()));
}

async fn signal_id(app: &TestApp, reference: &str) -> Uuid {
    signal::Entity::find()
        .filter(signal::Column::Reference.eq(reference))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

fn about(provider: Uuid, category: &str) -> serde_json::Value {
    let mut body = signal_body(Some(provider));
    body["category"] = json!(category);
    body
}

#[tokio::test]
async fn every_change_to_an_input_is_logged_and_shown_at_once() {
    let app = spawn().await;
    let a = app.insert_provider("Zorg Oost", "GM0153", "GG1106").await;
    let b = app
        .insert_provider("Begeleiding Noord", "GM0153", "GG1106")
        .await;
    assert_eq!(
        logged(&app).await,
        sorted([a, b]),
        "new providers are logged"
    );
    refresh(&app).await;
    assert_kept_is_live(&app, a).await;
    assert_eq!(shown(&app, a).await.score, 20, "never visited");

    // A signal filed: logged in the filing's transaction, shown at once, kept when computed.
    let first = file(&app, &about(a, "geweld")).await;
    assert_eq!(logged(&app).await, vec![a]);
    assert_eq!(shown(&app, a).await, live(&app, a).await);
    assert_eq!(shown(&app, a).await.score, 30);
    refresh(&app).await;
    assert_kept_is_live(&app, a).await;

    // Marked as a duplicate of another signal: it no longer counts.
    let second = file(&app, &about(a, "geweld")).await;
    refresh(&app).await;
    assert_eq!(shown(&app, a).await.score, 40);
    let (first, second) = (
        signal_id(&app, first["reference"].as_str().unwrap()).await,
        signal_id(&app, second["reference"].as_str().unwrap()).await,
    );
    signal::Entity::update_many()
        .col_expr(signal::Column::DuplicateOf, Expr::value(first))
        .filter(signal::Column::Id.eq(second))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(logged(&app).await, vec![a]);
    assert_eq!(shown(&app, a).await.score, 30);
    refresh(&app).await;
    assert_kept_is_live(&app, a).await;

    // A completed visit with a concept report: the last visit changes, the concept's points do
    // not count yet; sending the report makes its overdue point count.
    let today = dutch_date(Utc::now());
    let report_id = report_of(&app, b, today - Duration::days(30), "concept", None).await;
    toezicht::visits::summaries::rebuild(&app.db).await.unwrap();
    assert!(logged(&app).await.contains(&b), "the last visit");
    refresh(&app).await;
    point(
        &app,
        report_id,
        "A2",
        "Te laat",
        today - Duration::days(1),
        "open",
    )
    .await;
    assert_eq!(
        logged(&app).await,
        vec![b],
        "a point of the provider's report"
    );
    refresh(&app).await;
    let before = shown(&app, b).await.score;
    report::Entity::update_many()
        .col_expr(report::Column::Status, Expr::value("verzonden"))
        .filter(report::Column::Id.eq(report_id))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(logged(&app).await, vec![b], "the report's status");
    assert_eq!(
        shown(&app, b).await.score,
        before + 5,
        "its overdue point counts now"
    );
    refresh(&app).await;
    assert_kept_is_live(&app, b).await;

    // The provider's own services, and its region: the kept row follows the region.
    provider::Entity::update_many()
        .col_expr(
            provider::Column::Services,
            Expr::value(r#"["beschermd_wonen"]"#),
        )
        .filter(provider::Column::Id.eq(a))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(logged(&app).await, vec![a], "services");
    assert_eq!(shown(&app, a).await, live(&app, a).await);
    refresh(&app).await;
    provider::Entity::update_many()
        .col_expr(provider::Column::RegionCode, Expr::value("GG7014"))
        .filter(provider::Column::Id.eq(a))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(kept(&app, a).await.region_code, "GG7014");
    let haaglanden =
        risk::top_for_region(&app.db, &RiskWeights::default(), "GG7014", 10, Utc::now())
            .await
            .unwrap();
    assert_eq!(haaglanden.len(), 1);
    assert_eq!(haaglanden[0].provider_id, a);
    refresh(&app).await;

    // Signals deleted by hand, outside the application: the trigger logs it all the same.
    signal::Entity::delete_many()
        .filter(signal::Column::Id.is_in([first, second]))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(logged(&app).await, vec![a]);
    assert_eq!(shown(&app, a).await, live(&app, a).await);
    refresh(&app).await;
    assert_kept_is_live(&app, a).await;
    assert_kept_is_live(&app, b).await;
}

fn sorted<const N: usize>(mut ids: [Uuid; N]) -> Vec<Uuid> {
    ids.sort();
    ids.to_vec()
}

/// Overwrites the kept score of `id`, as if computed earlier.
async fn plant(
    app: &TestApp,
    id: Uuid,
    score: i32,
    valid_until: chrono::DateTime<Utc>,
    weights: &str,
) {
    provider_risk::Entity::update_many()
        .col_expr(provider_risk::Column::Score, Expr::value(score))
        .col_expr(provider_risk::Column::Factors, Expr::value("[]"))
        .col_expr(provider_risk::Column::ValidUntil, Expr::value(valid_until))
        .col_expr(provider_risk::Column::Weights, Expr::value(weights))
        .filter(provider_risk::Column::ProviderId.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
}

/// The ranking on the region dashboard (API) of GG1106 as the inspector of `token` sees it,
/// as (score, name, id).
async fn dashboard_top(app: &TestApp, token: &str) -> Vec<(u32, String, Uuid)> {
    let body: serde_json::Value = app
        .get("/api/v1/regions/GG1106/dashboard", Some(token))
        .await
        .json()
        .await
        .unwrap();
    body["risk"]["top"]
        .as_array()
        .expect("a ranking")
        .iter()
        .map(|r| {
            let score = r["score"].as_u64().unwrap() as u32;
            let name = r["name"].as_str().unwrap().to_string();
            (
                score,
                name,
                r["provider_id"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_kept_score_is_used_only_while_valid_and_of_the_same_weights() {
    let app = spawn().await;
    let a = app.insert_provider("Zorg Oost", "GM0153", "GG1106").await;
    refresh(&app).await;
    let fingerprint = stored::fingerprint(&RiskWeights::default());
    let token = app.inspector_token("GG1106").await;
    let top = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            risk::top_for_region(&db, &RiskWeights::default(), "GG1106", 10, Utc::now())
                .await
                .unwrap()[0]
                .score
        }
    };

    // A score planted as valid is what the reads show: they do read the kept scores.
    plant(&app, a, 77, Utc::now() + Duration::hours(1), &fingerprint).await;
    assert_eq!(shown(&app, a).await.score, 77);
    assert_eq!(top(&app).await, 77);

    // Expired, or kept with other weights: computed instead.
    plant(&app, a, 77, Utc::now() - Duration::seconds(1), &fingerprint).await;
    assert_eq!(shown(&app, a).await.score, 20);
    assert_eq!(top(&app).await, 20);
    plant(&app, a, 77, Utc::now() + Duration::hours(1), "andere").await;
    assert_eq!(shown(&app, a).await.score, 20);
    assert_eq!(top(&app).await, 20);
    assert_eq!(dashboard_top(&app, &token).await[0].0, 20);
    // Other weights that sort before every fingerprint (hexadecimal) as well as after.
    plant(&app, a, 77, Utc::now() + Duration::hours(1), "!").await;
    assert_eq!(top(&app).await, 20);
    assert_eq!(dashboard_top(&app, &token).await[0].0, 20);
    plant(&app, a, 77, Utc::now() + Duration::hours(1), &fingerprint).await;
    assert_eq!(dashboard_top(&app, &token).await[0].0, 77);

    // Logged as changed: computed, even when the row still looks valid.
    plant(&app, a, 77, Utc::now() + Duration::hours(1), &fingerprint).await;
    file(&app, &about(a, "overig")).await;
    assert_eq!(shown(&app, a).await.score, 25);
    assert_eq!(top(&app).await, 25);
}

/// The `risk` of provider `id` in the register's page and on its own, as the API shows it.
async fn risk_in_api(
    app: &TestApp,
    token: &str,
    id: Uuid,
) -> (serde_json::Value, serde_json::Value) {
    let page: serde_json::Value = app
        .get("/api/v1/providers?q=Zorg", Some(token))
        .await
        .json()
        .await
        .unwrap();
    let listed = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == json!(id))
        .expect("the provider is on the page")["risk"]
        .clone();
    let one: serde_json::Value = app
        .get(&format!("/api/v1/providers/{id}"), Some(token))
        .await
        .json()
        .await
        .unwrap();
    (listed, one["risk"].clone())
}

#[tokio::test]
async fn the_api_shows_a_kept_explanation_as_kept_and_computes_one_of_another_shape() {
    let app = spawn().await;
    let a = app.insert_provider("Zorg Oost", "GM0153", "GG1106").await;
    file(&app, &about(a, "overig")).await;
    refresh(&app).await;
    let token = app.inspector_token("GG1106").await;
    let computed = serde_json::to_value(live(&app, a).await).unwrap();
    assert!(
        !computed["factors"].as_array().unwrap().is_empty(),
        "the signal gives points"
    );
    assert_eq!(
        risk_in_api(&app, &token, a).await,
        (computed.clone(), computed.clone())
    );

    // What is kept is what is shown, texts with quotes and accents as written, and passed on as
    // it was kept (the space after the first colon is not how serde_json writes it).
    let fingerprint = stored::fingerprint(&RiskWeights::default());
    plant(&app, a, 77, Utc::now() + Duration::hours(1), &fingerprint).await;
    let kept = r#"[{"name": "Bewaard \"zo\"","points":77,"detail":"één melding"}]"#;
    let set_factors = |json: &'static str| {
        provider_risk::Entity::update_many()
            .col_expr(provider_risk::Column::Factors, Expr::value(json))
            .filter(provider_risk::Column::ProviderId.eq(a))
            .exec(&app.db)
    };
    set_factors(kept).await.unwrap();
    let shown = json!({"score": 77, "level": "hoog", "factors": [
        {"name": "Bewaard \"zo\"", "points": 77, "detail": "één melding"}
    ]});
    assert_eq!(risk_in_api(&app, &token, a).await, (shown.clone(), shown));
    let body = app
        .get("/api/v1/providers?q=Zorg", Some(&token))
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains(&format!(r#""factors":{kept}"#)), "{body}");
    sign_in_on_page(&app, "toezicht.gg1106@ggd.example").await;
    // The client keeps the session cookie.
    let page = app
        .get(&format!("/aanbieders/{a}"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<strong>77</strong>"), "{page}");
    assert!(
        page.contains("<strong>Bewaard &quot;zo&quot;</strong> (77 punten): één melding"),
        "{page}"
    );

    // A kept explanation that does not read as factors exactly is not passed on: computed.
    for other in [
        r#"[{"name":"Bewaard","points":77,"detail":"x","extra":1}]"#,
        r#"[{"name":"Bewaard","points":77}]"#,
        r#"{"name":"Bewaard"}"#,
        "geen json",
    ] {
        set_factors(other).await.unwrap();
        assert_eq!(
            risk_in_api(&app, &token, a).await,
            (computed.clone(), computed.clone()),
            "{other}"
        );
    }
}

#[tokio::test]
async fn a_kept_score_lasts_until_its_oldest_signal_leaves_the_twelve_months() {
    let app = spawn().await;
    let a = app.insert_provider("Zorg Oost", "GM0153", "GG1106").await;
    let filed = file(&app, &about(a, "bejegening")).await;
    let id = signal_id(&app, filed["reference"].as_str().unwrap()).await;
    // Two hours before it is a year old.
    let received = Utc::now()
        .checked_sub_months(chrono::Months::new(12))
        .unwrap()
        + Duration::hours(2);
    signal::Entity::update_many()
        .col_expr(signal::Column::ReceivedAt, Expr::value(received))
        .filter(signal::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
    refresh(&app).await;
    // As stored (a database may keep fewer digits of the seconds).
    let received = signal::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .received_at;
    let row = kept(&app, a).await;
    assert_eq!(row.score, 25, "never visited, one signal");
    assert_eq!(Some(row.valid_until), leaves_the_twelve_months(received));
    // Once that moment has passed, the score is computed without the signal.
    plant(&app, a, 25, Utc::now() - Duration::seconds(1), &row.weights).await;
    signal::Entity::update_many()
        .col_expr(
            signal::Column::ReceivedAt,
            Expr::value(
                Utc::now()
                    .checked_sub_months(chrono::Months::new(13))
                    .unwrap(),
            ),
        )
        .filter(signal::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(shown(&app, a).await.score, 20);
}

#[tokio::test]
async fn the_ranking_merges_kept_and_computed_scores() {
    let app = spawn().await;
    let token = app.inspector_token("GG1106").await;
    let mut providers = Vec::new();
    for (i, name) in [
        "Aan Huis",
        "Begeleiding Noord",
        "Centrum Zorg",
        "Dagbesteding De Es",
        "Eigen Kracht",
        "Fijn Wonen",
        "Goede Zorg",
        "Huize Oost",
        "In Balans",
        "Jeugd en Zorg",
        "Kern Wonen",
        "Licht Werk",
    ]
    .into_iter()
    .enumerate()
    {
        let id = app.insert_provider(name, "GM0153", "GG1106").await;
        for _ in 0..(i % 4) {
            file(&app, &about(id, "veiligheid")).await;
        }
        providers.push(id);
    }
    refresh(&app).await;
    // Two scores change after they were kept: one rises to the top (never visited 20, four
    // calamities the cap of 40), one drops.
    for _ in 0..4 {
        file(&app, &about(providers[0], "calamiteit")).await;
    }
    signal::Entity::delete_many()
        .filter(signal::Column::ProviderId.eq(providers[3]))
        .exec(&app.db)
        .await
        .unwrap();
    let mut expected = Vec::new();
    for id in &providers {
        let name = provider::Entity::find_by_id(*id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .name;
        expected.push((live(&app, *id).await.score, name, *id));
    }
    expected.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    expected.truncate(10);
    let top = risk::top_for_region(&app.db, &RiskWeights::default(), "GG1106", 10, Utc::now())
        .await
        .unwrap();
    let top: Vec<(u32, String, Uuid)> = top
        .into_iter()
        .map(|r| (r.score, r.name, r.provider_id))
        .collect();
    assert_eq!(top, expected);
    assert_eq!(top[0].2, providers[0]);
    // The dashboard reads the same ranking in its one statement, computed scores included.
    assert_eq!(dashboard_top(&app, &token).await, expected);
    // Kept rows are ordered by the database; the ranking is the same once all are kept.
    refresh(&app).await;
    let again = risk::top_for_region(&app.db, &RiskWeights::default(), "GG1106", 10, Utc::now())
        .await
        .unwrap();
    let again: Vec<(u32, String, Uuid)> = again
        .into_iter()
        .map(|r| (r.score, r.name, r.provider_id))
        .collect();
    assert_eq!(again, expected);
    assert_eq!(dashboard_top(&app, &token).await, expected);
    let rows = provider_risk::Entity::find()
        .order_by_asc(provider_risk::Column::Name)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), providers.len());
}

/// After a burst of changes (a provider's signals filed one after another), the ranking's read of
/// the scores that may not be used names each provider once, not once per logged change, and the
/// dashboard still ranks it by its score computed on the spot.
#[tokio::test]
async fn a_provider_with_many_logged_changes_is_read_once() {
    let app = spawn().await;
    let a = app.insert_provider("Zorg Oost", "GM0153", "GG1106").await;
    let b = app
        .insert_provider("Begeleiding Noord", "GM0153", "GG1106")
        .await;
    refresh(&app).await;
    for _ in 0..5 {
        file(&app, &about(a, "geweld")).await;
    }
    let entries = provider_risk_change::Entity::find()
        .filter(provider_risk_change::Column::ProviderId.eq(a))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(entries.len(), 5, "one entry per filing");

    let stale = stored::top_queries(&RiskWeights::default(), "GG1106", 10, Utc::now()).stale;
    let rows = app.db.query_all(&stale).await.unwrap();
    let named: Vec<Uuid> = rows
        .iter()
        .map(|row| row.try_get_by_index::<Uuid>(0).unwrap())
        .collect();
    assert_eq!(
        named,
        vec![a],
        "the changed provider, once; b's kept score is usable"
    );

    let token = app.inspector_token("GG1106").await;
    let top = dashboard_top(&app, &token).await;
    assert_eq!(top[0].2, a, "{top:?}");
    assert_eq!(top[0].0, live(&app, a).await.score);
    assert_eq!(
        top.iter().map(|t| t.2).collect::<Vec<_>>(),
        vec![a, b],
        "b by its kept score, below"
    );
}
