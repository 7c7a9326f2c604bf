//! The application: its shared state, its router, and `serve`, the one way it starts (in
//! production and in the tests).
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::{Json, Router, middleware};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::config::Config;
use crate::error::AppError;
use crate::mail::Mailer;
use crate::web::templates::Templates;
use crate::web::{self, assets, health, home, json::MAX_JSON_BODY};
use crate::{
    auth, calendar, dashboard, framework, mail, planning, portal, providers, regions, reports,
    signals, visits,
};

/// Everything a handler needs; cheap to clone (a pool handle, a mailer and `Arc`s).
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub templates: Templates,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    /// Wakes this instance's outbox worker (see [`AppState::wake_mail_worker`]).
    pub mail_wake: Arc<Notify>,
    /// Writes filed signals in batches (`signals::intake`).
    pub intake: signals::intake::Intake,
}

/// Why the state could not be built: a template that does not compile, or a mail setting that
/// cannot work.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("sjablonen: {0}")]
    Templates(#[from] handlebars::TemplateError),
    #[error("e-mail: {0}")]
    Mail(String),
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: Config) -> Result<Self, StateError> {
        let mailer = Mailer::from_config(&config).map_err(StateError::Mail)?;
        Ok(Self::with_mailer(db, config, mailer)?)
    }

    /// With a mailer of the caller's choice (the memory mailer in tests).
    pub fn with_mailer(
        db: DatabaseConnection,
        config: Config,
        mailer: Mailer,
    ) -> Result<Self, handlebars::TemplateError> {
        let templates = Templates::load()?;
        let intake = signals::intake::Intake::new(db.clone(), templates.clone(), &config.base_url);
        Ok(AppState {
            db,
            templates,
            intake,
            config: Arc::new(config),
            mailer,
            mail_wake: Arc::new(Notify::new()),
        })
    }

    /// Lets the outbox worker look for due messages now instead of at its next poll. Call it
    /// after committing a transaction that queued email; without it the mail leaves within a
    /// second anyway.
    pub fn wake_mail_worker(&self) {
        self.mail_wake.notify_one();
    }
}

/// The API routers of every area, with the OpenAPI document they describe.
fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(web::openapi::ApiDoc::openapi())
        .nest(
            "/api/v1",
            OpenApiRouter::new()
                .merge(auth::api_router())
                .merge(regions::api_router())
                .merge(dashboard::api_router())
                .merge(planning::api_router())
                .merge(providers::api_router())
                .merge(framework::api_router())
                .merge(signals::api_router())
                .merge(mail::api_router())
                .merge(visits::api_router())
                .merge(calendar::api_router())
                .merge(reports::api_router()),
        )
        .split_for_parts()
}

pub fn router(state: AppState) -> Router {
    let (api, openapi) = api();
    let openapi = Arc::new(openapi);
    Router::new()
        .merge(api)
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let openapi = openapi.clone();
                async move { Json(openapi) }
            }),
        )
        .route("/", get(home::page))
        .merge(auth::router())
        .merge(regions::router())
        .merge(dashboard::router())
        .merge(planning::router())
        .merge(providers::router())
        .merge(framework::router())
        .merge(signals::router())
        .merge(portal::router())
        .merge(mail::router())
        .merge(visits::router())
        .merge(calendar::router())
        .merge(reports::router())
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/{*path}", get(assets::serve))
        .fallback(web::not_found)
        .method_not_allowed_fallback(web::method_not_allowed)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::html_errors,
        ))
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY))
        .layer(middleware::from_fn(web::security_headers))
        .layer(middleware::from_fn(web::run_to_completion))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(web::request_span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(AppError::internal("handler panicked"))
        }))
        .with_state(state)
}

/// Serves HTTP on `listener` and runs the outbox worker (unless `config.mail_worker` is off),
/// the retention job, the rate limit's purge, the reminder job and the risk scores' refresher
/// (unless `config.risk_refresher` is off) until Ctrl-C / SIGTERM, finishing requests in flight and the email being sent.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let (stop_worker, stop) = watch::channel(false);
    let worker = state
        .config
        .mail_worker
        .then(|| tokio::spawn(mail::worker::run(state.clone(), stop)));
    let retention = tokio::spawn(crate::signals::retention::run_daily(
        state.db.clone(),
        state.config.signal_contact_retention_days,
        stop_worker.subscribe(),
    ));
    let purge = tokio::spawn(crate::signals::retention::run_submission_purge(
        state.db.clone(),
        stop_worker.subscribe(),
    ));
    let reminders = tokio::spawn(crate::reports::reminders::run_hourly(
        state.clone(),
        stop_worker.subscribe(),
    ));
    let risks = state.config.risk_refresher.then(|| {
        tokio::spawn(crate::risk::refresher::run(
            state.db.clone(),
            state.config.risk_weights.clone(),
            stop_worker.subscribe(),
        ))
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await;
    let _ = stop_worker.send(true);
    let _ = retention.await;
    let _ = purge.await;
    let _ = reminders.await;
    if let Some(risks) = risks {
        let _ = risks.await;
    }
    if let Some(worker) = worker {
        let _ = worker.await;
    }
    served
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
