//! Where messages go: an SMTP server, `.eml` files in a directory (when `SMTP_URL` is unset, for
//! development), or memory (unit tests). The worker is the only caller.
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::config::Config;
use crate::db::entities::outbox_message;

/// A send that takes longer is given up (and retried later); well inside the worker's lease.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest `last_error` kept; the admin needs the gist, not a transcript.
const MAX_ERROR_CHARS: usize = 300;

#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
    Memory(Arc<Mutex<Vec<SentMail>>>),
}

/// A message the memory mailer received.
#[derive(Debug, Clone)]
pub struct SentMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The whole RFC 5322 message as it would have gone out.
    pub raw: Vec<u8>,
}

/// Why a send failed, short and free of credentials (stored as `last_error`, shown to admins),
/// and a category without addresses or server text (for the log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub message: String,
    pub kind: &'static str,
}

impl SendError {
    fn new(kind: &'static str, message: impl Into<String>) -> Self {
        let message: String = message.into();
        SendError {
            message: message.chars().take(MAX_ERROR_CHARS).collect(),
            kind,
        }
    }
}

impl Mailer {
    /// SMTP when `smtp_url` is set, else `.eml` files in `mail_dir`. A bad `MAIL_FROM` or
    /// `SMTP_URL` stops the start, rather than every email failing later.
    pub fn from_config(config: &Config) -> Result<Mailer, String> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|err| format!("MAIL_FROM is geen geldig afzenderadres: {err}"))?;
        let backend = match &config.smtp_url {
            Some(url) => Backend::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    // lettre's message names the problem, never the password in the URL.
                    .map_err(|err| format!("SMTP_URL is ongeldig: {err}"))?
                    .timeout(Some(SEND_TIMEOUT))
                    .build(),
            ),
            None => Backend::Files(config.mail_dir.clone()),
        };
        Ok(Mailer { from, backend })
    }

    /// A mailer that keeps what it sends, and the list it keeps it in.
    pub fn memory(from: Mailbox) -> (Mailer, Arc<Mutex<Vec<SentMail>>>) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let mailer = Mailer {
            from,
            backend: Backend::Memory(sent.clone()),
        };
        (mailer, sent)
    }

    /// For the start-up log: which backend, never the URL (it may carry a password).
    pub fn kind(&self) -> &'static str {
        match self.backend {
            Backend::Smtp(_) => "smtp",
            Backend::Files(_) => "files",
            Backend::Memory(_) => "memory",
        }
    }

    pub async fn send(&self, message: &outbox_message::Model) -> Result<(), SendError> {
        let email =
            super::message::build(&self.from, message).map_err(|m| SendError::new("message", m))?;
        match &self.backend {
            // lettre's timeout is per command; this one bounds the whole conversation.
            Backend::Smtp(transport) => {
                match tokio::time::timeout(SEND_TIMEOUT, transport.send(email)).await {
                    Ok(result) => result.map(|_| ()).map_err(smtp_error),
                    Err(_) => Err(SendError::new(
                        "timeout",
                        "de SMTP-server antwoordde niet op tijd",
                    )),
                }
            }
            Backend::Files(dir) => write_file(dir, message, &email.formatted()).await,
            Backend::Memory(sent) => {
                let mail = SentMail {
                    to: message.to_address.clone(),
                    subject: message.subject.clone(),
                    text: message.body_text.clone(),
                    html: message.body_html.clone(),
                    raw: email.formatted(),
                };
                sent.lock().unwrap_or_else(|p| p.into_inner()).push(mail);
                Ok(())
            }
        }
    }
}

fn smtp_error(err: lettre::transport::smtp::Error) -> SendError {
    let code = err.status().map(|c| c.to_string()).unwrap_or_default();
    if err.is_timeout() {
        SendError::new("timeout", "de SMTP-server antwoordde niet op tijd")
    } else if err.is_permanent() {
        SendError::new(
            "rejected",
            format!("de SMTP-server weigerde het bericht ({code}): {err}"),
        )
    } else if err.is_transient() {
        SendError::new(
            "deferred",
            format!("de SMTP-server stelde het bericht uit ({code}): {err}"),
        )
    } else {
        SendError::new(
            "connection",
            format!("de SMTP-server is niet bereikbaar: {err}"),
        )
    }
}

/// Writes `<created_at>-<id>.eml` through a temporary file and a rename, so a reader never sees
/// half a message, and writing the same message twice leaves one file.
async fn write_file(
    dir: &Path,
    message: &outbox_message::Model,
    bytes: &[u8],
) -> Result<(), SendError> {
    let io = |err: std::io::Error| SendError::new("file", format!("schrijven mislukt: {err}"));
    tokio::fs::create_dir_all(dir).await.map_err(io)?;
    let name = format!(
        "{}-{}.eml",
        message.created_at.format("%Y%m%dT%H%M%SZ"),
        message.id
    );
    let temporary = dir.join(format!(".{}.eml.tmp", message.id));
    let mut file = tokio::fs::File::create(&temporary).await.map_err(io)?;
    tokio::io::AsyncWriteExt::write_all(&mut file, bytes)
        .await
        .map_err(io)?;
    file.sync_all().await.map_err(io)?;
    drop(file);
    tokio::fs::rename(&temporary, dir.join(name))
        .await
        .map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(smtp_url: Option<&str>, from: &str) -> Config {
        let mut config = Config::with_defaults("http://127.0.0.1:8080");
        config.smtp_url = smtp_url.map(str::to_string);
        config.mail_from = from.into();
        config
    }

    #[test]
    fn the_backend_follows_the_configuration() {
        let from = "GGD <toezicht@ggd.example>";
        assert_eq!(
            Mailer::from_config(&config(None, from)).unwrap().kind(),
            "files"
        );
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://mail.example:587?tls=required",
            "smtps://gebruiker:geheim@mail.example",
        ] {
            let mailer = Mailer::from_config(&config(Some(url), from)).unwrap();
            assert_eq!(mailer.kind(), "smtp", "{url}");
        }
        let err = Mailer::from_config(&config(Some("http://gebruiker:geheim@x"), from))
            .err()
            .unwrap();
        assert!(!err.contains("geheim"), "{err}");
        assert!(Mailer::from_config(&config(None, "geen adres")).is_err());
    }

    #[test]
    fn errors_are_kept_short() {
        assert_eq!(
            SendError::new("x", "a".repeat(1000)).message.len(),
            MAX_ERROR_CHARS
        );
    }
}
