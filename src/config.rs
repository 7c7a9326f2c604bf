//! Runtime configuration: command-line flags of `serve`, each also read from the environment
//! (flags win). See README "Configuration".
use std::path::PathBuf;

use clap::Args;

use crate::risk::RiskWeights;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://toezicht.db?mode=rwc";
pub const DEFAULT_MAIL_FROM: &str = "GGD Toezicht Wmo <toezicht@localhost>";
pub const DEFAULT_MAIL_DIR: &str = "mail-out";
pub const DEFAULT_MAIL_RETRY_BASE_SECS: u64 = 5;
pub const DEFAULT_SIGNAL_CONTACT_RETENTION_DAYS: u32 = 365;

#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Adres waarop de webserver luistert.
    #[arg(long, env = "BIND_ADDR", default_value = "127.0.0.1:8080")]
    pub bind_addr: String,
    /// Basis-URL voor links in e-mails (standaard http:// + BIND_ADDR).
    #[arg(long, env = "BASE_URL")]
    pub base_url: Option<String>,
    /// SMTP-server: smtp://host:poort (zonder TLS), smtp://host:poort?tls=required (STARTTLS) of
    /// smtps://gebruiker:wachtwoord@host:poort. Zonder: e-mails als .eml-bestanden in MAIL_DIR.
    #[arg(long, env = "SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Map voor .eml-bestanden als SMTP_URL niet is ingesteld.
    #[arg(long, env = "MAIL_DIR", default_value = DEFAULT_MAIL_DIR)]
    pub mail_dir: PathBuf,
    /// Wachttijd in seconden voor de eerste nieuwe poging na een mislukte verzending; elke volgende
    /// poging wacht twee keer zo lang (hoogstens een uur).
    #[arg(long, env = "MAIL_RETRY_BASE_SECS", default_value_t = DEFAULT_MAIL_RETRY_BASE_SECS)]
    pub mail_retry_base_secs: u64,
    /// Afzender van e-mails.
    #[arg(long, env = "MAIL_FROM", default_value = DEFAULT_MAIL_FROM)]
    pub mail_from: String,
    /// Maximaal aantal meldingen per minuut vanaf één adres.
    #[arg(long, env = "SIGNAL_RATE_PER_MINUTE", default_value_t = 10)]
    pub signal_rate_per_minute: u32,
    /// Na hoeveel dagen na het afsluiten van een melding de contactgegevens van de melder worden gewist.
    #[arg(long, env = "SIGNAL_CONTACT_RETENTION_DAYS", default_value_t = DEFAULT_SIGNAL_CONTACT_RETENTION_DAYS)]
    pub signal_contact_retention_days: u32,
    /// Geldigheid van een sessie in uren (hoogstens 12).
    #[arg(long, env = "SESSION_TTL_HOURS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=12))]
    pub session_ttl_hours: u32,
    /// TOML-bestand met de gewichten van de risicoscore (standaard de ingebouwde waarden, zie
    /// fixtures/risk-weights.toml).
    #[arg(long, env = "RISK_WEIGHTS_FILE")]
    pub risk_weights_file: Option<PathBuf>,
    /// Adres van een reverse proxy of load balancer voor deze server: alleen van dat adres geldt
    /// het laatste adres in X-Forwarded-For als adres van de melder (voor de meldingenlimiet).
    #[arg(long, env = "TRUSTED_PROXY")]
    pub trusted_proxy: Option<std::net::IpAddr>,
}

/// What the running application needs to know, resolved from [`ServeConfig`].
#[derive(Debug, Clone)]
pub struct Config {
    pub base_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Where the file mailer writes `.eml` files when there is no `smtp_url`.
    pub mail_dir: PathBuf,
    pub mail_retry_base_secs: u64,
    /// Whether `app::serve` runs the outbox worker. Always on from the command line; a test turns
    /// it off to drive `mail::worker::run_once` itself.
    pub mail_worker: bool,
    /// Whether `app::serve` runs the risk scores' background task (`risk::refresher`). Always on
    /// from the command line; a test turns it off to see what the triggers logged.
    pub risk_refresher: bool,
    pub signal_rate_per_minute: u32,
    pub signal_contact_retention_days: u32,
    pub session_ttl_hours: u32,
    /// Read once at start (see `cli::serve`), so a bad file stops `serve` instead of a page.
    pub risk_weights: RiskWeights,
    /// The reverse proxy whose `X-Forwarded-For` names the client (`web::client_addr`).
    pub trusted_proxy: Option<std::net::IpAddr>,
}

impl Config {
    pub fn from_serve(serve: &ServeConfig, bound_addr: std::net::SocketAddr) -> Self {
        let base_url = serve
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound_addr}"));
        Config {
            base_url: base_url.trim_end_matches('/').to_string(),
            smtp_url: serve.smtp_url.clone().filter(|url| !url.trim().is_empty()),
            mail_from: serve.mail_from.clone(),
            mail_dir: serve.mail_dir.clone(),
            mail_retry_base_secs: serve.mail_retry_base_secs,
            mail_worker: true,
            risk_refresher: true,
            signal_rate_per_minute: serve.signal_rate_per_minute,
            signal_contact_retention_days: serve.signal_contact_retention_days,
            session_ttl_hours: serve.session_ttl_hours,
            risk_weights: RiskWeights::default(),
            trusted_proxy: serve.trusted_proxy,
        }
    }

    /// The defaults of `serve` for an app reached at `base_url` (for tests and tools).
    pub fn with_defaults(base_url: &str) -> Self {
        Config {
            base_url: base_url.trim_end_matches('/').to_string(),
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.into(),
            mail_dir: PathBuf::from(DEFAULT_MAIL_DIR),
            mail_retry_base_secs: DEFAULT_MAIL_RETRY_BASE_SECS,
            mail_worker: true,
            risk_refresher: true,
            signal_rate_per_minute: 10,
            signal_contact_retention_days: DEFAULT_SIGNAL_CONTACT_RETENTION_DAYS,
            session_ttl_hours: 12,
            risk_weights: RiskWeights::default(),
            trusted_proxy: None,
        }
    }

    /// Cookies get the `Secure` flag only when the app is reached over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}
