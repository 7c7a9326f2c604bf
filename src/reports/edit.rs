//! Editing a concept report: summary, advice and the improvement points (the list as a whole:
//! points with an `id` are kept and changed, new ones added, the rest removed). The checks are a
//! pure function so the API and the page give the same messages with the same field names.
use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::FieldError;
use crate::framework::domain::FrameworkDoc;

pub const MAX_TEXT: usize = 20_000;
/// Completing a visit writes "{criterion title}. Bevinding: {finding}" and a finding may be
/// 5000 characters: a point must hold at least that.
pub const MAX_POINT: usize = 6_000;
/// A new point is due three months after today unless the inspector chooses another date.
pub const DEFAULT_MONTHS: u32 = 3;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PointInput {
    /// An existing point of this report; leave out for a new one.
    pub id: Option<Uuid>,
    /// Criterion code of the visit's framework version, e.g. `B1`.
    pub criterion: String,
    pub description: String,
    /// `YYYY-MM-DD`; three months from today when left out.
    pub due_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReportEdit {
    pub summary: Option<String>,
    pub advice: Option<String>,
    /// The inspector's findings per theme code, e.g. `{"A": "…"}`; replaces all of them.
    pub theme_findings: Option<BTreeMap<String, String>>,
    /// The complete list of points: what is not in it is removed.
    pub improvement_points: Option<Vec<PointInput>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPoint {
    pub id: Option<Uuid>,
    pub criterion: String,
    pub description: String,
    pub due_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedEdit {
    pub summary: Option<String>,
    pub advice: Option<String>,
    pub theme_findings: Option<BTreeMap<String, String>>,
    pub points: Option<Vec<CheckedPoint>>,
}

fn text(field: &str, value: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = value?.trim();
    if value.chars().count() > MAX_TEXT {
        errors.push(FieldError::new(
            field,
            format!("Deze tekst is te lang (hoogstens {MAX_TEXT} tekens)."),
        ));
    }
    Some(value.to_string())
}

/// The edit, checked against the visit's framework and this report's points (`own_points`).
pub fn check(
    edit: &ReportEdit,
    framework: &FrameworkDoc,
    own_points: &[Uuid],
    today: NaiveDate,
) -> Result<CheckedEdit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let summary = text("summary", edit.summary.as_deref(), &mut errors);
    let advice = text("advice", edit.advice.as_deref(), &mut errors);
    let theme_findings = edit.theme_findings.as_ref().map(|findings| {
        let mut checked = BTreeMap::new();
        for (theme, finding) in findings {
            let code = theme.trim().to_uppercase();
            let field = format!("theme_findings.{}", theme.trim());
            if !framework.themes.iter().any(|t| t.code == code) {
                errors.push(FieldError::new(
                    field,
                    format!(
                        "Thema '{}' bestaat niet in het toetsingskader van dit bezoek.",
                        theme.trim()
                    ),
                ));
            } else if let Some(finding) = text(&field, Some(finding), &mut errors) {
                // An emptied finding is no finding.
                if !finding.is_empty() {
                    checked.insert(code, finding);
                }
            }
        }
        checked
    });
    let points = edit.improvement_points.as_ref().map(|points| {
        points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| check_point(i, p, framework, own_points, today, &mut errors))
            .collect()
    });
    if errors.is_empty() {
        Ok(CheckedEdit {
            summary,
            advice,
            theme_findings,
            points,
        })
    } else {
        Err(errors)
    }
}

fn check_point(
    i: usize,
    point: &PointInput,
    framework: &FrameworkDoc,
    own_points: &[Uuid],
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<CheckedPoint> {
    let field = |name: &str| format!("improvement_points[{i}].{name}");
    let before = errors.len();
    if point.id.is_some_and(|id| !own_points.contains(&id)) {
        errors.push(FieldError::new(
            field("id"),
            "Dit verbeterpunt hoort niet bij dit rapport.",
        ));
    }
    let criterion = point.criterion.trim().to_uppercase();
    if framework.criterion(&criterion).is_none() {
        errors.push(FieldError::new(
            field("criterion"),
            format!(
                "Criterium '{}' bestaat niet in het toetsingskader van dit bezoek.",
                point.criterion.trim()
            ),
        ));
    }
    let description = point.description.trim().to_string();
    if description.is_empty() {
        errors.push(FieldError::new(
            field("description"),
            "Beschrijf wat de aanbieder moet verbeteren.",
        ));
    } else if description.chars().count() > MAX_POINT {
        errors.push(FieldError::new(
            field("description"),
            format!("Deze tekst is te lang (hoogstens {MAX_POINT} tekens)."),
        ));
    }
    let due_date = point.due_date.unwrap_or_else(|| {
        today
            .checked_add_months(Months::new(DEFAULT_MONTHS))
            .unwrap_or(today)
    });
    let (_, last_year) = crate::domain::local_time::YEARS;
    if due_date <= today {
        errors.push(FieldError::new(
            field("due_date"),
            "Kies een termijn na vandaag.",
        ));
    } else if due_date.year() > last_year {
        errors.push(FieldError::new(
            field("due_date"),
            format!("Kies een termijn vóór {last_year}."),
        ));
    }
    (errors.len() == before).then_some(CheckedPoint {
        id: point.id,
        criterion,
        description,
        due_date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::domain::{Criterion, FrameworkDoc, Rating, Theme};

    fn framework() -> FrameworkDoc {
        FrameworkDoc {
            id: Uuid::nil(),
            version: "test".into(),
            published_at: chrono::Utc::now(),
            is_current: true,
            ratings: Rating::standard_scale(),
            themes: vec![Theme {
                id: Uuid::nil(),
                code: "B".into(),
                title: "Meldcode".into(),
                legal_basis: String::new(),
                criteria: vec![Criterion {
                    id: Uuid::nil(),
                    code: "B1".into(),
                    title: "er is een meldcode".into(),
                    description: String::new(),
                }],
            }],
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn a_new_point_gets_three_months_and_a_normalised_criterion() {
        let edit = ReportEdit {
            summary: Some("  Goed bezoek. ".into()),
            improvement_points: Some(vec![PointInput {
                criterion: "b1".into(),
                description: " Stel een meldcode vast. ".into(),
                ..PointInput::default()
            }]),
            ..ReportEdit::default()
        };
        let checked = check(&edit, &framework(), &[], today()).unwrap();
        assert_eq!(checked.summary.as_deref(), Some("Goed bezoek."));
        assert_eq!(checked.advice, None, "left out: unchanged");
        let points = checked.points.unwrap();
        assert_eq!(points[0].criterion, "B1");
        assert_eq!(points[0].description, "Stel een meldcode vast.");
        assert_eq!(
            points[0].due_date,
            NaiveDate::from_ymd_opt(2027, 2, 22).unwrap()
        );
    }

    #[test]
    fn theme_findings_are_kept_per_known_theme() {
        let edit = ReportEdit {
            theme_findings: Some(BTreeMap::from([
                ("b".to_string(), " Meldcode ontbreekt. ".to_string()),
                ("Q".to_string(), "Onbekend".to_string()),
            ])),
            ..ReportEdit::default()
        };
        let errors = check(&edit, &framework(), &[], today()).unwrap_err();
        assert_eq!(errors[0].field, "theme_findings.Q");
        let edit = ReportEdit {
            theme_findings: Some(BTreeMap::from([(
                "b".to_string(),
                " Meldcode ontbreekt. ".to_string(),
            )])),
            ..ReportEdit::default()
        };
        let checked = check(&edit, &framework(), &[], today()).unwrap();
        assert_eq!(
            checked.theme_findings.unwrap().get("B").map(String::as_str),
            Some("Meldcode ontbreekt.")
        );
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let stranger = Uuid::new_v4();
        let edit = ReportEdit {
            improvement_points: Some(vec![PointInput {
                id: Some(stranger),
                criterion: "Z9".into(),
                description: " ".into(),
                due_date: Some(today()),
            }]),
            ..ReportEdit::default()
        };
        let errors = check(&edit, &framework(), &[], today()).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "improvement_points[0].id",
                "improvement_points[0].criterion",
                "improvement_points[0].description",
                "improvement_points[0].due_date"
            ]
        );
    }
}
