//! The provider's emails about its report: the concept to respond to, and the final report.
//! Queued in the transaction of the step itself. They name the provider, the visit date and the
//! deadline, and link to the portal — never anything about clients.
use sea_orm::ConnectionTrait;
use serde::Serialize;

use crate::db::entities::{provider, report, visit};
use crate::domain::text::{date_nl, day_nl};
use crate::error::AppResult;
use crate::mail;
use crate::web::templates::Templates;

pub struct Notifier<'a> {
    pub templates: &'a Templates,
    pub base_url: &'a str,
}

impl<'a> Notifier<'a> {
    pub fn of(state: &'a crate::app::AppState) -> Self {
        Notifier {
            templates: &state.templates,
            base_url: &state.config.base_url,
        }
    }

    pub fn portal_url(&self, report_id: uuid::Uuid) -> String {
        format!("{}/portaal/rapporten/{report_id}", self.base_url)
    }
}

#[derive(Serialize)]
struct ReportMail {
    provider: String,
    visit_day: String,
    response_due: String,
    points: usize,
    portal_url: String,
}

fn context(
    notifier: &Notifier<'_>,
    provider: &provider::Model,
    visit: &visit::Model,
    report: &report::Model,
    points: usize,
) -> ReportMail {
    ReportMail {
        provider: provider.name.clone(),
        visit_day: day_nl(visit.starts_at),
        response_due: report.response_due.map(date_nl).unwrap_or_default(),
        points,
        portal_url: notifier.portal_url(report.id),
    }
}

/// The concept, with the deadline for the provider's response.
pub async fn sent<C: ConnectionTrait>(
    db: &C,
    notifier: &Notifier<'_>,
    provider: &provider::Model,
    visit: &visit::Model,
    report: &report::Model,
    points: usize,
) -> AppResult<()> {
    let ctx = context(notifier, provider, visit, report, points);
    mail::enqueue(db, notifier.templates, &provider.email, "report_sent", &ctx).await?;
    Ok(())
}

/// The final report.
pub async fn finalized<C: ConnectionTrait>(
    db: &C,
    notifier: &Notifier<'_>,
    provider: &provider::Model,
    visit: &visit::Model,
    report: &report::Model,
    points: usize,
) -> AppResult<()> {
    let ctx = context(notifier, provider, visit, report, points);
    mail::enqueue(
        db,
        notifier.templates,
        &provider.email,
        "report_final",
        &ctx,
    )
    .await?;
    Ok(())
}
