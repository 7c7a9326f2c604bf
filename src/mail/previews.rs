//! `/beheer/e-mails`: every email template, rendered with the fixed sample data of
//! [`samples`](super::samples), so an admin sees what recipients get without sending anything.
//!
//! The HTML part is shown as the recipient's mail program shows it: served on its own at
//! `/beheer/e-mails/{name}/html` and embedded in a sandboxed `<iframe>`. Showing only the escaped
//! source would keep the one CSP, but nobody can judge a layout from markup. The email's HTML
//! needs inline styles (mail programs ignore style sheets), so that one response carries its own
//! policy — no script, no requests out, inline styles, framing by this site only, and `sandbox`
//! even when opened directly; `web::security_headers` keeps a header a handler set. Every page
//! around it keeps the strict policy, and the source is shown escaped beside it as well.
use axum::extract::{Path, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use super::{Rendered, render, samples};
use crate::app::AppState;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfToken;
use crate::web::current_user::CurrentUser;
use crate::web::templates::Layout;

const PATH: &str = "/beheer/e-mails";

/// The policy of the HTML part alone (see the module comment).
const HTML_PART_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
     frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox";

#[derive(Serialize)]
struct Row {
    name: String,
    description: Option<&'static str>,
    href: Option<String>,
}

#[derive(Serialize)]
struct ListPage {
    #[serde(flatten)]
    layout: Layout,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct PreviewPage {
    #[serde(flatten)]
    layout: Layout,
    name: &'static str,
    description: &'static str,
    subject: String,
    text: String,
    html: String,
    html_href: String,
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    // The templates the application has, not just the samples: one without a sample shows up
    // (without a preview) instead of hiding.
    let rows = state
        .templates
        .email_names()
        .into_iter()
        .map(|name| {
            let sample = samples::find(&name);
            Row {
                description: sample.map(|s| s.description),
                href: sample.map(|s| format!("{PATH}/{}", s.name)),
                name,
            }
        })
        .collect();
    let html = state.templates.page(
        "mail/previews",
        &ListPage {
            layout: Layout::new("E-mailvoorbeelden", Some(&user), &csrf.value, PATH),
            rows,
        },
    )?;
    Ok((csrf, html).into_response())
}

fn rendered(state: &AppState, name: &str) -> AppResult<(&'static samples::Sample, Rendered)> {
    let sample = samples::find(name).ok_or(AppError::NotFound)?;
    let message = render(&state.templates, sample.name, &(sample.context)())?;
    Ok((sample, message))
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(name): Path<String>,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let (sample, message) = rendered(&state, &name)?;
    let html = state.templates.page(
        "mail/preview",
        &PreviewPage {
            layout: Layout::new(
                format!("E-mailvoorbeeld {}", sample.name),
                Some(&user),
                &csrf.value,
                PATH,
            ),
            name: sample.name,
            description: sample.description,
            subject: message.subject,
            text: message.text,
            html: message.html,
            html_href: format!("{PATH}/{}/html", sample.name),
        },
    )?;
    Ok((csrf, html).into_response())
}

/// The HTML part alone, for the `<iframe>` of [`show`].
pub async fn html_part(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let (_, message) = rendered(&state, &name)?;
    let mut response = Html(message.html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(HTML_PART_POLICY),
    );
    headers.insert(
        HeaderName::from_static("x-frame-options"),
        HeaderValue::from_static("SAMEORIGIN"),
    );
    Ok(response)
}
