//! `ApiJson<T>`: the JSON body extractor of the API. It maps every way a body can be wrong to the
//! contract's status: another content type 415, over 64 KiB 413, unreadable JSON 400, and a
//! missing or mistyped field 422 naming the field (`address.postcode`, `ratings[0].finding`).
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldError};

pub const MAX_JSON_BODY: usize = 64 * 1024;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json_content_type(req.headers().get(header::CONTENT_TYPE)) {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = read_body(req, state).await?;
        parse(&bytes).map(ApiJson)
    }
}

/// Reads a request body within the router's limit (64 KiB): too large is 413, anything else
/// that stops the read is a malformed request.
pub async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest("de inhoud kon niet worden gelezen".into())
        }
    })
}

fn is_json_content_type(value: Option<&axum::http::HeaderValue>) -> bool {
    let Some(mime) = value
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
    else {
        return false;
    };
    mime.type_() == mime::APPLICATION
        && (mime.subtype() == mime::JSON || mime.suffix() == Some(mime::JSON))
}

/// Deserialises a JSON body, classifying errors as malformed (400) or invalid (422).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    let result: Result<T, _> = serde_path_to_error::deserialize(deserializer);
    result.map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                AppError::Validation(vec![field_error(&path, &inner)])
            }
            _ => AppError::BadRequest("ongeldige JSON".into()),
        }
    })
}

/// Turns serde's English message into a Dutch one on the right field.
fn field_error(path: &str, err: &serde_json::Error) -> FieldError {
    let message = err.to_string();
    let message = message.split(" at line ").next().unwrap_or_default();
    let parent = if path == "." { "" } else { path };
    let join = |name: &str| {
        if parent.is_empty() {
            name.to_string()
        } else {
            format!("{parent}.{name}")
        }
    };
    if let Some(name) = quoted_after(message, "missing field ") {
        return FieldError::new(join(name), "Dit veld is verplicht.");
    }
    if let Some(name) = quoted_after(message, "unknown field ") {
        // Here serde_path_to_error's path already ends with the unknown key.
        let field = if parent == name || parent.ends_with(&format!(".{name}")) {
            parent.to_string()
        } else {
            join(name)
        };
        return FieldError::new(field, "Dit veld bestaat niet.");
    }
    if message.starts_with("unknown variant") {
        let options = message
            .split_once("expected ")
            .map(|(_, rest)| rest.replace('`', "").replace("one of ", ""))
            .unwrap_or_default();
        return FieldError::new(parent, format!("Onbekende waarde; kies uit: {options}."));
    }
    if message.starts_with("invalid type") {
        let expected = match message.rsplit_once("expected ") {
            Some((_, e)) if e.contains("string") => "tekst",
            Some((_, e)) if e.contains("bool") => "true of false",
            Some((_, e)) if e.contains("sequence") => "een lijst",
            Some((_, e)) if e.contains("integer") || e.contains("number") => "een getal",
            _ => "een ander type",
        };
        return FieldError::new(parent, format!("Verkeerd type: verwacht {expected}."));
    }
    FieldError::new(parent, "Deze waarde is ongeldig.")
}

/// For optional fields of a PATCH: absent stays `None` (leave as is), `null` becomes `Some(None)`
/// (clear). Use with `#[serde(default, deserialize_with = "present")]`.
pub fn present<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    use serde::Deserialize;
    Option::<T>::deserialize(d).map(Some)
}

/// A UTC time in the API's JSON exactly as chrono's own `Serialize` writes it (RFC 3339 with `Z`,
/// fractions of a second only where there are some), but handed to the writer in one piece:
/// chrono passes each part separately and each went through the writer's escaping, which took
/// 4% of the server's processor time for the register's page of 50 providers (README
/// "Performance"). Use with `#[serde(serialize_with = "crate::web::json::utc")]`.
pub fn utc<S: serde::Serializer>(
    at: &chrono::DateTime<chrono::Utc>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    message
        .strip_prefix(prefix)
        .map(|rest| rest.trim_matches('`'))
        .and_then(|rest| rest.split('`').next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[test]
    fn a_utc_time_is_written_as_chrono_writes_it() {
        #[derive(Serialize)]
        struct Fast {
            #[serde(serialize_with = "utc")]
            at: chrono::DateTime<chrono::Utc>,
        }
        #[derive(Serialize)]
        struct Chrono {
            at: chrono::DateTime<chrono::Utc>,
        }
        for text in [
            "2022-10-06T09:00:00Z",
            "2026-12-06T18:05:49.5Z",
            "2026-12-06T18:05:49.123456Z",
            "2026-12-06T18:05:49.123456789Z",
            "1999-01-01T00:00:00.000001Z",
        ] {
            let at = chrono::DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&chrono::Utc);
            let fast = serde_json::to_string(&Fast { at }).unwrap();
            assert_eq!(fast, serde_json::to_string(&Chrono { at }).unwrap());
            assert!(fast.contains(&text[..19]), "{fast}");
        }
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Address {
        postcode: String,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        address: Address,
        tags: Vec<String>,
    }

    fn field_of(json: &str) -> FieldError {
        match parse::<Body>(json.as_bytes()) {
            Err(AppError::Validation(errors)) => errors[0].clone(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn names_the_missing_nested_field() {
        let err = field_of(r#"{"name":"x","address":{},"tags":[]}"#);
        assert_eq!(err.field, "address.postcode");
        assert_eq!(err.message, "Dit veld is verplicht.");
    }

    #[test]
    fn names_the_mistyped_array_element() {
        let err = field_of(r#"{"name":"x","address":{"postcode":"1234AB"},"tags":["a",5]}"#);
        assert_eq!(err.field, "tags[1]");
        assert!(err.message.contains("tekst"), "{}", err.message);
    }

    #[test]
    fn names_an_unknown_field_once() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Strict {
            #[serde(default)]
            inner: Option<Box<Strict>>,
        }
        for (json, field) in [
            (r#"{"extra": 1}"#, "extra"),
            (r#"{"inner": {"extra": 1}}"#, "inner.extra"),
        ] {
            match parse::<Strict>(json.as_bytes()) {
                Err(AppError::Validation(errors)) => assert_eq!(errors[0].field, field),
                other => panic!("expected a validation error, got {other:?}"),
            }
        }
    }

    #[test]
    fn syntax_errors_are_malformed_not_invalid() {
        assert!(matches!(
            parse::<Body>(b"{\"name\":"),
            Err(AppError::BadRequest(_))
        ));
        assert!(matches!(
            parse::<Body>(b"nonsense"),
            Err(AppError::BadRequest(_))
        ));
    }

    #[test]
    fn accepts_json_and_json_suffixed_types_only() {
        let ok =
            |v: &'static str| is_json_content_type(Some(&axum::http::HeaderValue::from_static(v)));
        assert!(ok("application/json"));
        assert!(ok("application/json; charset=utf-8"));
        assert!(ok("application/merge-patch+json"));
        assert!(!ok("text/plain"));
        assert!(!ok("application/x-www-form-urlencoded"));
        assert!(!is_json_content_type(None));
    }
}
