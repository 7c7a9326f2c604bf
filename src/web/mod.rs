//! What every route shares: extractors, templates, CSRF, security headers, request tracing, and
//! the rendering of errors as Dutch HTML pages outside `/api`.
pub mod assets;
pub mod client_addr;
pub mod csrf;
pub mod csv;
pub mod current_user;
pub mod health;
pub mod home;
pub mod html_escape;
pub mod json;
pub mod nav;
pub mod openapi;
pub mod pagination;
pub mod query;
pub mod templates;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::app::AppState;
use crate::error::{AppError, Problem};
use templates::Layout;

/// Script and styles only from our own origin, no framing, no referrer leaking tokens in URLs.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Runs the rest of the request on a task of its own, so that it always runs to its end: when a
/// client goes away (closes the page, times out) its request is not cancelled halfway through a
/// transaction. A cancelled transaction could leave its pooled connection inside the
/// transaction (a cancelled `BEGIN` is not rolled back by sqlx), and the next request to get
/// that connection failed (seen under the national benchmark, whose load generator stops
/// mid-request). A panic in the task is a 500, as `CatchPanicLayer` makes it elsewhere.
pub async fn run_to_completion(req: Request, next: Next) -> Response {
    use tracing::Instrument;
    match tokio::spawn(next.run(req).in_current_span()).await {
        Ok(response) => response,
        Err(_) => AppError::internal("request task failed").into_response(),
    }
}

/// Adds the security headers to every response (a handler may set a stricter one itself).
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (HeaderName::from_static("x-frame-options"), "DENY"),
    ] {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    response
}

/// The span of a request: method and route template, never the raw path (a calendar feed URL
/// carries a secret) and never the query string.
pub fn request_span(req: &Request) -> tracing::Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "(geen route)".into());
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    tracing::info_span!("request", method = %req.method(), route, request_id)
}

/// Unknown paths: problem+json under `/api`, the HTML 404 page elsewhere (via `html_errors`).
pub async fn not_found() -> AppError {
    AppError::NotFound
}

pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

#[derive(Serialize)]
struct ErrorPage {
    #[serde(flatten)]
    layout: Layout,
    status: u16,
    heading: String,
    detail: String,
}

/// Outside `/api`, an `AppError` becomes a page a person can read, with a way back; "not signed
/// in" becomes a redirect to the sign-in page that returns here afterwards.
pub async fn html_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/api/") {
        return next.run(req).await;
    }
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_string())
        .unwrap_or_else(|| path.clone());
    let headers = req.headers().clone();
    let response = next.run(req).await;
    let Some(problem) = response.extensions().get::<Problem>().cloned() else {
        return response;
    };
    if problem.status == StatusCode::UNAUTHORIZED.as_u16() {
        let target = format!("/login?next={}", form_urlencode(&path_and_query));
        return Redirect::to(&target).into_response();
    }
    let user = current_user::from_headers(&headers, &state, false)
        .await
        .ok()
        .flatten();
    // The page's sign-out button needs the visitor's CSRF token, which is in its cookie.
    let csrf = axum_extra::extract::cookie::CookieJar::from_headers(&headers)
        .get(csrf::CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    let page = ErrorPage {
        layout: Layout::new(problem.title.clone(), user.as_ref(), &csrf, &path),
        status: problem.status,
        heading: problem.title.clone(),
        detail: problem.detail.clone(),
    };
    match state.templates.page("errors/error", &page) {
        Ok(html) => {
            let mut html_response = html.into_response();
            *html_response.status_mut() = response.status();
            if let Some(retry) = response.headers().get(header::RETRY_AFTER) {
                html_response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, retry.clone());
            }
            html_response
        }
        Err(_) => response,
    }
}

pub fn form_urlencode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// An id from a path: a malformed one names nothing, so it is "not found" like an unknown one.
pub fn parse_id(value: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(value).map_err(|_| AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn a_request_runs_to_its_end_when_its_client_goes_away() {
        let finished = Arc::new(AtomicBool::new(false));
        let done = finished.clone();
        let app = Router::new()
            .route(
                "/",
                get(move || async move {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    done.store(true, Ordering::SeqCst);
                    "klaar"
                }),
            )
            .layer(axum::middleware::from_fn(run_to_completion));
        let request = Request::builder().uri("/").body(Body::empty()).unwrap();
        // The client gives up after 10 ms: the request future is dropped.
        let gave_up = tokio::time::timeout(Duration::from_millis(10), app.oneshot(request)).await;
        assert!(gave_up.is_err());
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            finished.load(Ordering::SeqCst),
            "the handler ran to its end"
        );
    }
}
