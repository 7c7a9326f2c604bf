//! `/bezoeken/{id}`: one visit with its provider, people, linked signals, scores so far, the
//! previous visit's ratings beside this one's, and (once completed) its concept report.
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::app::AppState;
use crate::db::entities::{improvement_point, provider, report, signal, visit_rating};
use crate::domain::text::{date_nl, day_nl, percent_nl};
use crate::error::AppResult;
use crate::framework::domain::{FrameworkDoc, Rating};
use crate::signals::rules::{Category, SignalStatus};
use crate::signals::staff_common::label_of;
use crate::visits::assessment::{self, framework_of};
use crate::visits::pages::common::{Names, VisitRow, staff};
use crate::visits::queries;
use crate::visits::rules::VisitStatus;
use crate::web::csrf::CsrfToken;
use crate::web::current_user::CurrentUser;
use crate::web::parse_id;
use crate::web::templates::Layout;

#[derive(Deserialize)]
pub struct Notice {
    melding: Option<String>,
}

/// The confirmation after an action on this visit, named in the redirect's address.
fn notice_text(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "gepland" => "Het bezoek is gepland.",
        "gewijzigd" => "Het bezoek is gewijzigd.",
        "geannuleerd" => "Het bezoek is geannuleerd. Het staat niet meer in de agenda's.",
        "afgerond" => "Het bezoek is afgerond. Er is een concept-rapport gemaakt.",
        "opgeslagen" => "De beoordeling is opgeslagen.",
        _ => return None,
    })
}

#[derive(Serialize)]
struct Link {
    href: String,
    label: String,
    detail: String,
}

#[derive(Serialize)]
struct ThemeLine {
    theme: String,
    score: String,
    previous: String,
    assessed: u32,
}

#[derive(Serialize)]
struct Comparison {
    code: String,
    title: String,
    previous: String,
    previous_finding: Option<String>,
    current: String,
    changed: bool,
}

#[derive(Serialize)]
struct DetailPage {
    #[serde(flatten)]
    layout: Layout,
    notice: Option<&'static str>,
    visit: VisitRow,
    provider_id: String,
    address: String,
    announced: bool,
    framework: String,
    signals: Vec<Link>,
    follow_up_points: Vec<PointLine>,
    themes: Vec<ThemeLine>,
    overall: String,
    previous_day: Option<String>,
    previous_id: Option<String>,
    previous_overall: String,
    comparison: Vec<Comparison>,
    may_complete: bool,
    complete_hint: Option<&'static str>,
    report_status: Option<String>,
    report_points: Vec<PointLine>,
    report_id: Option<String>,
    open_points: bool,
}

fn rating_label(framework: &FrameworkDoc, code: Option<&str>) -> String {
    code.and_then(Rating::parse)
        .and_then(|r| framework.rating(r))
        .map_or_else(|| "–".to_string(), |l| l.label.clone())
}

async fn ratings_of(
    state: &AppState,
    visit_id: Uuid,
) -> AppResult<HashMap<String, visit_rating::Model>> {
    Ok(visit_rating::Entity::find()
        .filter(visit_rating::Column::VisitId.eq(visit_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.criterion_code.clone(), r))
        .collect())
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
    Query(notice): Query<Notice>,
) -> AppResult<Response> {
    let scope = staff(&user)?;
    let found = queries::find(&state.db, &scope, parse_id(&id)?).await?;
    let links = queries::links(&state.db, &[found.id]).await?;
    let names = Names::load(&state.db, std::slice::from_ref(&found), &links).await?;
    let link = links.get(&found.id).cloned().unwrap_or_default();
    let the_provider = provider::Entity::find_by_id(found.provider_id)
        .one(&state.db)
        .await?;
    let framework = framework_of(&state.db, &found).await?;
    let scores = assessment::view(&state.db, &framework, found.id).await?;

    // Signals linked when planning, and signals that point at this visit themselves.
    let signals = signal::Entity::find()
        .filter(
            Condition::any()
                .add(signal::Column::Id.is_in(link.signals.clone()))
                .add(signal::Column::VisitId.eq(found.id)),
        )
        .order_by_asc(signal::Column::ReceivedAt)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| Link {
            href: format!("/meldingen/{}", s.id),
            label: s.reference,
            detail: format!(
                "{} · {} · ontvangen {}",
                label_of(&s.category, Category::parse, Category::label_nl),
                label_of(&s.status, SignalStatus::parse, SignalStatus::label_nl),
                day_nl(s.received_at)
            ),
        })
        .collect();
    let follow_up_points = point_lines(&state, &link.improvement_points).await?;

    let previous = queries::previous_completed(&state.db, &found).await?;
    let current = ratings_of(&state, found.id).await?;
    let (previous_ratings, previous_scores) = match &previous {
        Some(p) => {
            let pf = framework_of(&state.db, p).await?;
            (
                ratings_of(&state, p.id).await?,
                Some(assessment::view(&state.db, &pf, p.id).await?),
            )
        }
        None => (HashMap::new(), None),
    };
    let previous_theme = |theme: &str| {
        previous_scores.as_ref().map_or_else(
            || "–".to_string(),
            |s| {
                percent_nl(
                    s.theme_scores
                        .iter()
                        .find(|t| t.theme == theme)
                        .and_then(|t| t.score_pct),
                )
            },
        )
    };
    let themes = framework
        .themes
        .iter()
        .map(|t| {
            let own = scores.theme_scores.iter().find(|s| s.theme == t.code);
            ThemeLine {
                theme: format!("{} {}", t.code, t.title),
                score: percent_nl(own.and_then(|s| s.score_pct)),
                previous: previous_theme(&t.code),
                assessed: own.map_or(0, |s| s.assessed),
            }
        })
        .collect();
    let comparison = if previous.is_some() {
        framework
            .criteria()
            .map(|(_, c)| {
                let before = previous_ratings.get(&c.code);
                let now = current.get(&c.code);
                Comparison {
                    code: c.code.clone(),
                    title: c.title.clone(),
                    previous: rating_label(&framework, before.map(|r| r.rating.as_str())),
                    previous_finding: before.and_then(|r| r.finding.clone()),
                    current: rating_label(&framework, now.map(|r| r.rating.as_str())),
                    changed: before.map(|r| &r.rating) != now.map(|r| &r.rating) && now.is_some(),
                }
            })
            .collect()
    } else {
        Vec::new()
    };

    let planned = found.status == VisitStatus::Gepland.as_str();
    let assessed = scores.theme_scores.iter().any(|t| t.assessed > 0);
    let started = found.starts_at <= Utc::now();
    let complete_hint = match (planned, started, assessed) {
        (false, _, _) => None,
        (true, false, _) => Some("Afronden kan zodra het bezoek is begonnen."),
        (true, true, false) => {
            Some("Beoordeel eerst minstens één criterium; daarna kunt u afronden.")
        }
        (true, true, true) => None,
    };
    let the_report = report::Entity::find()
        .filter(report::Column::VisitId.eq(found.id))
        .one(&state.db)
        .await?;
    let report_points = match &the_report {
        Some(r) => {
            let ids: Vec<Uuid> = improvement_point::Entity::find()
                .filter(improvement_point::Column::ReportId.eq(r.id))
                .all(&state.db)
                .await?
                .into_iter()
                .map(|p| p.id)
                .collect();
            point_lines(&state, &ids).await?
        }
        None => Vec::new(),
    };
    // A heronderzoek follows a report the provider has received.
    let open_points = report_points.iter().any(|p| p.open)
        && the_report.as_ref().is_some_and(|r| r.status != "concept");
    let page = DetailPage {
        layout: Layout::new(
            format!(
                "Bezoek {}",
                names
                    .providers
                    .get(&found.provider_id)
                    .cloned()
                    .unwrap_or_default()
            ),
            Some(&user),
            &csrf.value,
            "/bezoeken",
        ),
        notice: notice_text(notice.melding.as_deref()),
        visit: VisitRow::new(&found, Some(&link), &names),
        provider_id: found.provider_id.to_string(),
        address: the_provider
            .map(|p| format!("{} {}, {} {}", p.street, p.house_number, p.postcode, p.city))
            .unwrap_or_default(),
        announced: found.announced,
        framework: framework.version.clone(),
        signals,
        follow_up_points,
        themes,
        overall: percent_nl(scores.overall_pct),
        previous_day: previous.as_ref().map(|p| day_nl(p.starts_at)),
        previous_id: previous.as_ref().map(|p| p.id.to_string()),
        previous_overall: percent_nl(previous_scores.and_then(|s| s.overall_pct)),
        comparison,
        may_complete: planned && started && assessed,
        complete_hint,
        report_status: the_report
            .as_ref()
            .map(|r| report_status_nl(&r.status).to_string()),
        report_id: the_report.as_ref().map(|r| r.id.to_string()),
        report_points,
        open_points,
    };
    Ok((csrf, state.templates.page("visits/show", &page)?).into_response())
}

fn report_status_nl(status: &str) -> &'static str {
    match status {
        "concept" => "Concept",
        "verzonden" => "Verzonden aan de aanbieder",
        "zienswijze_ontvangen" => "Zienswijze ontvangen",
        "definitief" => "Definitief",
        _ => "",
    }
}

#[derive(Serialize)]
pub struct PointLine {
    code: String,
    description: String,
    due: String,
    open: bool,
}

/// Improvement points in criterion order: what to improve, by when, and whether it is done.
pub async fn point_lines(state: &AppState, ids: &[Uuid]) -> AppResult<Vec<PointLine>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(improvement_point::Entity::find()
        .filter(improvement_point::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(improvement_point::Column::CriterionCode)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| PointLine {
            code: p.criterion_code,
            description: p.description,
            due: date_nl(p.due_date),
            open: p.status == "open",
        })
        .collect())
}
