//! An uploaded framework document, in the shape `GET /api/v1/framework` returns, and the
//! checked framework it becomes. The rules themselves are in `rules.rs`.
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::domain::RatingLevel;
use super::rules::validate;
use crate::error::FieldError;

/// A framework document as sent. Text fields are optional here so that a missing one is reported
/// together with every other problem instead of stopping at the first.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameworkUpload {
    /// The new version's name; must differ from every earlier version.
    #[serde(default)]
    pub version: Option<String>,
    /// Rating codes in scale order; leave out for the standard scale. Must hold exactly
    /// `voldoet`, `voldoet_deels`, `voldoet_niet`, `niet_beoordeeld` and `nvt`.
    #[serde(default)]
    pub ratings: Option<Vec<String>>,
    #[serde(default)]
    pub themes: Option<Vec<ThemeUpload>>,
    /// Ignored: accepted so that a downloaded version can be edited and uploaded again.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// Ignored, like `id`.
    #[serde(default)]
    pub published_at: Option<DateTime<Utc>>,
    /// Ignored, like `id`: a new version is always current.
    #[serde(default)]
    pub is_current: Option<bool>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeUpload {
    /// 1 to 3 capital letters: `A`.
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    /// E.g. "Wmo 2015 art. 3.1 lid 2a".
    #[serde(default)]
    pub legal_basis: Option<String>,
    #[serde(default)]
    pub criteria: Option<Vec<CriterionUpload>>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionUpload {
    /// The theme code followed by a number: `A1`, `A12`.
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    /// What the inspector looks at; may be empty.
    #[serde(default)]
    pub description: Option<String>,
}

/// A document that passed every rule, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFramework {
    pub version: String,
    pub ratings: Vec<RatingLevel>,
    pub themes: Vec<NewTheme>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTheme {
    pub code: String,
    pub title: String,
    pub legal_basis: String,
    pub criteria: Vec<NewCriterion>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCriterion {
    pub code: String,
    pub title: String,
    pub description: String,
}

/// Parses and checks a pasted document (the upload page). A syntax error is one message with
/// its line and column; a wrong field type is named like any other problem.
pub fn parse_text(text: &str) -> Result<NewFramework, Vec<FieldError>> {
    const FIELD: &str = "document";
    if text.trim().is_empty() {
        return Err(vec![FieldError::new(
            FIELD,
            "Plak het toetsingskader als JSON in het tekstvak.",
        )]);
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Err(err) => {
            let message = if err.is_eof() {
                "De JSON houdt halverwege op. Ontbreekt er een sluitend haakje of aanhalingsteken?"
                    .to_string()
            } else {
                format!(
                    "Dit is geen geldige JSON: er gaat iets mis op regel {}, teken {}. Controleer \
                     de aanhalingstekens, komma's en haakjes.",
                    err.line(),
                    err.column()
                )
            };
            return Err(vec![FieldError::new(FIELD, message)]);
        }
        Ok(value) if !value.is_object() => {
            return Err(vec![FieldError::new(
                FIELD,
                "Het document moet een JSON-object zijn, dat begint met { en eindigt met }.",
            )]);
        }
        Ok(_) => {}
    }
    match crate::web::json::parse::<FrameworkUpload>(text.as_bytes()) {
        Ok(upload) => validate(upload),
        Err(crate::error::AppError::Validation(errors)) => Err(errors),
        Err(_) => Err(vec![FieldError::new(FIELD, "Dit is geen geldige JSON.")]),
    }
}
