//! Fixed sample contexts, one per email template, for the previews at `/beheer/e-mails`. The
//! people, providers and references are fictional. A new template needs one entry in
//! [`SAMPLES`]; a test fails while a directory under `templates/emails/` has none.
//!
//! Where the sending code has a public context type or wording, the sample uses it, so the
//! preview shows what really goes out; otherwise the fields are those of the sender's context.
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::domain::text::date_nl;

use crate::reports::reminders::{
    DuePoint, DueReport, ImprovementDue, ReportReminder, improvement_subject,
};
use crate::signals::rules::SignalStatus;
use crate::visits::notify::{Change, wording};

/// Where the sample links point (never a real site: `.example` is reserved).
const BASE_URL: &str = "https://toezicht.ggd.example";

/// One template: its directory name under `templates/emails/`, what it is for (in Dutch, for
/// the admin) and its sample context.
pub struct Sample {
    pub name: &'static str,
    pub description: &'static str,
    pub context: fn() -> Value,
}

/// Every email template, by name.
pub const SAMPLES: &[Sample] = &[
    Sample {
        name: "report_sent",
        description: "Aan een aanbieder: het conceptrapport staat klaar, met de termijn voor een reactie (bij Versturen).",
        context: || {
            json!({"provider": "Zorggroep Voorbeeld", "visit_day": "12 november 2026",
                   "response_due": "7 december 2026", "points": 2,
                   "portal_url": format!("{BASE_URL}/portaal/rapporten/00000000-0000-4000-8000-000000000001")})
        },
    },
    Sample {
        name: "report_final",
        description: "Aan een aanbieder: het rapport is definitief (bij Definitief maken).",
        context: || {
            json!({"provider": "Zorggroep Voorbeeld", "visit_day": "12 november 2026",
                   "response_due": "7 december 2026", "points": 1,
                   "portal_url": format!("{BASE_URL}/portaal/rapporten/00000000-0000-4000-8000-000000000001")})
        },
    },
    Sample {
        name: "improvement_due",
        description: "Aan een aanbieder: verbeterpunten waarvan de termijn binnen 10 dagen afloopt (één e-mail per aanbieder, eenmalig per punt).",
        context: || {
            let date = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap_or_default();
            let points = [
                (
                    "A1",
                    "Medewerkers hebben een geldige VOG. Bevinding: van twee nieuwe medewerkers ontbrak de VOG.",
                    date(1, 5),
                ),
                (
                    "F1",
                    "Er is een klachtenregeling. Bevinding: de regeling staat niet op de website.",
                    date(1, 12),
                ),
            ];
            to_value(ImprovementDue {
                subject: improvement_subject(&points.map(|p| p.2)),
                provider: "Zorggroep Voorbeeld".into(),
                reports: vec![DueReport {
                    visit_day: "6 oktober 2026".into(),
                    portal_url: format!(
                        "{BASE_URL}/portaal/rapporten/00000000-0000-4000-8000-000000000001"
                    ),
                    points: points
                        .iter()
                        .map(|(criterion, description, due)| DuePoint {
                            criterion: criterion.to_string(),
                            description: description.to_string(),
                            due: date_nl(*due),
                        })
                        .collect(),
                }],
            })
        },
    },
    Sample {
        name: "report_reminder",
        description: "Aan een aanbieder: herinnering aan de reactietermijn van een verzonden conceptrapport, drie werkdagen voor het einde (eenmalig).",
        context: || {
            to_value(ReportReminder {
                provider: "Zorggroep Voorbeeld".into(),
                visit_day: "12 november 2026".into(),
                deadline: "4 december 2026".into(),
                portal_url: format!(
                    "{BASE_URL}/portaal/rapporten/00000000-0000-4000-8000-000000000001"
                ),
            })
        },
    },
    Sample {
        name: "signal_confirmation",
        description: "Aan een melder die een e-mailadres gaf: bevestiging van de melding met kenmerk en triagedatum.",
        context: || {
            json!({
                "reference": "M-2026-000123",
                "received_on": "23 november 2026",
                "triage_due": "26 november 2026",
                "status_url": format!("{BASE_URL}/melding/status"),
            })
        },
    },
    Sample {
        name: "signal_status",
        description: "Aan een melder die een e-mailadres gaf: de melding heeft een nieuwe status.",
        context: || {
            let status = SignalStatus::InBehandeling;
            json!({
                "reference": "M-2026-000123",
                "status": status.label_nl(),
                "explanation": status.explanation_nl(),
                "status_url": format!("{BASE_URL}/melding/status"),
            })
        },
    },
    Sample {
        name: "test",
        description: "Testbericht: het voorbeeld waarmee de tests de e-mail controleren.",
        context: || json!({"name": "Zoë Voorbeeld", "note": "Zorg & Welzijn: dit is een voorbeeld."}),
    },
    Sample {
        name: "visit_notice",
        description: "Aan een aanbieder: een aangekondigd toezichtbezoek is gepland, verplaatst of geannuleerd (hier: gepland).",
        context: || {
            let day = "3 december 2026";
            let (subject, intro, closing) = wording(Change::Planned, day);
            json!({
                "subject": subject,
                "provider": "Zorggroep Voorbeeld",
                "intro": intro,
                "closing": closing,
                "day": day,
                "time": "10:00–12:00 uur",
                "reason": "Regulier toezicht",
                "portal_url": format!("{BASE_URL}/portaal"),
            })
        },
    },
];

pub fn find(name: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.name == name)
}

/// A context type of ours always serializes; should one ever fail, the strict render of the
/// empty object fails too, and the test over all samples says so.
fn to_value(context: impl serde::Serialize) -> Value {
    serde_json::to_value(context).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::render;
    use crate::web::templates::Templates;

    /// The template directories on disk, not the registry: a directory with a missing or
    /// misnamed file must fail here too.
    fn template_dirs() -> Vec<String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/emails");
        let mut names: Vec<String> = std::fs::read_dir(root)
            .expect("templates/emails exists")
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_email_template_has_a_sample_that_renders() {
        let templates = Templates::load().unwrap();
        let dirs = template_dirs();
        assert!(dirs.len() >= 6, "{dirs:?}");
        for name in &dirs {
            let sample = find(name)
                .unwrap_or_else(|| panic!("templates/emails/{name} has no entry in SAMPLES"));
            let rendered = render(&templates, name, &(sample.context)())
                .unwrap_or_else(|err| panic!("sample {name} does not render: {err}"));
            assert!(!rendered.subject.is_empty() && !rendered.text.is_empty());
            assert!(rendered.html.contains("<html"), "{name}");
            assert!(!sample.description.is_empty(), "{name}");
        }
        for sample in SAMPLES {
            assert!(
                dirs.iter().any(|d| d == sample.name),
                "no template {}",
                sample.name
            );
        }
        assert_eq!(Templates::load().unwrap().email_names(), dirs);
    }

    #[test]
    fn each_template_has_one_sample() {
        let mut names: Vec<_> = SAMPLES.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SAMPLES.len());
    }
}
