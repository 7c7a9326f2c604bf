//! One error type for every handler. It renders RFC 9457 problem+json; for HTML routes the web
//! layer (`web::html_errors`) turns the same error into a Dutch error page, using the
//! [`Problem`] it finds in the response extensions.
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;

/// A validation message for one request field (`address.postcode`, `ratings[0].finding`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// `Clone`: the intake writer gives one failed batch's error to every filing in it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("not signed in")]
    Unauthorized,
    /// Wrong email or wrong password: one answer for both, so it does not reveal accounts.
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("role may not do this")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("rate limited")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("database unavailable")]
    Unavailable,
    #[error("internal error: {0}")]
    Internal(String),
}

/// The problem details body; also attached to the response as an extension for the HTML layer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn internal(err: impl std::fmt::Display) -> Self {
        AppError::Internal(err.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn problem(&self) -> Problem {
        let (kind, title, detail): (&'static str, &str, String) = match self {
            AppError::BadRequest(detail) => (
                "/problems/malformed",
                "Onleesbaar verzoek",
                format!("Het verzoek kon niet worden gelezen: {detail}"),
            ),
            AppError::Unauthorized => (
                "/problems/unauthorized",
                "Niet ingelogd",
                "Log in om verder te gaan. Uw sessie is mogelijk verlopen.".into(),
            ),
            AppError::InvalidCredentials => (
                "/problems/invalid-credentials",
                "Inloggen mislukt",
                "Het e-mailadres of het wachtwoord klopt niet.".into(),
            ),
            AppError::Forbidden(detail) => ("/problems/forbidden", "Geen toegang", detail.clone()),
            AppError::NotFound => (
                "/problems/not-found",
                "Niet gevonden",
                "Wat u zoekt bestaat niet of is niet voor u zichtbaar.".into(),
            ),
            AppError::MethodNotAllowed => (
                "/problems/method-not-allowed",
                "Methode niet toegestaan",
                "Deze methode wordt op dit adres niet ondersteund.".into(),
            ),
            AppError::Conflict(detail) => ("/problems/conflict", "Conflict", detail.clone()),
            AppError::PayloadTooLarge => (
                "/problems/too-large",
                "Verzoek te groot",
                "Het verzoek is groter dan 64 KiB.".into(),
            ),
            AppError::UnsupportedMediaType => (
                "/problems/unsupported-media-type",
                "Verkeerd formaat",
                "Stuur de gegevens als JSON (Content-Type: application/json).".into(),
            ),
            AppError::Validation(_) => (
                "/problems/validation",
                "Ongeldige invoer",
                "Een of meer velden zijn niet goed ingevuld.".into(),
            ),
            AppError::TooManyRequests { retry_after_secs } => (
                "/problems/rate-limited",
                "Te veel pogingen",
                format!(
                    "Probeer het over {} opnieuw.",
                    crate::domain::text::duration_nl(*retry_after_secs)
                ),
            ),
            AppError::Unavailable => (
                "/problems/unavailable",
                "Tijdelijk niet beschikbaar",
                "De database is niet bereikbaar. Probeer het later opnieuw.".into(),
            ),
            AppError::Internal(_) => (
                "/problems/internal",
                "Er ging iets mis",
                "Er ging aan onze kant iets mis. Probeer het later opnieuw.".into(),
            ),
        };
        Problem {
            kind,
            title: title.to_string(),
            status: self.status().as_u16(),
            detail,
            errors: match self {
                AppError::Validation(errors) => Some(errors.clone()),
                _ => None,
            },
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            // Logged once, here; never sent to the client.
            tracing::error!(error = %detail, "internal error");
        }
        let problem = self.problem();
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (self.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        match &self {
            AppError::TooManyRequests { retry_after_secs } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            }
            AppError::Unauthorized => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response.extensions_mut().insert(problem);
        response
    }
}

/// Database conditions mapped to what they mean for the user, in one place.
impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                AppError::Conflict("Dit gegeven bestaat al.".into())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                AppError::Conflict("Dit verwijst naar iets dat niet (meer) bestaat.".into())
            }
            _ => match err {
                DbErr::RecordNotFound(_) => AppError::NotFound,
                DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => {
                    tracing::error!(error = %err, "database unavailable");
                    AppError::Unavailable
                }
                other => AppError::Internal(other.to_string()),
            },
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
