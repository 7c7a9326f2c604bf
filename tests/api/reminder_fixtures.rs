//! Reports, visits and improvement points written straight to the database, and the reminder
//! job run with a chosen `now`, for `reminders.rs`.
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, PaginatorTrait, Set};
use toezicht::db::entities::{improvement_point, outbox_message, provider, report, visit};
use toezicht::domain::working_days::{add_working_days, dutch_date};
use toezicht::reports::reminders::run_once;
use uuid::Uuid;

use crate::helpers::TestApp;

/// A Dutch date well after anything the real clock reaches while the tests run.
pub fn far_day() -> NaiveDate {
    add_working_days(dutch_date(Utc::now()) + Duration::days(400), 1)
}

/// Noon in the Netherlands on `day`, as the job's `now`.
pub fn noon(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_hms_opt(12, 0, 0).expect("valid time");
    Amsterdam
        .from_local_datetime(&local)
        .single()
        .expect("noon exists")
        .with_timezone(&Utc)
}

pub async fn provider_at(app: &TestApp, name: &str, email: &str) -> Uuid {
    let id = app.insert_provider(name, "GM0153", "GG1106").await;
    let mut row = provider::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    row.email = Set(email.into());
    row.update(&app.db).await.unwrap();
    id
}

/// A completed visit on `visit_day` and its report in `status`.
pub async fn report_of(
    app: &TestApp,
    provider_id: Uuid,
    visit_day: NaiveDate,
    status: &str,
    response_due: Option<NaiveDate>,
) -> Uuid {
    let framework = toezicht::framework::queries::current(&app.db)
        .await
        .unwrap();
    let starts = noon(visit_day);
    let visit_id = Uuid::new_v4();
    visit::ActiveModel {
        id: Set(visit_id),
        provider_id: Set(provider_id),
        region_code: Set("GG1106".into()),
        framework_version_id: Set(framework.id),
        starts_at: Set(starts),
        ends_at: Set(starts + Duration::hours(2)),
        announced: Set(true),
        reason: Set("proactief".into()),
        status: Set("uitgevoerd".into()),
        created_by: Set(None),
        created_at: Set(starts),
        updated_at: Set(starts),
    }
    .insert(&app.db)
    .await
    .unwrap();
    let id = Uuid::new_v4();
    let sent = status != "concept";
    report::ActiveModel {
        id: Set(id),
        visit_id: Set(visit_id),
        provider_id: Set(provider_id),
        region_code: Set("GG1106".into()),
        framework_version_id: Set(framework.id),
        status: Set(status.into()),
        summary: Set("Samenvatting over cliënt Jan Voorbeeld".into()),
        advice: Set("Advies".into()),
        theme_findings: Set("{}".into()),
        sent_at: Set(sent.then_some(starts + Duration::days(2))),
        response_due: Set(response_due),
        response_text: Set((status == "zienswijze_ontvangen").then(|| "Onze reactie".into())),
        response_received_at: Set((status == "zienswijze_ontvangen").then_some(starts)),
        finalized_at: Set((status == "definitief").then_some(starts)),
        reminder_sent_at: Set(None),
        created_at: Set(starts),
        updated_at: Set(starts),
    }
    .insert(&app.db)
    .await
    .unwrap();
    id
}

pub async fn point(
    app: &TestApp,
    report_id: Uuid,
    code: &str,
    text: &str,
    due: NaiveDate,
    status: &str,
) -> Uuid {
    let id = Uuid::new_v4();
    improvement_point::ActiveModel {
        id: Set(id),
        report_id: Set(report_id),
        criterion_code: Set(code.into()),
        description: Set(text.into()),
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
    id
}

pub async fn run(app: &TestApp, now: DateTime<Utc>) -> (usize, usize) {
    let counts = run_once(
        &app.db,
        &app.state.templates,
        &app.state.config.base_url,
        now,
    )
    .await
    .expect("reminder job");
    app.state.wake_mail_worker();
    counts
}

pub async fn outbox_count(app: &TestApp) -> u64 {
    outbox_message::Entity::find().count(&app.db).await.unwrap()
}
