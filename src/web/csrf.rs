//! CSRF protection for HTML forms, double-submit style: a random token lives in an `HttpOnly`,
//! `SameSite=Strict` cookie and in a hidden field of every form; a POST whose field does not match
//! its cookie is refused. It needs no server-side state, so it works before sign-in (the login
//! form) and across app instances.
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponseParts, ResponseParts};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::app::AppState;
use crate::auth::tokens;
use crate::error::AppError;

pub const CSRF_COOKIE: &str = "toezicht_csrf";
const FORM_FIELD: &str = "csrf_token";

/// The token for the forms of the page being rendered. Return it as a response part so that a
/// newly issued token also reaches the browser as a cookie.
#[derive(Debug, Clone)]
pub struct CsrfToken {
    pub value: String,
    set_cookie: Option<HeaderValue>,
}

impl FromRequestParts<AppState> for CsrfToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let jar = CookieJar::from_headers(&parts.headers);
        if let Some(existing) = jar.get(CSRF_COOKIE).map(|c| c.value().to_string())
            && tokens::looks_like_token(&existing)
        {
            return Ok(CsrfToken {
                value: existing,
                set_cookie: None,
            });
        }
        let value = tokens::new_token();
        let cookie = Cookie::build((CSRF_COOKIE, value.clone()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(state.config.secure_cookies())
            .build();
        let set_cookie = HeaderValue::from_str(&cookie.to_string()).map_err(AppError::internal)?;
        Ok(CsrfToken {
            value,
            set_cookie: Some(set_cookie),
        })
    }
}

impl IntoResponseParts for CsrfToken {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        if let Some(cookie) = self.set_cookie {
            res.headers_mut().append(header::SET_COOKIE, cookie);
        }
        Ok(res)
    }
}

/// A URL-encoded form whose CSRF field matched its cookie. Form structs should take every field
/// as a `String` with `#[serde(default)]`, so that what the person typed always comes back to
/// the page and is checked there, beside the field.
pub struct CsrfForm<T>(pub T);

impl<S, T> FromRequest<S> for CsrfForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let jar = CookieJar::from_headers(req.headers());
        let cookie = jar.get(CSRF_COOKIE).map(|c| c.value().to_string());
        let bytes = crate::web::json::read_body(req, state).await?;
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| AppError::BadRequest("het formulier kon niet worden gelezen".into()))?;
        let sent = fields
            .iter()
            .find(|(name, _)| name == FORM_FIELD)
            .map(|(_, value)| value.as_str());
        if !tokens_match(cookie.as_deref(), sent) {
            return Err(forged());
        }
        let form = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| AppError::BadRequest("het formulier kon niet worden gelezen".into()))?;
        Ok(CsrfForm(form))
    }
}

/// A URL-encoded form read without the CSRF check, for a handler that checks the token itself
/// (with [`verify`]) so it can answer a mismatch more kindly than with a refusal page.
pub struct UncheckedForm<T>(pub T);

impl<S, T> FromRequest<S> for UncheckedForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let bytes = crate::web::json::read_body(req, state).await?;
        serde_urlencoded::from_bytes(&bytes)
            .map(UncheckedForm)
            .map_err(|_| AppError::BadRequest("het formulier kon niet worden gelezen".into()))
    }
}

fn forged() -> AppError {
    AppError::Forbidden(
        "Dit formulier is verlopen of komt niet van deze website. Ga terug, laad de pagina \
         opnieuw en probeer het nog eens."
            .into(),
    )
}

/// For forms that are not URL-encoded (file uploads): the sent token must match the cookie.
pub fn verify(headers: &axum::http::HeaderMap, sent: Option<&str>) -> Result<(), AppError> {
    let jar = CookieJar::from_headers(headers);
    let cookie = jar.get(CSRF_COOKIE).map(|c| c.value().to_string());
    if tokens_match(cookie.as_deref(), sent) {
        Ok(())
    } else {
        Err(forged())
    }
}

fn tokens_match(cookie: Option<&str>, sent: Option<&str>) -> bool {
    match (cookie, sent) {
        (Some(cookie), Some(sent)) if !cookie.is_empty() => {
            cookie.as_bytes().ct_eq(sent.as_bytes()).into()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::tokens_match;

    #[test]
    fn only_a_matching_non_empty_pair_passes() {
        assert!(tokens_match(Some("abc"), Some("abc")));
        assert!(!tokens_match(Some("abc"), Some("abd")));
        assert!(!tokens_match(None, Some("abc")));
        assert!(!tokens_match(Some("abc"), None));
        assert!(!tokens_match(Some(""), Some("")));
    }
}
