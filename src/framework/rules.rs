//! The rules a framework document must meet before it can be published. Every problem is
//! reported at once, on the field it is about (`themes[1].criteria[0].code`), in plain Dutch.
use std::collections::HashSet;

use super::domain::{Rating, RatingLevel};
use super::upload::{
    CriterionUpload, FrameworkUpload, NewCriterion, NewFramework, NewTheme, ThemeUpload,
};
use crate::error::FieldError;

const MAX_NAME: usize = 200;
const MAX_TITLE: usize = 200;
const MAX_DESCRIPTION: usize = 2000;
/// A criterion's number after its theme code: A1 … A9999.
const MAX_CRITERION_DIGITS: usize = 4;

/// Two version names that differ only in case or surrounding spaces are the same name to people.
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

pub fn validate(upload: FrameworkUpload) -> Result<NewFramework, Vec<FieldError>> {
    let mut errors = Vec::new();
    let version = required(
        upload.version,
        "version",
        MAX_NAME,
        "Geef de versie een naam, bijvoorbeeld „Model toetsingskader Wmo v2”.",
        &mut errors,
    );
    let ratings = match upload.ratings {
        None => Rating::standard_scale(),
        Some(codes) => rating_scale(&codes, &mut errors),
    };
    let uploaded_themes = upload.themes.unwrap_or_default();
    if uploaded_themes.is_empty() {
        errors.push(FieldError::new("themes", "Neem ten minste één thema op."));
    }
    let mut theme_codes = HashSet::new();
    let mut criterion_codes = HashSet::new();
    let themes = uploaded_themes
        .into_iter()
        .enumerate()
        .map(|(i, theme)| {
            theme_of(
                theme,
                &format!("themes[{i}]"),
                (&mut theme_codes, &mut criterion_codes),
                &mut errors,
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(NewFramework {
            version,
            ratings,
            themes,
        })
    } else {
        Err(errors)
    }
}

fn theme_of(
    theme: ThemeUpload,
    at: &str,
    (theme_codes, criterion_codes): (&mut HashSet<String>, &mut HashSet<String>),
    errors: &mut Vec<FieldError>,
) -> NewTheme {
    let code = trimmed(theme.code);
    let code_ok = is_theme_code(&code);
    if code.is_empty() {
        errors.push(FieldError::new(
            format!("{at}.code"),
            "Vul de code van het thema in.",
        ));
    } else if !code_ok {
        errors.push(FieldError::new(
            format!("{at}.code"),
            "De code van een thema bestaat uit 1 tot 3 hoofdletters, zoals A of VZ.",
        ));
    } else if !theme_codes.insert(code.clone()) {
        errors.push(FieldError::new(
            format!("{at}.code"),
            format!("Themacode {code} komt vaker voor; geef elk thema een eigen code."),
        ));
    }
    let title = required(
        theme.title,
        &format!("{at}.title"),
        MAX_TITLE,
        "Vul de titel van het thema in.",
        errors,
    );
    let legal_basis = required(
        theme.legal_basis,
        &format!("{at}.legal_basis"),
        MAX_TITLE,
        "Vul de wettelijke grondslag in, bijvoorbeeld „Wmo 2015 art. 3.1 lid 2a”.",
        errors,
    );
    let uploaded = theme.criteria.unwrap_or_default();
    if uploaded.is_empty() {
        errors.push(FieldError::new(
            format!("{at}.criteria"),
            "Neem bij elk thema ten minste één criterium op.",
        ));
    }
    let criteria = uploaded
        .into_iter()
        .enumerate()
        .map(|(j, criterion)| {
            let at = format!("{at}.criteria[{j}]");
            let theme_code = code_ok.then_some(code.as_str());
            criterion_of(criterion, &at, theme_code, criterion_codes, errors)
        })
        .collect();
    NewTheme {
        code,
        title,
        legal_basis,
        criteria,
    }
}

/// `theme_code` is `None` when the theme's own code is wrong: the criterion's prefix cannot be
/// judged then, and one message on the theme is enough.
fn criterion_of(
    criterion: CriterionUpload,
    at: &str,
    theme_code: Option<&str>,
    seen: &mut HashSet<String>,
    errors: &mut Vec<FieldError>,
) -> NewCriterion {
    let code = trimmed(criterion.code);
    if code.is_empty() {
        errors.push(FieldError::new(
            format!("{at}.code"),
            "Vul de code van het criterium in.",
        ));
    } else if let Some(theme_code) = theme_code.filter(|t| !is_criterion_code(&code, t)) {
        errors.push(FieldError::new(
            format!("{at}.code"),
            format!(
                "De code moet beginnen met de themacode {theme_code}, gevolgd door een \
                 volgnummer zonder voorloopnul, zoals {theme_code}1 of {theme_code}12."
            ),
        ));
    } else if !seen.insert(code.clone()) {
        errors.push(FieldError::new(
            format!("{at}.code"),
            format!(
                "Criteriumcode {code} komt vaker voor in het document; geef elk criterium een \
                 eigen code."
            ),
        ));
    }
    let title = required(
        criterion.title,
        &format!("{at}.title"),
        MAX_TITLE,
        "Vul de titel van het criterium in.",
        errors,
    );
    let description = trimmed(criterion.description);
    if description.chars().count() > MAX_DESCRIPTION {
        errors.push(FieldError::new(
            format!("{at}.description"),
            format!("De toelichting is te lang: maximaal {MAX_DESCRIPTION} tekens."),
        ));
    }
    NewCriterion {
        code,
        title,
        description,
    }
}

fn rating_scale(codes: &[String], errors: &mut Vec<FieldError>) -> Vec<RatingLevel> {
    let allowed = || {
        Rating::ALL
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut scale: Vec<RatingLevel> = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        match Rating::parse(code.trim()) {
            None => errors.push(FieldError::new(
                format!("ratings[{i}]"),
                format!("Onbekend oordeel „{code}”; gebruik alleen {}.", allowed()),
            )),
            Some(rating) if scale.iter().any(|l| l.code == rating) => errors.push(FieldError::new(
                format!("ratings[{i}]"),
                "Dit oordeel komt dubbel voor.",
            )),
            Some(rating) => scale.push(rating.standard_level()),
        }
    }
    let missing: Vec<_> = Rating::ALL
        .into_iter()
        .filter(|r| !scale.iter().any(|l| l.code == *r))
        .map(Rating::as_str)
        .collect();
    if !missing.is_empty() {
        errors.push(FieldError::new(
            "ratings",
            format!(
                "De oordelen moeten precies {} zijn; {} ontbreekt. Laat ratings weg voor de \
                 standaardschaal.",
                allowed(),
                missing.join(", ")
            ),
        ));
    }
    scale
}

fn trimmed(value: Option<String>) -> String {
    value.unwrap_or_default().trim().to_string()
}

/// A trimmed text that must not be empty nor longer than `max` characters.
fn required(
    value: Option<String>,
    field: &str,
    max: usize,
    empty_message: &str,
    errors: &mut Vec<FieldError>,
) -> String {
    let value = trimmed(value);
    if value.is_empty() {
        errors.push(FieldError::new(field, empty_message));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("Deze tekst is te lang: maximaal {max} tekens."),
        ));
    }
    value
}

fn is_theme_code(code: &str) -> bool {
    (1..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_criterion_code(code: &str, theme_code: &str) -> bool {
    code.strip_prefix(theme_code).is_some_and(|number| {
        (1..=MAX_CRITERION_DIGITS).contains(&number.len())
            && number.bytes().all(|b| b.is_ascii_digit())
            && !number.starts_with('0')
    })
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
