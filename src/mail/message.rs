//! An outbox row as an RFC 5322 message: `multipart/alternative` with a UTF-8 text part and an
//! HTML part, from `MAIL_FROM`.
use std::time::SystemTime;

use lettre::Message;
use lettre::message::{Mailbox, MultiPart};

use crate::db::entities::outbox_message;

/// Builds the message. Its `Message-ID` is derived from the outbox id, so a message that had to be
/// sent again after a crash carries the same id and a receiving system can drop the copy.
pub fn build(from: &Mailbox, message: &outbox_message::Model) -> Result<Message, String> {
    let to: Mailbox = message
        .to_address
        .parse()
        .map_err(|_| "ongeldig e-mailadres van de ontvanger".to_string())?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(message.subject.clone())
        .date(SystemTime::from(message.created_at))
        .message_id(Some(format!("<{}@{}>", message.id, from.email.domain())))
        .multipart(MultiPart::alternative_plain_html(
            message.body_text.clone(),
            message.body_html.clone(),
        ))
        .map_err(|err| format!("bericht kon niet worden opgebouwd: {err}"))
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_message_has_both_parts_and_a_stable_id() {
        let id = Uuid::new_v4();
        let model = outbox_message::Model {
            id,
            to_address: "jan@example.nl".into(),
            subject: "Bevestiging van uw melding — Zoë".into(),
            body_text: "Zorg & Welzijn".into(),
            body_html: "<p>Zorg &amp; Welzijn</p>".into(),
            status: "queued".into(),
            attempts: 0,
            last_error: None,
            next_attempt_at: Utc::now(),
            locked_until: None,
            created_at: Utc::now(),
            sent_at: None,
        };
        let from: Mailbox = "GGD Toezicht <toezicht@ggd.example>".parse().unwrap();
        let raw = String::from_utf8(build(&from, &model).unwrap().formatted()).unwrap();
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/plain; charset=utf-8"));
        assert!(raw.contains("text/html; charset=utf-8"));
        assert!(raw.contains(&format!("Message-ID: <{id}@ggd.example>")));
        assert!(raw.contains("To: jan@example.nl"));
        let mut bad = model;
        bad.to_address = "geen adres".into();
        assert!(build(&from, &bad).is_err());
    }
}
