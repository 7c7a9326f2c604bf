//! A provider files its calamity and violence reports and sees their status, never signals that
//! others filed about it.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::domain::role::Role;
use crate::domain::text::date_nl;
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult, FieldError};
use crate::signals::api::{client_key, file_signal};
use crate::signals::create::CalamityDetails;
use crate::signals::input::RawSignal;
use crate::signals::queries::{self, ListFilter, Scope};
use crate::signals::rules::{Category, SignalStatus};
use crate::web::client_addr::ClientAddr;
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::current_user::CurrentUser;
use crate::web::pagination::Paging;
use crate::web::templates::{Layout, SummaryItem};

fn provider_only(user: &CurrentUser) -> AppResult<Scope> {
    user.require_role(&[Role::Provider])?;
    Ok(Scope::of(user))
}

#[derive(Serialize)]
struct ReportRow {
    reference: String,
    received: String,
    category: &'static str,
    status: &'static str,
}

#[derive(Serialize)]
struct Overview {
    #[serde(flatten)]
    layout: Layout,
    filed: Option<String>,
    reports: Vec<ReportRow>,
    coming_visits: Vec<crate::portal::visits::PortalVisit>,
    past_visits: Vec<crate::portal::visits::PortalVisit>,
    report_rows: Vec<crate::portal::reports::ReportRow>,
}

pub async fn overview(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let scope = provider_only(&user)?;
    let (items, _) = queries::list(
        &state.db,
        &scope,
        &ListFilter::default(),
        Paging::new(None, Some(200))?,
    )
    .await?;
    let mut items = items;
    // The list comes most urgent first; the portal shows the newest first.
    items.sort_by_key(|s| std::cmp::Reverse(s.received_at));
    let reports: Vec<_> = items
        .into_iter()
        .map(|s| ReportRow {
            received: date_nl(dutch_date(s.received_at)),
            category: Category::parse(&s.category).map_or("", |c| c.label_nl()),
            status: SignalStatus::parse(&s.status).map_or("", |st| st.label_nl()),
            reference: s.reference,
        })
        .collect();
    let filed = raw
        .as_deref()
        .and_then(|q| q.strip_prefix("gemeld="))
        .filter(|r| {
            r.starts_with("M-")
                && r.len() <= 16
                && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .map(str::to_string);
    let (coming_visits, past_visits) = crate::portal::visits::for_portal(&state.db, &user).await?;
    let page = Overview {
        layout: Layout::new("Portaal", Some(&user), &csrf.value, "/portaal"),
        filed,
        reports,
        coming_visits,
        past_visits,
        report_rows: crate::portal::reports::for_portal(&state, &user).await?,
    };
    Ok((csrf, state.templates.page("portal/index", &page)?).into_response())
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct CalamityForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    occurred_on: String,
    #[serde(default)]
    client_harm: String,
    #[serde(default)]
    board_informed: String,
    #[serde(default)]
    measures_taken: String,
    #[serde(default)]
    aftercare: String,
}

#[derive(Serialize, Default)]
struct Errors {
    category: Option<String>,
    description: Option<String>,
    occurred_on: Option<String>,
    client_harm: Option<String>,
    board_informed: Option<String>,
    measures_taken: Option<String>,
    aftercare: Option<String>,
}

#[derive(Serialize)]
struct FormPage {
    #[serde(flatten)]
    layout: Layout,
    form: CalamityForm,
    errors: Errors,
    summary: Vec<SummaryItem>,
    has_errors: bool,
}

fn page(
    user: &CurrentUser,
    csrf: &CsrfToken,
    form: CalamityForm,
    field_errors: Vec<FieldError>,
) -> FormPage {
    let mut errors = Errors::default();
    let mut summary = Vec::new();
    for e in field_errors {
        let slot = match e.field.as_str() {
            "category" => &mut errors.category,
            "description" => &mut errors.description,
            "occurred_on" => &mut errors.occurred_on,
            "client_harm" => &mut errors.client_harm,
            "board_informed" => &mut errors.board_informed,
            "measures_taken" => &mut errors.measures_taken,
            "aftercare" => &mut errors.aftercare,
            _ => continue,
        };
        if slot.is_none() {
            summary.push(SummaryItem {
                href: format!("#{}", e.field),
                message: e.message.clone(),
            });
            *slot = Some(e.message);
        }
    }
    FormPage {
        layout: Layout::new(
            "Calamiteit of geweld melden",
            Some(user),
            &csrf.value,
            "/portaal",
        ),
        form,
        errors,
        has_errors: !summary.is_empty(),
        summary,
    }
}

pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
) -> AppResult<Response> {
    provider_only(&user)?;
    let html = state.templates.page(
        "portal/calamity",
        &page(&user, &csrf, CalamityForm::default(), Vec::new()),
    )?;
    Ok((csrf, html).into_response())
}

/// The report's own questions; the rest is checked like any signal.
fn check_details(form: &CalamityForm) -> (Option<CalamityDetails>, Vec<FieldError>) {
    let mut errors = Vec::new();
    if !matches!(form.category.as_str(), "calamiteit" | "geweld") {
        errors.push(FieldError::new(
            "category",
            "Kies of het om een calamiteit of om geweld gaat.",
        ));
    }
    if form.occurred_on.trim().is_empty() {
        errors.push(FieldError::new(
            "occurred_on",
            "Vul in wanneer het is gebeurd.",
        ));
    }
    let mut text = |field: &str, value: &str, message: &str| {
        if value.trim().is_empty() {
            errors.push(FieldError::new(field, message));
        } else if value.chars().count() > 5000 {
            errors.push(FieldError::new(
                field,
                "Dit is te lang (hoogstens 5000 tekens).",
            ));
        }
    };
    text(
        "client_harm",
        &form.client_harm,
        "Beschrijf de gevolgen voor de cliënt.",
    );
    text(
        "measures_taken",
        &form.measures_taken,
        "Beschrijf welke maatregelen u hebt genomen.",
    );
    text(
        "aftercare",
        &form.aftercare,
        "Beschrijf de nazorg voor de cliënt en betrokkenen.",
    );
    let board = match form.board_informed.as_str() {
        "ja" => Some(true),
        "nee" => Some(false),
        _ => {
            errors.push(FieldError::new(
                "board_informed",
                "Geef aan of het bestuur is geïnformeerd.",
            ));
            None
        }
    };
    let details = board.map(|board_informed| CalamityDetails {
        client_harm: form.client_harm.trim().into(),
        board_informed,
        measures_taken: form.measures_taken.trim().into(),
        aftercare: form.aftercare.trim().into(),
    });
    (details, errors)
}

pub async fn submit(
    State(state): State<AppState>,
    addr: ClientAddr,
    user: CurrentUser,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<CalamityForm>,
) -> AppResult<Response> {
    provider_only(&user)?;
    let (details, mut errors) = check_details(&form);
    let raw = RawSignal {
        category: form.category.clone(),
        description: form.description.clone(),
        occurred_on: Some(form.occurred_on.clone()),
        anonymous: false,
        ..Default::default()
    };
    let today = dutch_date(Utc::now());
    let signal_check = crate::signals::input::check(
        &RawSignal {
            provider_id: user.provider_id.map(|p| p.to_string()),
            reporter_role: "aanbieder".into(),
            ..raw.clone()
        },
        today,
    );
    if let Err(more) = signal_check {
        errors.extend(more);
    }
    let result = match details {
        Some(details) if errors.is_empty() => {
            file_signal(&state, Some(&user), &client_key(&addr), raw, Some(details)).await
        }
        _ => Err(AppError::Validation(errors)),
    };
    match result {
        Ok(filed) => Ok(
            Redirect::to(&format!("/portaal?gemeld={}", filed.signal.reference)).into_response(),
        ),
        Err(AppError::Validation(errors)) => {
            let html = state
                .templates
                .page("portal/calamity", &page(&user, &csrf, form, errors))?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, html).into_response())
        }
        Err(other) => Err(other),
    }
}
