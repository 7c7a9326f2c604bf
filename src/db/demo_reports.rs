//! The reports of the completed demo visits, made as `visits::complete` makes them (an
//! improvement point per criterion not (fully) met, due three months after the visit) and then
//! taken as far as their stage: sent with the response date of 10 working days, answered by the
//! provider, finalised, with most improvement points of older reports resolved.
use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use super::demo_ratings::DemoRating;
use super::demo_visits::{local, office};
use super::demo_visits_data::{RESPONSES, Stage};
use crate::db::entities::{improvement_point, report, visit};
use crate::domain::text::date_nl;
use crate::domain::working_days::{add_working_days, dutch_date};
use crate::error::AppResult;
use crate::framework::domain::{FrameworkDoc, Rating};
use crate::visits::complete::IMPROVEMENT_MONTHS;
use crate::visits::rules::Reason;
use crate::visits::scoring;

/// Working days a provider has to respond to a concept report (API.md "Reports").
const RESPONSE_WORKING_DAYS: u32 = 10;

/// When a report reached each step; `None` for the steps it has not reached.
#[derive(Default)]
struct Timeline {
    sent_at: Option<DateTime<Utc>>,
    response_due: Option<NaiveDate>,
    response: Option<(String, DateTime<Utc>)>,
    finalized_at: Option<DateTime<Utc>>,
}

fn timeline(stage: Stage, visit_day: NaiveDate, seed: u64, now: DateTime<Utc>) -> Timeline {
    // Clamped to now: a step of a recent visit never lies in the future.
    let send = |after: i64| office(visit_day + Duration::days(after), 10, 0).min(now);
    let due = |sent: DateTime<Utc>| add_working_days(dutch_date(sent), RESPONSE_WORKING_DAYS);
    // Six days after sending: always within the 10 working days.
    let answer = |sent: DateTime<Utc>| {
        let text = RESPONSES[seed as usize % RESPONSES.len()].to_string();
        (
            text,
            office(dutch_date(sent) + Duration::days(6), 14, 0).min(now),
        )
    };
    match stage {
        Stage::Concept => Timeline::default(),
        Stage::Sent { after } => {
            let sent = send(after);
            Timeline {
                sent_at: Some(sent),
                response_due: Some(due(sent)),
                ..Timeline::default()
            }
        }
        Stage::Responded => {
            let sent = send(8);
            Timeline {
                sent_at: Some(sent),
                response_due: Some(due(sent)),
                response: Some(answer(sent)),
                finalized_at: None,
            }
        }
        Stage::Final { response } => {
            let sent = send(12);
            let response_due = due(sent);
            let response = response.then(|| answer(sent));
            // Finalised a few days after the response, or after the response date passed.
            let finalized = match &response {
                Some((_, at)) => office(dutch_date(*at) + Duration::days(5), 11, 0),
                None => office(response_due + Duration::days(2), 11, 0),
            };
            Timeline {
                sent_at: Some(sent),
                response_due: Some(response_due),
                response,
                finalized_at: Some(finalized.min(now)),
            }
        }
    }
}

fn status(stage: Stage) -> &'static str {
    match stage {
        Stage::Concept => "concept",
        Stage::Sent { .. } => "verzonden",
        Stage::Responded => "zienswijze_ontvangen",
        Stage::Final { .. } => "definitief",
    }
}

pub async fn insert<C: ConnectionTrait>(
    db: &C,
    framework: &FrameworkDoc,
    made: &visit::Model,
    ratings: &[DemoRating],
    stage: Stage,
    seed: u64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    // The visit's `updated_at` is when it was completed, which is when the report was made.
    let completed = made.updated_at;
    let steps = timeline(stage, dutch_date(made.starts_at), seed, now);
    let last_step = [
        steps.sent_at,
        steps.response.as_ref().map(|r| r.1),
        steps.finalized_at,
    ]
    .into_iter()
    .flatten()
    .fold(completed, DateTime::max);
    let (response_text, response_received_at) = steps.response.clone().unzip();
    let created = report::ActiveModel {
        id: Set(Uuid::new_v4()),
        visit_id: Set(made.id),
        provider_id: Set(made.provider_id),
        region_code: Set(made.region_code.clone()),
        framework_version_id: Set(made.framework_version_id),
        status: Set(status(stage).into()),
        summary: Set(summary(made, ratings)),
        advice: Set(advice(framework, ratings)),
        theme_findings: Set("{}".into()),
        sent_at: Set(steps.sent_at),
        response_due: Set(steps.response_due),
        response_text: Set(response_text),
        response_received_at: Set(response_received_at),
        finalized_at: Set(steps.finalized_at),
        reminder_sent_at: Set(None),
        created_at: Set(completed),
        updated_at: Set(last_step),
    }
    .insert(db)
    .await?;
    let due = dutch_date(completed)
        .checked_add_months(Months::new(IMPROVEMENT_MONTHS))
        .unwrap_or(dutch_date(completed));
    let unmet = ratings
        .iter()
        .filter(|(_, r, _)| matches!(r, Rating::VoldoetNiet | Rating::VoldoetDeels));
    for (j, (code, _, finding)) in unmet.enumerate() {
        let title = framework
            .criterion(code)
            .map(|c| c.title.as_str())
            .unwrap_or_default();
        // Points of a final report were mostly resolved a few weeks before they were due (never
        // before it was final). Of the last year and a half, one in three is still open, and
        // once past due counts as overdue; older ones have all been dealt with.
        let resolved_at = steps
            .finalized_at
            .filter(|finalized| {
                now - *finalized > Duration::days(540) || (seed as usize + j) % 3 != 1
            })
            .map(|finalized| {
                (finalized + Duration::days(14)).max(local(due - Duration::days(21), 12, 0))
            })
            .filter(|at| *at <= now);
        improvement_point::ActiveModel {
            id: Set(Uuid::new_v4()),
            report_id: Set(created.id),
            criterion_code: Set(code.clone()),
            description: Set(format!(
                "{title}. Bevinding: {}",
                finding.unwrap_or_default()
            )),
            due_date: Set(due),
            status: Set(if resolved_at.is_some() {
                "opgelost"
            } else {
                "open"
            }
            .into()),
            created_at: Set(completed),
            resolved_at: Set(resolved_at),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn count(ratings: &[DemoRating], rating: Rating) -> usize {
    ratings.iter().filter(|(_, r, _)| *r == rating).count()
}

/// "Aangekondigd bezoek (regulier toezicht) op 3 maart 2025. Van de 16 beoordeelde normen …"
fn summary(made: &visit::Model, ratings: &[DemoRating]) -> String {
    let kind = if made.announced {
        "Aangekondigd"
    } else {
        "Onaangekondigd"
    };
    // The provider reads the summary: the reason in its wording (never "because of a signal").
    let reason = Reason::parse(&made.reason)
        .map_or(String::new(), |r| r.label_for_provider().to_lowercase());
    let (met, partly, not_met) = (
        count(ratings, Rating::Voldoet),
        count(ratings, Rating::VoldoetDeels),
        count(ratings, Rating::VoldoetNiet),
    );
    let assessed = met + partly + not_met;
    let points = ratings
        .iter()
        .filter_map(|(_, r, _)| scoring::points(*r))
        .sum();
    let verdict = match scoring::percentage(points, assessed as u32) {
        Some(pct) if pct >= 90.0 => {
            "De aanbieder biedt over het geheel veilige en cliëntgerichte ondersteuning."
        }
        Some(pct) if pct >= 75.0 => {
            "De ondersteuning is grotendeels op orde; op enkele normen is verbetering nodig."
        }
        _ => {
            "Op meerdere normen schiet de kwaliteit tekort; de veiligheid van cliënten vraagt om snelle verbetering."
        }
    };
    format!(
        "{kind} bezoek ({reason}) op {}. Van de {assessed} beoordeelde normen voldoen er {met} \
         volledig, {partly} deels en {not_met} niet. {verdict}",
        date_nl(dutch_date(made.starts_at))
    )
}

fn advice(framework: &FrameworkDoc, ratings: &[DemoRating]) -> String {
    let not_met: Vec<String> = ratings
        .iter()
        .filter(|(_, r, _)| *r == Rating::VoldoetNiet)
        .map(|(code, _, _)| match framework.criterion(code) {
            Some(c) => format!("{code} ({})", c.title),
            None => code.clone(),
        })
        .collect();
    if count(ratings, Rating::VoldoetDeels) == 0 && not_met.is_empty() {
        return "Er zijn geen verbeterpunten. Houd het huidige niveau vast en blijf de kwaliteit \
                periodiek met cliënten en medewerkers evalueren."
            .into();
    }
    let mut text = "Werk de verbeterpunten binnen drie maanden uit in een plan van aanpak en leg \
                    vast wie waarvoor verantwoordelijk is."
        .to_string();
    if !not_met.is_empty() {
        text.push_str(&format!(
            " Geef voorrang aan de normen waaraan niet wordt voldaan: {}. Wij adviseren de \
             gemeente de voortgang te bespreken in het eerstvolgende contractgesprek.",
            not_met.join("; ")
        ));
    }
    text
}
