//! `/melding/status`: a reporter follows a signal with its reference and the code shown once.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::domain::text::{date_nl, datetime_nl};
use crate::error::{AppError, AppResult};
use crate::signals::api::find_for_reporter;
use crate::signals::queries;
use crate::signals::rules::{Category, SignalStatus};
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::templates::Layout;

#[derive(Debug, Default, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    token: String,
}

#[derive(Serialize)]
struct HistoryLine {
    when: String,
    status: &'static str,
}

#[derive(Serialize)]
struct StatusPage {
    #[serde(flatten)]
    layout: Layout,
    reference: String,
    not_found: bool,
    found: Option<FoundStatus>,
}

#[derive(Serialize)]
struct FoundStatus {
    reference: String,
    status: &'static str,
    explanation: &'static str,
    category: &'static str,
    received_on: String,
    history: Vec<HistoryLine>,
}

pub async fn status_form(State(state): State<AppState>, csrf: CsrfToken) -> AppResult<Response> {
    let page = StatusPage {
        layout: Layout::new(
            "Status van uw melding",
            None,
            &csrf.value,
            "/melding/status",
        ),
        reference: String::new(),
        not_found: false,
        found: None,
    };
    Ok((csrf, state.templates.page("signals/status", &page)?).into_response())
}

/// POST, not GET: the token must not end up in a URL, a browser history or a server log.
pub async fn status_lookup(
    State(state): State<AppState>,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> AppResult<Response> {
    let layout = Layout::new(
        "Status van uw melding",
        None,
        &csrf.value,
        "/melding/status",
    );
    match find_for_reporter(&state, &form.reference, &form.token).await {
        Ok(signal) => {
            let events = queries::history(&state.db, &[signal.id])
                .await?
                .remove(&signal.id)
                .unwrap_or_default();
            let status = SignalStatus::parse(&signal.status).unwrap_or(SignalStatus::Ontvangen);
            let page = StatusPage {
                layout,
                reference: signal.reference.clone(),
                not_found: false,
                found: Some(FoundStatus {
                    reference: signal.reference,
                    status: status.label_nl(),
                    explanation: status.explanation_nl(),
                    category: Category::parse(&signal.category).map_or("", |c| c.label_nl()),
                    received_on: date_nl(crate::domain::working_days::dutch_date(
                        signal.received_at,
                    )),
                    history: events
                        .into_iter()
                        .rev()
                        .map(|e| HistoryLine {
                            when: datetime_nl(e.at),
                            status: SignalStatus::parse(&e.status).map_or("", |s| s.label_nl()),
                        })
                        .collect(),
                }),
            };
            Ok((csrf, state.templates.page("signals/status", &page)?).into_response())
        }
        Err(AppError::NotFound) => {
            let page = StatusPage {
                layout,
                reference: form.reference,
                not_found: true,
                found: None,
            };
            let html = state.templates.page("signals/status", &page)?;
            Ok((StatusCode::NOT_FOUND, csrf, html).into_response())
        }
        Err(other) => Err(other),
    }
}
