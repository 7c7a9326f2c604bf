//! A new signal as it arrives (API or public form), checked in one place.
use chrono::NaiveDate;
use uuid::Uuid;

use crate::domain::email::Email;
use crate::error::FieldError;
use crate::signals::rules::{Category, ReporterRole, contains_bsn};

pub const MIN_DESCRIPTION: usize = 20;
pub const MAX_DESCRIPTION: usize = 5000;

#[derive(Debug, Clone, Default)]
pub struct RawSignal {
    pub provider_id: Option<String>,
    pub provider_name: Option<String>,
    pub municipality_code: Option<String>,
    pub category: String,
    pub description: String,
    pub occurred_on: Option<String>,
    pub reporter_role: String,
    pub anonymous: bool,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
}

/// Passed the checks that need no database; the provider and municipality are looked up next.
#[derive(Debug, Clone)]
pub struct CheckedSignal {
    pub provider_id: Option<Uuid>,
    pub provider_name: Option<String>,
    pub municipality_code: Option<String>,
    pub category: Category,
    pub description: String,
    pub occurred_on: Option<NaiveDate>,
    pub reporter_role: ReporterRole,
    pub anonymous: bool,
    pub contact_name: Option<String>,
    pub contact_email: Option<Email>,
}

fn present(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

pub fn check(raw: &RawSignal, today: NaiveDate) -> Result<CheckedSignal, Vec<FieldError>> {
    let mut errors = Vec::new();
    let provider_id = match present(&raw.provider_id) {
        Some(id) => match Uuid::parse_str(&id) {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError::new(
                    "provider_id",
                    "Deze aanbieder kennen we niet.",
                ));
                None
            }
        },
        None => None,
    };
    let provider_name = present(&raw.provider_name);
    let municipality_code = present(&raw.municipality_code).map(|m| m.to_uppercase());
    if provider_id.is_none() && !errors.iter().any(|e| e.field == "provider_id") {
        if provider_name.is_none() {
            errors.push(FieldError::new(
                "provider_name",
                "Kies de aanbieder of vul de naam van de aanbieder in.",
            ));
        } else if provider_name
            .as_deref()
            .is_some_and(|n| n.chars().count() > 200)
        {
            errors.push(FieldError::new(
                "provider_name",
                "De naam is te lang (hoogstens 200 tekens).",
            ));
        }
        if municipality_code.is_none() {
            errors.push(FieldError::new(
                "municipality_code",
                "Kies de gemeente waar de aanbieder werkt.",
            ));
        }
    }
    let category = Category::parse(raw.category.trim());
    if category.is_none() {
        errors.push(FieldError::new(
            "category",
            "Kies waar uw melding over gaat.",
        ));
    }
    let description = raw.description.trim().to_string();
    let length = description.chars().count();
    if length < MIN_DESCRIPTION {
        errors.push(FieldError::new(
            "description",
            format!("Beschrijf wat er is gebeurd in minstens {MIN_DESCRIPTION} tekens."),
        ));
    } else if length > MAX_DESCRIPTION {
        errors.push(FieldError::new(
            "description",
            format!(
                "Uw beschrijving is te lang: hoogstens {MAX_DESCRIPTION} tekens (nu {length})."
            ),
        ));
    } else if contains_bsn(&description) {
        errors.push(FieldError::new(
            "description",
            "Noem geen burgerservicenummer (BSN) in uw melding. Dat hebben wij niet nodig.",
        ));
    }
    let occurred_on = match present(&raw.occurred_on) {
        Some(text) => match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) if date > today => {
                errors.push(FieldError::new(
                    "occurred_on",
                    "Deze datum ligt in de toekomst.",
                ));
                None
            }
            Ok(date) => Some(date),
            Err(_) => {
                errors.push(FieldError::new(
                    "occurred_on",
                    "Vul een datum in als 2026-11-22 (jaar-maand-dag).",
                ));
                None
            }
        },
        None => None,
    };
    let reporter_role = ReporterRole::parse(raw.reporter_role.trim());
    if reporter_role.is_none() {
        errors.push(FieldError::new("reporter_role", "Kies wie u bent."));
    }
    let contact_name = present(&raw.contact_name);
    let contact_email_text = present(&raw.contact_email);
    if raw.anonymous {
        if contact_name.is_some() {
            errors.push(FieldError::new(
                "contact_name",
                "U meldt anoniem: laat uw naam dan leeg.",
            ));
        }
        if contact_email_text.is_some() {
            errors.push(FieldError::new(
                "contact_email",
                "U meldt anoniem: laat uw e-mailadres dan leeg.",
            ));
        }
    }
    if contact_name
        .as_deref()
        .is_some_and(|n| n.chars().count() > 200)
    {
        errors.push(FieldError::new(
            "contact_name",
            "De naam is te lang (hoogstens 200 tekens).",
        ));
    }
    let contact_email = match &contact_email_text {
        Some(text) if !raw.anonymous => match Email::parse(text) {
            Ok(email) => Some(email),
            Err(message) => {
                errors.push(FieldError::new("contact_email", message));
                None
            }
        },
        _ => None,
    };
    match (category, reporter_role) {
        (Some(category), Some(reporter_role)) if errors.is_empty() => Ok(CheckedSignal {
            provider_id,
            provider_name,
            municipality_code,
            category,
            description,
            occurred_on,
            reporter_role,
            anonymous: raw.anonymous,
            contact_name: if raw.anonymous { None } else { contact_name },
            contact_email,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn valid() -> RawSignal {
        RawSignal {
            provider_name: Some("Zorg Zonder Naam".into()),
            municipality_code: Some("gm0153".into()),
            category: "bejegening".into(),
            description: "Mijn moeder wordt steeds afgesnauwd door de begeleiding.".into(),
            occurred_on: Some("2026-11-20".into()),
            reporter_role: "naaste".into(),
            anonymous: false,
            contact_email: Some("Dochter@Voorbeeld.nl".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_signal_about_an_unregistered_provider() {
        let checked = check(&valid(), today()).unwrap();
        assert_eq!(checked.municipality_code.as_deref(), Some("GM0153"));
        assert_eq!(
            checked.contact_email.unwrap().as_str(),
            "dochter@voorbeeld.nl"
        );
        assert_eq!(checked.occurred_on, NaiveDate::from_ymd_opt(2026, 11, 20));
    }

    fn fields(raw: RawSignal) -> Vec<String> {
        check(&raw, today())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn each_rule_names_its_field() {
        assert_eq!(
            fields(RawSignal {
                provider_name: None,
                municipality_code: None,
                ..valid()
            }),
            ["provider_name", "municipality_code"]
        );
        assert_eq!(
            fields(RawSignal {
                provider_id: Some("x".into()),
                ..valid()
            }),
            ["provider_id"]
        );
        assert_eq!(
            fields(RawSignal {
                category: "klacht".into(),
                ..valid()
            }),
            ["category"]
        );
        assert_eq!(
            fields(RawSignal {
                description: "te kort".into(),
                ..valid()
            }),
            ["description"]
        );
        assert_eq!(
            fields(RawSignal {
                description: "x".repeat(5001),
                ..valid()
            }),
            ["description"]
        );
        assert_eq!(
            fields(RawSignal {
                occurred_on: Some("2026-11-23".into()),
                ..valid()
            }),
            ["occurred_on"]
        );
        assert_eq!(
            fields(RawSignal {
                occurred_on: Some("23-11-2026".into()),
                ..valid()
            }),
            ["occurred_on"]
        );
        assert_eq!(
            fields(RawSignal {
                reporter_role: "buurman".into(),
                ..valid()
            }),
            ["reporter_role"]
        );
        assert_eq!(
            fields(RawSignal {
                contact_email: Some("geen".into()),
                ..valid()
            }),
            ["contact_email"]
        );
        assert_eq!(
            fields(RawSignal {
                anonymous: true,
                contact_name: Some("Jan".into()),
                ..valid()
            }),
            ["contact_name", "contact_email"]
        );
        assert_eq!(
            fields(RawSignal {
                description: "Het gaat om mijn vader, BSN 111222333, in kamer 4.".into(),
                ..valid()
            }),
            ["description"]
        );
    }

    #[test]
    fn the_description_limits_are_counted_in_characters() {
        let exactly = RawSignal {
            description: "é".repeat(MAX_DESCRIPTION),
            ..valid()
        };
        assert!(check(&exactly, today()).is_ok());
        let shortest = RawSignal {
            description: "ë".repeat(MIN_DESCRIPTION),
            ..valid()
        };
        assert!(check(&shortest, today()).is_ok());
        // Today itself is not the future.
        assert!(
            check(
                &RawSignal {
                    occurred_on: Some("2026-11-22".into()),
                    ..valid()
                },
                today()
            )
            .is_ok()
        );
    }
}
