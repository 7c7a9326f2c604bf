//! A report as the API returns it (API.md "Reports").
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::entities::{improvement_point, report, visit};
use crate::error::{AppError, AppResult};
use crate::visits::assessment;
use crate::visits::scoring::ThemeScore;

#[derive(Debug, Serialize, ToSchema)]
pub struct ImprovementPointView {
    pub id: Uuid,
    pub criterion: String,
    pub description: String,
    pub due_date: NaiveDate,
    pub status: String,
    /// The provider's explanation when it reported the point as done.
    pub provider_note: Option<String>,
    /// When the provider reported it done (awaiting the inspector's confirmation).
    pub reported_done_at: Option<DateTime<Utc>>,
    /// The inspector's note when sending the point back.
    pub inspector_note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderResponse {
    pub text: String,
    pub received_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub provider_id: Uuid,
    pub status: String,
    pub summary: String,
    pub advice: String,
    /// The inspector's findings per theme code.
    pub theme_findings: std::collections::BTreeMap<String, String>,
    pub theme_scores: Vec<ThemeScore>,
    pub overall_pct: Option<f64>,
    pub improvement_points: Vec<ImprovementPointView>,
    pub sent_at: Option<DateTime<Utc>>,
    pub response_due: Option<NaiveDate>,
    pub provider_response: Option<ProviderResponse>,
    pub finalized_at: Option<DateTime<Utc>>,
}

/// The report with its points, and the scores of its visit (computed from the ratings, so they
/// can never disagree with them).
pub async fn load<C: ConnectionTrait>(db: &C, model: report::Model) -> AppResult<ReportView> {
    let points = improvement_point::Entity::find()
        .filter(improvement_point::Column::ReportId.eq(model.id))
        .order_by_asc(improvement_point::Column::CriterionCode)
        .all(db)
        .await?;
    let the_visit = visit::Entity::find_by_id(model.visit_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("report without visit"))?;
    let framework = assessment::framework_of(db, &the_visit).await?;
    let scores = assessment::view(db, &framework, the_visit.id).await?;
    Ok(ReportView {
        id: model.id,
        visit_id: model.visit_id,
        provider_id: model.provider_id,
        status: model.status,
        summary: model.summary,
        advice: model.advice,
        theme_findings: theme_findings(&model.theme_findings),
        theme_scores: scores.theme_scores,
        overall_pct: scores.overall_pct,
        improvement_points: points
            .into_iter()
            .map(|p| ImprovementPointView {
                id: p.id,
                criterion: p.criterion_code,
                description: p.description,
                due_date: p.due_date,
                status: p.status,
                provider_note: p.provider_note,
                reported_done_at: p.provider_done_at,
                inspector_note: p.inspector_note,
            })
            .collect(),
        sent_at: model.sent_at,
        response_due: model.response_due,
        provider_response: match (model.response_text, model.response_received_at) {
            (Some(text), Some(received_at)) => Some(ProviderResponse { text, received_at }),
            _ => None,
        },
        finalized_at: model.finalized_at,
    })
}

/// The stored findings per theme; a malformed value reads as none rather than failing the page.
pub fn theme_findings(json: &str) -> std::collections::BTreeMap<String, String> {
    serde_json::from_str(json).unwrap_or_default()
}
