//! Structured logging. `RUST_LOG` filters (default `info`). Never log emails, names, tokens or
//! signal text: spans carry ids and route templates only.
use tracing_subscriber::{EnvFilter, fmt};

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"));
    // `try_init`: tests call into the library many times in one process.
    let _ = fmt().with_env_filter(filter).with_target(false).try_init();
}
