//! `/rapporten/{id}`: the report as a document for the inspector, with — while it is a concept —
//! the form to edit summary, advice and improvement points, and the steps send and finalise.
//! Printing the page gives a clean A4 document (the print stylesheet hides the forms).
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::app::AppState;
use crate::audit::Actor;
use crate::domain::local_time::parse_date;
use crate::domain::role::Role;
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult, FieldError};
use crate::reports::document::{self, Document, Reader};
use crate::reports::edit::{PointInput, ReportEdit};
use crate::reports::notify::Notifier;
use crate::reports::queries::{self, Scope};
use crate::reports::rules::{self, PointStatus, ReportStatus};
use crate::reports::{lifecycle, points};
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::current_user::CurrentUser;
use crate::web::parse_id;
use crate::web::templates::{Layout, SummaryItem};

fn staff(user: &CurrentUser) -> AppResult<Scope> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    Ok(Scope::of(user))
}

/// A theme's findings field in the edit form.
#[derive(Debug, Serialize)]
struct ThemeRow {
    code: String,
    title: String,
    text: String,
}

/// One row of the points in the edit form, as typed.
#[derive(Debug, Clone, Default, Serialize)]
struct Row {
    id: String,
    criterion: String,
    description: String,
    due: String,
    error: Option<String>,
}

#[derive(Serialize)]
struct ReportPage {
    #[serde(flatten)]
    layout: Layout,
    notice: Option<&'static str>,
    doc: Document,
    editable: bool,
    summary_text: String,
    advice_text: String,
    theme_rows: Vec<ThemeRow>,
    rows: Vec<Row>,
    new_row: Row,
    new_row_index: usize,
    can_finalize: bool,
    finalize_early: bool,
    staff_points: bool,
    provider_points: bool,
    /// Sent, with open points: a heronderzoek can be planned from here.
    follow_up: bool,
    summary: Vec<SummaryItem>,
    has_errors: bool,
}

#[derive(Deserialize)]
pub struct Notice {
    melding: Option<String>,
}

fn notice_text(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "opgeslagen" => "Het concept is opgeslagen.",
        "verzonden" => {
            "Het rapport is aan de aanbieder verzonden. De aanbieder krijgt een e-mail met de termijn voor een reactie."
        }
        "definitief" => "Het rapport is definitief. De aanbieder krijgt een e-mail.",
        "punt" => "Het verbeterpunt is bijgewerkt.",
        _ => return None,
    })
}

struct Typed {
    summary: String,
    advice: String,
    /// Findings per theme code, as typed (`theme_A`, …).
    themes: std::collections::BTreeMap<String, String>,
    rows: Vec<Row>,
    new_row: Row,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    report: &crate::db::entities::report::Model,
    typed: Option<Typed>,
    problems: &[FieldError],
    notice: Option<&'static str>,
) -> AppResult<Response> {
    let doc = document::build(&state.db, report, Reader::Staff).await?;
    let status = ReportStatus::parse(&report.status).unwrap_or(ReportStatus::Concept);
    let typed = typed.unwrap_or_else(|| Typed {
        summary: report.summary.clone(),
        advice: report.advice.clone(),
        themes: crate::reports::view::theme_findings(&report.theme_findings),
        rows: doc
            .points
            .iter()
            .map(|p| Row {
                id: p.id.clone(),
                criterion: p.code.clone(),
                description: p.description.clone(),
                due: p.due_iso.clone(),
                error: None,
            })
            .collect(),
        new_row: Row::default(),
    });
    let today = dutch_date(Utc::now());
    let errors: Vec<SummaryItem> = problems
        .iter()
        .map(|p| SummaryItem {
            href: format!("#{}", anchor(&p.field)),
            message: p.message.clone(),
        })
        .collect();
    let page = ReportPage {
        layout: Layout::new(
            format!("Rapport {}", doc.cover.provider),
            Some(user),
            &csrf.value,
            "/bezoeken",
        ),
        notice,
        editable: status == ReportStatus::Concept,
        theme_rows: doc
            .themes
            .iter()
            .map(|t| ThemeRow {
                code: t.code.clone(),
                title: t.title.clone(),
                text: typed.themes.get(&t.code).cloned().unwrap_or_default(),
            })
            .collect(),
        summary_text: typed.summary,
        advice_text: typed.advice,
        new_row_index: typed.rows.len(),
        rows: typed.rows,
        new_row: typed.new_row,
        can_finalize: rules::may_finalize(status).is_ok(),
        finalize_early: rules::finalizing_early(status, report.response_due, today),
        staff_points: status != ReportStatus::Concept,
        provider_points: false,
        follow_up: status != ReportStatus::Concept && doc.points.iter().any(|p| !p.solved),
        has_errors: !errors.is_empty(),
        summary: errors,
        doc,
    };
    let code = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        code,
        csrf.clone(),
        state.templates.page("reports/show", &page)?,
    )
        .into_response())
}

/// Where a message points: the row of a point, or the text field.
fn anchor(field: &str) -> String {
    if let Some(theme) = field.strip_prefix("theme_findings.") {
        return format!("theme-{theme}");
    }
    match field.strip_prefix("improvement_points[") {
        Some(rest) => format!("punt-rij-{}", rest.split(']').next().unwrap_or("0")),
        None => field.to_string(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
    Query(notice): Query<Notice>,
) -> AppResult<Response> {
    let scope = staff(&user)?;
    let found = queries::find(&state.db, &scope, parse_id(&id)?).await?;
    render(
        &state,
        &user,
        &csrf,
        &found,
        None,
        &[],
        notice_text(notice.melding.as_deref()),
    )
    .await
}

/// The edit form's fields: the texts, then per point `point_id`, `point_criterion`,
/// `point_description`, `point_due` (in that order), `point_remove` for the ids to drop, and
/// `new_*` for one new point.
fn read(fields: Vec<(String, String)>) -> (Typed, Vec<String>) {
    let mut typed = Typed {
        summary: String::new(),
        advice: String::new(),
        themes: Default::default(),
        rows: Vec::new(),
        new_row: Row::default(),
    };
    let mut remove = Vec::new();
    for (name, value) in fields {
        match name.as_str() {
            "summary" => typed.summary = value,
            "advice" => typed.advice = value,
            "point_id" => typed.rows.push(Row {
                id: value,
                ..Row::default()
            }),
            "point_criterion" | "point_description" | "point_due" => {
                if let Some(row) = typed.rows.last_mut() {
                    match name.as_str() {
                        "point_criterion" => row.criterion = value,
                        "point_description" => row.description = value,
                        _ => row.due = value,
                    }
                }
            }
            "point_remove" => remove.push(value),
            "new_criterion" => typed.new_row.criterion = value,
            "new_description" => typed.new_row.description = value,
            "new_due" => typed.new_row.due = value,
            theme if theme.starts_with("theme_") => {
                typed
                    .themes
                    .insert(theme["theme_".len()..].to_string(), value);
            }
            _ => {}
        }
    }
    (typed, remove)
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let scope = staff(&user)?;
    let found = queries::find(&state.db, &scope, parse_id(&id)?).await?;
    let (mut typed, remove) = read(fields);
    let mut problems = Vec::new();
    let mut inputs = Vec::new();
    let kept = typed.rows.iter().filter(|r| !remove.contains(&r.id));
    let with_new = (!typed.new_row.description.trim().is_empty()
        || !typed.new_row.criterion.trim().is_empty()
        || !typed.new_row.due.trim().is_empty())
    .then_some(&typed.new_row);
    for (i, row) in kept.chain(with_new).enumerate() {
        let due_date = if row.due.trim().is_empty() {
            None
        } else {
            match parse_date(&row.due) {
                Ok(date) => Some(date),
                Err(message) => {
                    problems.push(FieldError::new(
                        format!("improvement_points[{i}].due_date"),
                        message,
                    ));
                    None
                }
            }
        };
        inputs.push(PointInput {
            id: Uuid::parse_str(&row.id).ok(),
            criterion: row.criterion.clone(),
            description: row.description.clone(),
            due_date,
        });
    }
    let edit = ReportEdit {
        summary: Some(typed.summary.clone()),
        advice: Some(typed.advice.clone()),
        theme_findings: Some(typed.themes.clone()),
        improvement_points: Some(inputs),
    };
    let result = if problems.is_empty() {
        lifecycle::edit(&state.db, &scope, &Actor::from(&user), found.id, &edit).await
    } else {
        Err(AppError::Validation(problems))
    };
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/rapporten/{}?melding=opgeslagen", found.id)).into_response(),
        ),
        Err(AppError::Validation(problems)) => {
            // Each message beside its row, counted as the rows were sent (removed rows left out).
            typed.rows.retain(|r| !remove.contains(&r.id));
            for p in &problems {
                if let Some(i) = p
                    .field
                    .strip_prefix("improvement_points[")
                    .and_then(|r| r.split(']').next())
                    .and_then(|i| i.parse::<usize>().ok())
                {
                    let row = if i < typed.rows.len() {
                        typed.rows.get_mut(i)
                    } else {
                        Some(&mut typed.new_row)
                    };
                    if let Some(row) = row {
                        row.error.get_or_insert_with(|| p.message.clone());
                    }
                }
            }
            render(&state, &user, &csrf, &found, Some(typed), &problems, None).await
        }
        Err(other) => Err(other),
    }
}

pub async fn send(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let scope = staff(&user)?;
    let sent = lifecycle::send(
        &state.db,
        &Notifier::of(&state),
        &scope,
        &Actor::from(&user),
        parse_id(&id)?,
    )
    .await?;
    state.wake_mail_worker();
    Ok(Redirect::to(&format!("/rapporten/{}?melding=verzonden", sent.id)).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct FinalizeForm {
    #[serde(default)]
    confirm: String,
}

/// Finalising before the deadline without a response needs an explicit tick: the provider may
/// still want to respond.
pub async fn finalize(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<FinalizeForm>,
) -> AppResult<Response> {
    let scope = staff(&user)?;
    let found = queries::find(&state.db, &scope, parse_id(&id)?).await?;
    let status = ReportStatus::parse(&found.status).unwrap_or(ReportStatus::Concept);
    if rules::finalizing_early(status, found.response_due, dutch_date(Utc::now()))
        && form.confirm != "ja"
    {
        return Ok(Redirect::to(&format!("/rapporten/{}#definitief", found.id)).into_response());
    }
    lifecycle::finalize(
        &state.db,
        &Notifier::of(&state),
        &scope,
        &Actor::from(&user),
        found.id,
    )
    .await?;
    state.wake_mail_worker();
    Ok(Redirect::to(&format!("/rapporten/{}?melding=definitief", found.id)).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct PointForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

pub async fn point(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, point_id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<PointForm>,
) -> AppResult<Response> {
    let scope = staff(&user)?;
    let report_id = parse_id(&id)?;
    let status = PointStatus::parse(&form.status)
        .ok_or_else(|| AppError::BadRequest("onbekende status".into()))?;
    points::set_status(
        &state.db,
        &scope,
        &Actor::from(&user),
        report_id,
        parse_id(&point_id)?,
        status,
        Some(&form.note),
    )
    .await?;
    Ok(Redirect::to(&format!("/rapporten/{report_id}?melding=punt")).into_response())
}
