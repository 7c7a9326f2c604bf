//! Email. Nothing is sent while a request runs: [`enqueue`] renders a template triplet
//! (`templates/emails/<name>/{subject,body.txt,body.html}.hbs`) and writes the message to the
//! outbox in the caller's transaction, so a message exists if and only if the change that caused
//! it was committed. The [`worker`] delivers it through the [`Mailer`] (SMTP, `.eml` files, or
//! memory), with retries and back-off; admins follow the outbox at `/beheer/outbox` and
//! `GET /api/v1/admin/outbox`, and preview every template at `/beheer/e-mails`.
pub mod api;
pub mod mailer;
pub mod message;
pub mod pages;
pub mod previews;
pub mod queries;
pub mod samples;
pub mod worker;

use axum::Router;
use axum::routing::{get, post};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::app::AppState;
use crate::db::entities::outbox_message;
use crate::error::{AppError, AppResult};
use crate::web::templates::Templates;

pub use mailer::{Mailer, SentMail};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list))
        .routes(routes!(api::retry))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/beheer/outbox", get(pages::list))
        .route("/beheer/outbox/{id}/opnieuw", post(pages::retry))
        .route("/beheer/e-mails", get(previews::list))
        .route("/beheer/e-mails/{name}", get(previews::show))
        .route("/beheer/e-mails/{name}/html", get(previews::html_part))
}

/// Where a message is in its life. Stored and sent over the API as `queued`, `sent`, `failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutboxStatus {
    Queued,
    Sent,
    Failed,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 3] = [Self::Queued, Self::Sent, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label_nl(self) -> &'static str {
        match self {
            Self::Queued => "In de wachtrij",
            Self::Sent => "Verzonden",
            Self::Failed => "Mislukt",
        }
    }
}

/// A message ready for the outbox: one subject line, a text part and an HTML part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders `emails/<template>/…`: the subject and the text part without HTML escaping (a `&`
/// stays a `&`), the HTML part escaped. In strict mode a field missing from `context` is an error.
pub fn render(
    templates: &Templates,
    template: &str,
    context: &impl Serialize,
) -> AppResult<Rendered> {
    let subject = templates.render_text(&format!("emails/{template}/subject"), context)?;
    // A header is one line: newlines from the template (or a value) must not start a new header.
    let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
    if subject.is_empty() {
        return Err(AppError::internal(format!(
            "template emails/{template}/subject: empty subject"
        )));
    }
    Ok(Rendered {
        subject,
        text: templates.render_text(&format!("emails/{template}/body.txt"), context)?,
        html: templates.render(&format!("emails/{template}/body.html"), context)?,
    })
}

/// Renders the template triplet `emails/<template>/` with `context` and puts the message for `to`
/// in the outbox, inside `db` (pass the transaction of the change that causes the email). The
/// worker picks it up within a second of the commit; [`AppState::wake_mail_worker`] after the
/// commit makes that immediate.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    templates: &Templates,
    to: &str,
    template: &str,
    context: &impl Serialize,
) -> AppResult<Uuid> {
    let rendered = render(templates, template, context)?;
    enqueue_rendered(db, to, &rendered).await
}

/// Puts an already rendered message in the outbox (see [`enqueue`]).
pub async fn enqueue_rendered<C: ConnectionTrait>(
    db: &C,
    to: &str,
    message: &Rendered,
) -> AppResult<Uuid> {
    let to = to.trim();
    // Callers pass validated addresses; one that lettre cannot read would fail at every attempt.
    // The address itself stays out of the error, which is logged.
    if to.parse::<lettre::message::Mailbox>().is_err() {
        return Err(AppError::internal(
            "outbox: recipient is not an email address",
        ));
    }
    let now = Utc::now();
    let id = Uuid::new_v4();
    outbox_message::ActiveModel {
        id: Set(id),
        to_address: Set(to.to_string()),
        subject: Set(message.subject.clone()),
        body_text: Set(message.text.clone()),
        body_html: Set(message.html.clone()),
        status: Set(OutboxStatus::Queued.as_str().to_string()),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
    }
    .insert(db)
    .await?;
    tracing::debug!(message_id = %id, "email queued");
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_have_dutch_labels() {
        for status in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::parse(status.as_str()), Some(status));
            assert!(!status.label_nl().is_empty());
        }
        assert_eq!(OutboxStatus::parse("verzonden"), None);
    }

    #[test]
    fn the_test_template_renders_text_unescaped_and_html_escaped() {
        let templates = Templates::load().unwrap();
        let context = serde_json::json!({"name": "Zoë", "note": "Zorg & Welzijn <b>"});
        let rendered = render(&templates, "test", &context).unwrap();
        assert!(!rendered.subject.contains('\n'));
        assert!(rendered.subject.contains("Zoë"));
        assert!(rendered.text.contains("Zorg & Welzijn <b>"));
        assert!(rendered.html.contains("Zorg &amp; Welzijn &lt;b&gt;"));
    }

    #[test]
    fn a_missing_field_is_an_error() {
        let templates = Templates::load().unwrap();
        let context = serde_json::json!({"name": "Zoë"});
        assert!(render(&templates, "test", &context).is_err());
        assert!(render(&templates, "does-not-exist", &context).is_err());
    }
}
