//! A hand-built region for `dashboard.rs`: providers, visits, ratings, reports, points and
//! signals written straight to the database with dates relative to now, the completed visits
//! summarised afterwards as generated data is.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use toezicht::db::entities::{improvement_point, provider, report, signal, visit, visit_rating};
use toezicht::domain::working_days::dutch_date;
use uuid::Uuid;

use crate::helpers::TestApp;

pub fn today() -> NaiveDate {
    dutch_date(Utc::now())
}

pub fn days_ago(days: i64) -> DateTime<Utc> {
    Utc::now() - Duration::days(days)
}

pub async fn visit_at(
    app: &TestApp,
    provider_id: Uuid,
    region: &str,
    starts: DateTime<Utc>,
    status: &str,
) -> Uuid {
    let framework = toezicht::framework::queries::current(&app.db)
        .await
        .unwrap();
    let id = Uuid::new_v4();
    visit::ActiveModel {
        id: Set(id),
        provider_id: Set(provider_id),
        region_code: Set(region.into()),
        framework_version_id: Set(framework.id),
        starts_at: Set(starts),
        ends_at: Set(starts + Duration::hours(2)),
        announced: Set(true),
        reason: Set("proactief".into()),
        status: Set(status.into()),
        created_by: Set(None),
        created_at: Set(starts),
        updated_at: Set(starts),
    }
    .insert(&app.db)
    .await
    .unwrap();
    summarise(app).await;
    id
}

/// Written straight to the database, the visits are summarised as bulk-written data is
/// (`visits::summaries::rebuild`), not as the completion of one visit.
async fn summarise(app: &TestApp) {
    toezicht::visits::summaries::rebuild(&app.db).await.unwrap();
}

pub async fn rate(app: &TestApp, visit_id: Uuid, ratings: &[(&str, &str)]) {
    for (criterion, rating) in ratings {
        visit_rating::ActiveModel {
            visit_id: Set(visit_id),
            criterion_code: Set((*criterion).into()),
            rating: Set((*rating).into()),
            finding: Set(Some("Bevinding".into())),
            updated_at: Set(Utc::now()),
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    summarise(app).await;
}

pub struct ReportSpec<'a> {
    pub status: &'a str,
    pub response_due: Option<NaiveDate>,
    pub finalized_at: Option<DateTime<Utc>>,
}

pub async fn report_on(
    app: &TestApp,
    visit_id: Uuid,
    provider_id: Uuid,
    region: &str,
    spec: ReportSpec<'_>,
) -> Uuid {
    let framework = toezicht::framework::queries::current(&app.db)
        .await
        .unwrap();
    let id = Uuid::new_v4();
    report::ActiveModel {
        id: Set(id),
        visit_id: Set(visit_id),
        provider_id: Set(provider_id),
        region_code: Set(region.into()),
        framework_version_id: Set(framework.id),
        status: Set(spec.status.into()),
        summary: Set("Samenvatting".into()),
        advice: Set("Advies".into()),
        theme_findings: Set("{}".into()),
        sent_at: Set((spec.status != "concept").then(|| days_ago(20))),
        response_due: Set(spec.response_due),
        response_text: Set(None),
        response_received_at: Set(None),
        finalized_at: Set(spec.finalized_at),
        reminder_sent_at: Set(None),
        created_at: Set(days_ago(20)),
        updated_at: Set(days_ago(20)),
    }
    .insert(&app.db)
    .await
    .unwrap();
    id
}

pub async fn point(app: &TestApp, report_id: Uuid, due: NaiveDate, status: &str) {
    improvement_point::ActiveModel {
        id: Set(Uuid::new_v4()),
        report_id: Set(report_id),
        criterion_code: Set("A2".into()),
        description: Set("Verbeter de bezetting".into()),
        due_date: Set(due),
        status: Set(status.into()),
        created_at: Set(Utc::now()),
        resolved_at: Set(None),
        due_reminder_sent_at: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

pub async fn signal_in(
    app: &TestApp,
    region: &str,
    status: &str,
    category: &str,
    received_at: DateTime<Utc>,
    triage_due: NaiveDate,
) {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    let number = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let id = Uuid::new_v4();
    signal::ActiveModel {
        id: Set(id),
        reference: Set(format!("M-1999-{number:06}")),
        tracking_token_hash: Set(id.simple().to_string()),
        status: Set(status.into()),
        priority: Set("normaal".into()),
        category: Set(category.into()),
        description: Set("Een zorg over de ondersteuning bij deze aanbieder.".into()),
        reporter_role: Set("naaste".into()),
        anonymous: Set(true),
        region_code: Set(region.into()),
        received_at: Set(received_at),
        triage_due: Set(triage_due),
        updated_at: Set(received_at),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

pub async fn deactivate(app: &TestApp, id: Uuid) {
    let mut row = provider::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    row.active = Set(false);
    row.update(&app.db).await.unwrap();
}
