//! Telling reporters who left an email address: a confirmation when the signal is filed and a
//! message at every status move (also for linked duplicates). Queued in the outbox inside the
//! transaction of the change, so a message exists exactly when the change does. The emails
//! carry the reference and the status, never the description or anything about the client.
use sea_orm::ConnectionTrait;
use serde::Serialize;

use crate::app::AppState;
use crate::db::entities::signal;
use crate::domain::text::date_nl;
use crate::domain::working_days::dutch_date;
use crate::error::AppResult;
use crate::mail;
use crate::signals::rules::SignalStatus;
use crate::web::templates::Templates;

/// What the emails need from the application.
pub struct Notifier<'a> {
    pub templates: &'a Templates,
    pub base_url: &'a str,
}

impl<'a> Notifier<'a> {
    pub fn of(state: &'a AppState) -> Self {
        Notifier {
            templates: &state.templates,
            base_url: &state.config.base_url,
        }
    }

    fn status_url(&self) -> String {
        format!("{}/melding/status", self.base_url)
    }
}

#[derive(Serialize)]
struct Confirmation {
    reference: String,
    received_on: String,
    triage_due: String,
    status_url: String,
}

#[derive(Serialize)]
struct StatusChanged {
    reference: String,
    status: &'static str,
    explanation: &'static str,
    status_url: String,
}

pub async fn confirmation<C: ConnectionTrait>(
    db: &C,
    notifier: &Notifier<'_>,
    signal: &signal::Model,
) -> AppResult<()> {
    let Some(to) = &signal.contact_email else {
        return Ok(());
    };
    let context = Confirmation {
        reference: signal.reference.clone(),
        received_on: date_nl(dutch_date(signal.received_at)),
        triage_due: date_nl(signal.triage_due),
        status_url: notifier.status_url(),
    };
    mail::enqueue(db, notifier.templates, to, "signal_confirmation", &context).await?;
    Ok(())
}

pub async fn status_changed<C: ConnectionTrait>(
    db: &C,
    notifier: &Notifier<'_>,
    signal: &signal::Model,
    status: SignalStatus,
) -> AppResult<()> {
    let Some(to) = &signal.contact_email else {
        return Ok(());
    };
    let context = StatusChanged {
        reference: signal.reference.clone(),
        status: status.label_nl(),
        explanation: status.explanation_nl(),
        status_url: notifier.status_url(),
    };
    mail::enqueue(db, notifier.templates, to, "signal_status", &context).await?;
    Ok(())
}
