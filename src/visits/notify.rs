//! Telling a provider about an announced visit: when it is planned, moved or cancelled. Queued in
//! the outbox inside the planning transaction, so a message exists exactly when the change does.
//! An unannounced visit never causes an email: the provider must not learn of it in advance.
use sea_orm::ConnectionTrait;
use serde::Serialize;

use crate::db::entities::{provider, visit};
use crate::domain::local_time::clock_nl;
use crate::domain::text::day_nl;
use crate::error::AppResult;
use crate::mail;
use crate::visits::rules::Reason;
use crate::web::templates::Templates;

/// What the application needs to send the email.
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Planned,
    Moved,
    Cancelled,
}

#[derive(Serialize)]
struct Notice {
    subject: String,
    provider: String,
    intro: &'static str,
    closing: &'static str,
    day: String,
    time: String,
    reason: &'static str,
    portal_url: String,
}

/// The subject, opening and closing line of each kind of message (also for the preview of
/// `mail::samples`).
pub fn wording(change: Change, day: &str) -> (String, &'static str, &'static str) {
    match change {
        Change::Planned => (
            format!("Aankondiging toezichtbezoek op {day}"),
            "De GGD komt bij u op toezichtbezoek namens de gemeente(n) waarvoor u Wmo-ondersteuning levert.",
            "Wilt u zorgen dat de leidinggevende en de gevraagde dossiers op dat moment beschikbaar zijn? Past het moment echt niet, neem dan contact op met de GGD.",
        ),
        Change::Moved => (
            format!("Gewijzigd: toezichtbezoek nu op {day}"),
            "Het aangekondigde toezichtbezoek van de GGD is verplaatst. Dit is het nieuwe moment.",
            "Het eerder genoemde moment vervalt.",
        ),
        Change::Cancelled => (
            format!("Geannuleerd: toezichtbezoek van {day}"),
            "Het aangekondigde toezichtbezoek van de GGD gaat niet door.",
            "Als de GGD een nieuw bezoek plant, ontvangt u daarover bericht.",
        ),
    }
}

/// Queues the message for an announced visit still to come; nothing for an unannounced one.
pub async fn visit_changed<C: ConnectionTrait>(
    db: &C,
    notifier: &Notifier<'_>,
    provider: &provider::Model,
    visit: &visit::Model,
    change: Change,
) -> AppResult<bool> {
    // A visit recorded afterwards, or moved or cancelled once its time has passed, is no news.
    if !visit.announced || visit.starts_at <= chrono::Utc::now() {
        return Ok(false);
    }
    let day = day_nl(visit.starts_at);
    let (subject, intro, closing) = wording(change, &day);
    let notice = Notice {
        subject,
        provider: provider.name.clone(),
        intro,
        closing,
        time: format!(
            "{}–{} uur",
            clock_nl(visit.starts_at),
            clock_nl(visit.ends_at)
        ),
        day,
        reason: Reason::parse(&visit.reason).map_or("", Reason::label_for_provider),
        portal_url: format!("{}/portaal", notifier.base_url),
    };
    mail::enqueue(
        db,
        notifier.templates,
        &provider.email,
        "visit_notice",
        &notice,
    )
    .await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_change_has_its_own_subject() {
        assert_eq!(
            wording(Change::Planned, "1 december 2026").0,
            "Aankondiging toezichtbezoek op 1 december 2026"
        );
        assert!(wording(Change::Moved, "x").0.starts_with("Gewijzigd"));
        assert!(wording(Change::Cancelled, "x").0.starts_with("Geannuleerd"));
    }
}
