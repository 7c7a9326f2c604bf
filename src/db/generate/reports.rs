//! Reports of the most recent completed visits (older visits predate the report module), in the
//! status their age makes likely: concept and sent for the last weeks, answered or final before.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, Set};

use super::batch::Batches;
use super::rng::Rng;
use super::visits::Done;
use super::{Scale, Span};
use crate::db::demo_visits::office;
use crate::db::entities::report;
use crate::domain::working_days::add_working_days;
use crate::error::AppResult;
use crate::reports::rules::{RESPONSE_WORKING_DAYS, ReportStatus};

const RESPONSES: [&str; 3] = [
    "Wij herkennen de bevindingen en hebben een verbeterplan opgesteld.",
    "Wij zijn het met de bevindingen eens; de werkinstructie is inmiddels aangepast.",
    "Wij plaatsen een kanttekening bij de bevinding over het personeelsdossier.",
];

pub async fn write(
    db: &DatabaseConnection,
    scale: Scale,
    seed: u64,
    span: &Span,
    done: &[Done],
    rows: &mut Vec<(&'static str, u64)>,
) -> AppResult<()> {
    let mut rng = Rng::new(seed, 4);
    let now = office(span.today, 8, 0);
    let mut writer = Batches::new(db, "reports", 17);
    // `done` is in visit order, so the last ones are the most recent.
    for visit in &done[done.len().saturating_sub(scale.reports)..] {
        let age = (span.today - visit.day).num_days();
        let status = if age < 10 {
            ReportStatus::Concept
        } else if age < 24 {
            ReportStatus::Verzonden
        } else if age < 40 {
            *rng.pick(&[ReportStatus::Verzonden, ReportStatus::ZienswijzeOntvangen])
        } else if age < 365 && rng.chance(20) {
            // Now and then a provider never answers and nobody followed up: overdue.
            ReportStatus::Verzonden
        } else {
            ReportStatus::Definitief
        };
        let clamp = |at: DateTime<Utc>| at.min(now);
        let sent_at = (status != ReportStatus::Concept)
            .then(|| clamp(office(visit.day + Duration::days(8), 10, 0)));
        let response_due =
            sent_at.map(|at| add_working_days(at.date_naive(), RESPONSE_WORKING_DAYS));
        let answered = matches!(status, ReportStatus::ZienswijzeOntvangen)
            || (status == ReportStatus::Definitief && !rng.chance(250));
        let response_at = sent_at
            .filter(|_| answered)
            .map(|at| clamp(at + Duration::days(6)));
        let finalized_at = (status == ReportStatus::Definitief)
            .then(|| clamp(office(visit.day + Duration::days(30), 11, 0)));
        let updated = [sent_at, response_at, finalized_at]
            .into_iter()
            .flatten()
            .fold(visit.ends_at, DateTime::max);
        writer
            .push(report::ActiveModel {
                id: Set(rng.uuid()),
                visit_id: Set(visit.id),
                provider_id: Set(visit.provider_id),
                region_code: Set(visit.region.clone()),
                framework_version_id: Set(visit.framework_version_id),
                status: Set(status.as_str().into()),
                summary: Set(format!(
                    "Toezichtbezoek op {}. Bij {} normen is de werkwijze niet (volledig) op orde.",
                    visit.day.format("%d-%m-%Y"),
                    visit.unmet
                )),
                advice: Set(if visit.unmet == 0 {
                    "Geen verbeterpunten.".into()
                } else {
                    "Werk de verbeterpunten binnen drie maanden uit.".into()
                }),
                theme_findings: Set("{}".into()),
                sent_at: Set(sent_at),
                response_due: Set(response_due),
                response_text: Set(response_at.map(|_| rng.pick(&RESPONSES).to_string())),
                response_received_at: Set(response_at),
                finalized_at: Set(finalized_at),
                reminder_sent_at: Set(None),
                created_at: Set(visit.ends_at),
                updated_at: Set(updated),
            })
            .await?;
    }
    rows.push(("reports", writer.finish().await?));
    Ok(())
}
