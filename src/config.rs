//! Runtime configuration: command-line flags of `serve`, each also read from the environment
//! (flags win). See README "Configuration".
use clap::Args;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://toezicht.db?mode=rwc";

#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Adres waarop de webserver luistert.
    #[arg(long, env = "BIND_ADDR", default_value = "127.0.0.1:8080")]
    pub bind_addr: String,
    /// Basis-URL voor links in e-mails (standaard http:// + BIND_ADDR).
    #[arg(long, env = "BASE_URL")]
    pub base_url: Option<String>,
    /// SMTP-server, bijvoorbeeld smtp://127.0.0.1:2525. Zonder: e-mails als .eml-bestanden in mail-out/.
    #[arg(long, env = "SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Afzender van e-mails.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "GGD Toezicht Wmo <toezicht@localhost>"
    )]
    pub mail_from: String,
    /// Maximaal aantal meldingen per minuut vanaf één adres.
    #[arg(long, env = "SIGNAL_RATE_PER_MINUTE", default_value_t = 10)]
    pub signal_rate_per_minute: u32,
    /// Geldigheid van een sessie in uren (hoogstens 12).
    #[arg(long, env = "SESSION_TTL_HOURS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=12))]
    pub session_ttl_hours: u32,
}

/// What the running application needs to know, resolved from [`ServeConfig`].
#[derive(Debug, Clone)]
pub struct Config {
    pub base_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub signal_rate_per_minute: u32,
    pub session_ttl_hours: u32,
}

impl Config {
    pub fn from_serve(serve: &ServeConfig, bound_addr: std::net::SocketAddr) -> Self {
        let base_url = serve
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound_addr}"));
        Config {
            base_url: base_url.trim_end_matches('/').to_string(),
            smtp_url: serve.smtp_url.clone(),
            mail_from: serve.mail_from.clone(),
            signal_rate_per_minute: serve.signal_rate_per_minute,
            session_ttl_hours: serve.session_ttl_hours,
        }
    }

    /// Cookies get the `Secure` flag only when the app is reached over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}
