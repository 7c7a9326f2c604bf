//! `/login`, `/logout` and `/account`.
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::auth::sessions::{self, SessionKind};
use crate::db::entities::{provider, region};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::current_user::{CurrentUser, MaybeUser, SESSION_COOKIE};
use crate::web::nav;
use crate::web::templates::Layout;

#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Serialize)]
struct LoginPage {
    #[serde(flatten)]
    layout: Layout,
    email: String,
    next: String,
    email_error: Option<String>,
    password_error: Option<String>,
    /// A problem with the attempt as a whole (wrong credentials, throttled).
    message: Option<String>,
    has_errors: bool,
}

impl LoginPage {
    fn new(layout: Layout, email: String, next: String) -> Self {
        LoginPage {
            layout,
            email,
            next,
            email_error: None,
            password_error: None,
            message: None,
            has_errors: false,
        }
    }
}

pub async fn login_form(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    csrf: CsrfToken,
    Query(query): Query<LoginQuery>,
) -> AppResult<Response> {
    if let Some(user) = user {
        return Ok(Redirect::to(&nav::after_sign_in(
            &query.next,
            user.role,
            user.region_code.as_deref(),
        ))
        .into_response());
    }
    let layout = Layout::new("Inloggen", None, &csrf.value, "/login");
    let page = LoginPage::new(layout, String::new(), query.next);
    let html = state.templates.page("auth/login", &page)?;
    Ok((csrf, html).into_response())
}

pub async fn login(
    State(state): State<AppState>,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> AppResult<Response> {
    let layout = Layout::new("Inloggen", None, &csrf.value, "/login");
    let mut page = LoginPage::new(layout, form.email.trim().to_string(), form.next.clone());
    if form.email.trim().is_empty() {
        page.email_error = Some("Vul uw e-mailadres in.".into());
    }
    if form.password.is_empty() {
        page.password_error = Some("Vul uw wachtwoord in.".into());
    }
    let status = if page.email_error.is_some() || page.password_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        match sessions::sign_in(
            &state.db,
            &form.email,
            &form.password,
            SessionKind::Web,
            state.config.session_ttl_hours,
        )
        .await
        {
            Ok(signed_in) => {
                tracing::info!(user_id = %signed_in.user.id, "signed in (web)");
                let cookie = Cookie::build((SESSION_COOKIE, signed_in.token))
                    .path("/")
                    .http_only(true)
                    .same_site(SameSite::Lax)
                    .secure(state.config.secure_cookies())
                    .max_age(cookie_max_age(state.config.session_ttl_hours))
                    .build();
                let role = Role::parse(&signed_in.user.role)
                    .ok_or_else(|| AppError::internal("unknown role"))?;
                let mut response = Redirect::to(&nav::after_sign_in(
                    &form.next,
                    role,
                    signed_in.user.region_code.as_deref(),
                ))
                .into_response();
                set_cookie(&mut response, &cookie)?;
                return Ok(response);
            }
            Err(AppError::InvalidCredentials) => {
                page.message = Some("Het e-mailadres of het wachtwoord klopt niet.".into());
                StatusCode::UNAUTHORIZED
            }
            Err(AppError::TooManyRequests { retry_after_secs }) => {
                page.message = Some(format!(
                    "Te veel mislukte pogingen voor dit e-mailadres. Probeer het over {} opnieuw.",
                    crate::domain::text::duration_nl(retry_after_secs)
                ));
                StatusCode::TOO_MANY_REQUESTS
            }
            Err(other) => return Err(other),
        }
    };
    page.has_errors = true;
    let html = state.templates.page("auth/login", &page)?;
    Ok((status, csrf, html).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct LogoutForm {}

pub async fn logout(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    CsrfForm(_): CsrfForm<LogoutForm>,
) -> AppResult<Response> {
    if let Some(user) = user {
        sessions::end_session(&state.db, &user.session_hash).await?;
        tracing::info!(user_id = %user.id, "signed out (web)");
    }
    let mut response = Redirect::to("/?uitgelogd=1").into_response();
    let removal = Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .max_age(cookie::time::Duration::ZERO)
        .build();
    set_cookie(&mut response, &removal)?;
    Ok(response)
}

#[derive(Serialize)]
struct AccountPage {
    #[serde(flatten)]
    layout: Layout,
    name: String,
    email: String,
    role_label: &'static str,
    region_name: Option<String>,
    provider_name: Option<String>,
    /// Inspectors: the secret address of their visits' calendar feed.
    calendar_url: Option<String>,
    calendar_renewed: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct AccountQuery {
    #[serde(rename = "nieuwe-agenda-link")]
    calendar_renewed: Option<String>,
}

pub async fn account(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Query(query): Query<AccountQuery>,
) -> AppResult<(CsrfToken, Html<String>)> {
    let region_name = match &user.region_code {
        Some(code) => region::Entity::find_by_id(code.clone())
            .one(&state.db)
            .await?
            .map(|r| r.name),
        None => None,
    };
    let provider_name = match user.provider_id {
        Some(id) => provider::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|p| p.name),
        None => None,
    };
    let page = AccountPage {
        layout: Layout::new("Mijn account", Some(&user), &csrf.value, "/account"),
        name: user.name.clone(),
        email: user.email.clone(),
        role_label: user.role.label_nl(),
        region_name,
        provider_name,
        calendar_url: (user.role == Role::Inspector)
            .then(|| crate::calendar::feed_url(&state.config.base_url, &user.calendar_token)),
        calendar_renewed: query.calendar_renewed.is_some() && user.role == Role::Inspector,
    };
    let html = state.templates.page("auth/account", &page)?;
    Ok((csrf, html))
}

fn cookie_max_age(ttl_hours: u32) -> cookie::time::Duration {
    cookie::time::Duration::hours(i64::from(ttl_hours))
}

fn set_cookie(response: &mut Response, cookie: &Cookie<'_>) -> AppResult<()> {
    let value = HeaderValue::from_str(&cookie.to_string()).map_err(AppError::internal)?;
    response.headers_mut().append(header::SET_COOKIE, value);
    Ok(())
}
