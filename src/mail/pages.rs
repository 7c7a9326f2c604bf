//! `/beheer/outbox`: outgoing email for admins, filtered by status, with a button to queue a
//! failed message again.
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::{OutboxStatus, queries};
use crate::app::AppState;
use crate::domain::role::Role;
use crate::domain::text::datetime_nl;
use crate::error::AppResult;
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::current_user::CurrentUser;
use crate::web::pagination::Paging;
use crate::web::templates::Layout;
use crate::web::{form_urlencode, parse_id};

const PATH: &str = "/beheer/outbox";

/// Lenient, as a person may edit the address bar: an unknown status shows everything.
#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    status: Option<String>,
    page: Option<String>,
    opnieuw: Option<String>,
}

#[derive(Serialize)]
struct StatusOption {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Serialize)]
struct Row {
    id: String,
    to: String,
    subject: String,
    status: &'static str,
    status_label: &'static str,
    failed: bool,
    attempts: i32,
    last_error: Option<String>,
    created_at: String,
    sent_at: Option<String>,
}

#[derive(Serialize)]
struct OutboxPage {
    #[serde(flatten)]
    layout: Layout,
    statuses: Vec<StatusOption>,
    status: &'static str,
    rows: Vec<Row>,
    total: u64,
    page: u64,
    pages: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
    requeued: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct RetryForm {
    /// The filter to return to.
    #[serde(default)]
    status: String,
}

fn list_href(status: Option<OutboxStatus>, page: u64) -> String {
    match status {
        Some(s) => format!("{PATH}?status={}&page={page}", s.as_str()),
        None => format!("{PATH}?page={page}"),
    }
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let query: PageQuery =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).unwrap_or_default();
    let status = query.status.as_deref().and_then(OutboxStatus::parse);
    let page = query.page.and_then(|p| p.parse().ok()).filter(|p| *p > 0);
    let paging = Paging::new(page, None)?;
    let (items, total) = queries::list(&state.db, status, paging).await?;
    let rows = items
        .into_iter()
        .map(|m| {
            let row_status = OutboxStatus::parse(&m.status).unwrap_or(OutboxStatus::Failed);
            Row {
                id: m.id.to_string(),
                to: m.to_address,
                subject: m.subject,
                status: row_status.as_str(),
                status_label: row_status.label_nl(),
                failed: row_status == OutboxStatus::Failed,
                attempts: m.attempts,
                last_error: m.last_error,
                created_at: datetime_nl(m.created_at),
                sent_at: m.sent_at.map(datetime_nl),
            }
        })
        .collect();
    let pages = paging.page_count(total);
    let mut statuses = vec![StatusOption {
        value: "",
        label: "Alle",
        selected: status.is_none(),
    }];
    statuses.extend(OutboxStatus::ALL.map(|s| StatusOption {
        value: s.as_str(),
        label: s.label_nl(),
        selected: status == Some(s),
    }));
    let html = state.templates.page(
        "mail/outbox",
        &OutboxPage {
            layout: Layout::new("Uitgaande e-mail", Some(&user), &csrf.value, PATH),
            statuses,
            status: status.map_or("", OutboxStatus::as_str),
            rows,
            total,
            page: paging.page,
            pages,
            prev_href: (paging.page > 1).then(|| list_href(status, paging.page - 1)),
            next_href: (paging.page < pages).then(|| list_href(status, paging.page + 1)),
            requeued: query.opnieuw.is_some(),
        },
    )?;
    Ok((csrf, html).into_response())
}

pub async fn retry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<RetryForm>,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let message = queries::retry(&state.db, parse_id(&id)?).await?;
    state.wake_mail_worker();
    tracing::info!(user_id = %user.id, message_id = %message.id, "email queued again by admin");
    let back = match OutboxStatus::parse(&form.status) {
        Some(s) => format!("{PATH}?status={}&opnieuw=1", form_urlencode(s.as_str())),
        None => format!("{PATH}?opnieuw=1"),
    };
    Ok(Redirect::to(&back).into_response())
}
