//! The report as a document people read (inspector's page, provider portal, print): the cover,
//! findings per theme with the ratings, improvement points, advice, and the provider's response
//! as an annex. Everything in Dutch; dates as `5 januari 2027`.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use crate::db::entities::{municipality, provider, region, report, user, visit, visit_rating};
use crate::domain::text::{date_nl, datetime_nl, day_nl, percent_nl};
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult};
use crate::framework::domain::Rating;
use crate::reports::queries;
use crate::reports::rules::{self, PointStatus, ReportStatus};
use crate::visits::assessment::{self, framework_of};
use crate::visits::rules::Reason;

#[derive(Serialize)]
pub struct Cover {
    pub provider: String,
    pub address: String,
    pub municipality: String,
    pub supervisor: String,
    pub visit_day: String,
    pub kind: String,
    pub inspectors: String,
    pub status: &'static str,
    pub framework: String,
    pub sent: Option<String>,
    pub response_due: Option<String>,
    pub finalized: Option<String>,
}

#[derive(Serialize)]
pub struct CriterionLine {
    pub code: String,
    pub title: String,
    pub rating: String,
    pub finding: Option<String>,
    pub unmet: bool,
}

#[derive(Serialize)]
pub struct ThemeSection {
    pub code: String,
    pub title: String,
    pub score: String,
    /// The inspector's findings on this theme, as written in the report.
    pub finding: String,
    pub criteria: Vec<CriterionLine>,
}

#[derive(Serialize)]
pub struct PointLine {
    pub id: String,
    pub code: String,
    pub description: String,
    pub due: String,
    pub due_iso: String,
    pub solved: bool,
    pub overdue: bool,
    pub provider_note: Option<String>,
    pub reported_done: Option<String>,
    pub inspector_note: Option<String>,
}

#[derive(Serialize)]
pub struct Document {
    pub id: String,
    pub visit_id: String,
    pub provider_id: String,
    pub status: String,
    pub cover: Cover,
    pub summary: String,
    pub advice: String,
    pub overall: String,
    pub themes: Vec<ThemeSection>,
    pub points: Vec<PointLine>,
    pub response: Option<(String, String)>,
}

/// Who reads the document: the provider never reads that a signal led to the visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Staff,
    Provider,
}

pub async fn build<C: ConnectionTrait>(
    db: &C,
    model: &report::Model,
    reader: Reader,
) -> AppResult<Document> {
    let the_visit = visit::Entity::find_by_id(model.visit_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("report without visit"))?;
    let the_provider = provider::Entity::find_by_id(model.provider_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("report without provider"))?;
    let municipality = municipality::Entity::find_by_id(the_provider.municipality_code.clone())
        .one(db)
        .await?
        .map(|m| m.name)
        .unwrap_or_default();
    let supervisor = region::Entity::find_by_id(model.region_code.clone())
        .one(db)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let links = crate::visits::queries::links(db, &[the_visit.id]).await?;
    let inspector_ids = links
        .get(&the_visit.id)
        .map(|l| l.inspectors.clone())
        .unwrap_or_default();
    let mut inspectors: Vec<String> = user::Entity::find()
        .filter(user::Column::Id.is_in(inspector_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.name)
        .collect();
    inspectors.sort();
    let framework = framework_of(db, &the_visit).await?;
    let scores = assessment::view(db, &framework, the_visit.id).await?;
    let ratings: HashMap<String, visit_rating::Model> = visit_rating::Entity::find()
        .filter(visit_rating::Column::VisitId.eq(the_visit.id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.criterion_code.clone(), r))
        .collect();
    let findings = crate::reports::view::theme_findings(&model.theme_findings);
    let themes = framework
        .themes
        .iter()
        .map(|t| ThemeSection {
            code: t.code.clone(),
            title: t.title.clone(),
            finding: findings.get(&t.code).cloned().unwrap_or_default(),
            score: percent_nl(
                scores
                    .theme_scores
                    .iter()
                    .find(|s| s.theme == t.code)
                    .and_then(|s| s.score_pct),
            ),
            criteria: t
                .criteria
                .iter()
                .map(|c| {
                    let rated = ratings.get(&c.code);
                    let rating = rated.and_then(|r| Rating::parse(&r.rating));
                    CriterionLine {
                        code: c.code.clone(),
                        title: c.title.clone(),
                        rating: rating
                            .and_then(|r| framework.rating(r))
                            .map_or_else(|| "niet beoordeeld".into(), |l| l.label.clone()),
                        finding: rated.and_then(|r| r.finding.clone()),
                        unmet: matches!(rating, Some(Rating::VoldoetNiet | Rating::VoldoetDeels)),
                    }
                })
                .collect(),
        })
        .collect();
    let today = dutch_date(Utc::now());
    let points = queries::points(db, model.id)
        .await?
        .into_iter()
        .map(|p| {
            let status = PointStatus::parse(&p.status).unwrap_or(PointStatus::Open);
            PointLine {
                id: p.id.to_string(),
                code: p.criterion_code,
                description: p.description,
                due: date_nl(p.due_date),
                due_iso: p.due_date.format("%Y-%m-%d").to_string(),
                solved: status == PointStatus::Opgelost,
                overdue: rules::is_overdue(status, p.due_date, today),
                provider_note: p.provider_note,
                reported_done: p.provider_done_at.map(day_nl),
                inspector_note: p.inspector_note,
            }
        })
        .collect();
    let status = ReportStatus::parse(&model.status).unwrap_or(ReportStatus::Concept);
    let reason = Reason::parse(&the_visit.reason).map_or("", |r| match reader {
        Reader::Staff => r.label_nl(),
        Reader::Provider => r.label_for_provider(),
    });
    Ok(Document {
        id: model.id.to_string(),
        visit_id: the_visit.id.to_string(),
        provider_id: the_provider.id.to_string(),
        status: status.as_str().to_string(),
        cover: Cover {
            address: format!(
                "{} {}, {} {}",
                the_provider.street,
                the_provider.house_number,
                the_provider.postcode,
                the_provider.city
            ),
            provider: the_provider.name,
            municipality,
            supervisor,
            visit_day: day_nl(the_visit.starts_at),
            kind: format!(
                "{}, {}",
                if the_visit.announced {
                    "Aangekondigd bezoek"
                } else {
                    "Onaangekondigd bezoek"
                },
                reason.to_lowercase()
            ),
            inspectors: inspectors.join(", "),
            status: status.label_nl(),
            framework: framework.version.clone(),
            sent: model.sent_at.map(day_nl),
            response_due: model.response_due.map(date_nl),
            finalized: model.finalized_at.map(day_nl),
        },
        summary: model.summary.clone(),
        advice: model.advice.clone(),
        overall: percent_nl(scores.overall_pct),
        themes,
        points,
        response: match (&model.response_text, model.response_received_at) {
            (Some(text), Some(at)) => Some((text.clone(), datetime_nl(at))),
            _ => None,
        },
    })
}
