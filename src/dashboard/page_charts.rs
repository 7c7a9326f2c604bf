//! The three charts of the region dashboard, each with the table of the same numbers beside it
//! (for screen readers and for reading exact values).
use serde::Serialize;

use super::charts::{self, Series};
use super::figures::{Dashboard, ScoreFigures};
use crate::signals::rules::Category;

#[derive(Serialize)]
pub struct Row {
    label: String,
    value: String,
    previous: Option<String>,
    href: Option<String>,
}

/// A chart and the table with the same numbers (for screen readers and for reading exact values).
#[derive(Serialize)]
pub struct Chart {
    id: String,
    title: &'static str,
    svg: String,
    column: &'static str,
    previous_column: Option<&'static str>,
    rows: Vec<Row>,
}

fn pct(value: Option<f64>) -> String {
    value.map_or_else(|| "–".into(), |v| format!("{v:.1}%").replace('.', ","))
}

/// Signals per month, signals per category, and scores per theme beside the previous year's.
/// `linked`: categories link to the signal list (inspectors, whose list is their region).
pub fn build(d: &Dashboard, previous: &ScoreFigures, linked: bool) -> Vec<Chart> {
    let months: Vec<String> = d
        .signals
        .per_month
        .iter()
        .map(|m| m.month.clone())
        .collect();
    let per_month = Series {
        name: "Meldingen".into(),
        class: "chart-a",
        values: d
            .signals
            .per_month
            .iter()
            .map(|m| Some(m.count as f64))
            .collect(),
    };
    let categories: Vec<(Category, u64)> = Category::ALL
        .iter()
        .map(|c| {
            (
                *c,
                d.signals.by_category.get(c.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let themes: Vec<String> = d.scores.by_theme.iter().map(|t| t.theme.clone()).collect();
    let previous_of = |theme: &str| {
        previous
            .by_theme
            .iter()
            .find(|t| t.theme == theme)
            .and_then(|t| t.score_pct)
    };
    vec![
        Chart {
            id: "grafiek-maanden".into(),
            title: "Meldingen per maand",
            svg: charts::line_chart(
                "grafiek-maanden-titel",
                "Meldingen per maand, laatste 12 maanden",
                &months,
                &per_month,
            ),
            column: "Meldingen",
            previous_column: None,
            rows: d
                .signals
                .per_month
                .iter()
                .map(|m| Row {
                    label: m.month.clone(),
                    value: m.count.to_string(),
                    previous: None,
                    href: None,
                })
                .collect(),
        },
        Chart {
            id: "grafiek-categorie".into(),
            title: "Meldingen per categorie, afgelopen 12 maanden",
            svg: charts::bar_chart(
                "grafiek-categorie-titel",
                "Meldingen per categorie, afgelopen 12 maanden",
                &categories
                    .iter()
                    .map(|(c, _)| c.label_nl().to_string())
                    .collect::<Vec<_>>(),
                &[Series {
                    name: "Meldingen".into(),
                    class: "chart-a",
                    values: categories.iter().map(|(_, n)| Some(*n as f64)).collect(),
                }],
                None,
            ),
            column: "Meldingen",
            previous_column: None,
            rows: categories
                .iter()
                .map(|(c, n)| Row {
                    label: c.label_nl().to_string(),
                    value: n.to_string(),
                    previous: None,
                    href: linked.then(|| format!("/meldingen?category={}", c.as_str())),
                })
                .collect(),
        },
        Chart {
            id: "grafiek-scores".into(),
            title: "Score per thema",
            svg: charts::bar_chart(
                "grafiek-scores-titel",
                "Score per thema: laatste 365 dagen en het jaar daarvoor",
                &themes,
                &[
                    Series {
                        name: "Laatste 365 dagen".into(),
                        class: "chart-a",
                        values: d.scores.by_theme.iter().map(|t| t.score_pct).collect(),
                    },
                    Series {
                        name: "Jaar daarvoor".into(),
                        class: "chart-b",
                        values: themes.iter().map(|t| previous_of(t)).collect(),
                    },
                ],
                Some(100.0),
            ),
            column: "Laatste 365 dagen",
            previous_column: Some("Jaar daarvoor"),
            rows: d
                .scores
                .by_theme
                .iter()
                .map(|t| Row {
                    label: format!("Thema {}", t.theme),
                    value: pct(t.score_pct),
                    previous: Some(pct(previous_of(&t.theme))),
                    href: None,
                })
                .collect(),
        },
    ]
}
