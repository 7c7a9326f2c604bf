//! `/rapporten/export.csv?provider_id=&status=&late=`: the reports of the inspector's region (admins:
//! all) with the API's list filters, as a spreadsheet for the GGD's own follow-up.
use std::collections::HashMap;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::AppState;
use crate::db::entities::improvement_point;
use crate::domain::role::Role;
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult};
use crate::reports::queries::{self, ListFilter, Scope};
use crate::reports::rules::ReportStatus;
use crate::reports::table::Table;
use crate::web::csv::{self, MAX_ROWS, Sheet};
use crate::web::current_user::CurrentUser;
use crate::web::query;

pub const COLUMNS: [&str; 8] = [
    "aanbieder",
    "bezoekdatum",
    "status",
    "verzonden",
    "reactie_uiterlijk",
    "definitief",
    "totaalscore_pct",
    "open_verbeterpunten",
];

#[derive(Debug, Default, Deserialize)]
struct ExportQuery {
    provider_id: Option<String>,
    status: Option<String>,
    /// As on `/rapporten`: `reactie` (response overdue) or `punten` (points past their date).
    late: Option<String>,
}

/// A filter that cannot be read is refused (422) rather than ignored: there is no page showing
/// which filter was applied, so a silently unfiltered file would mislead.
fn filter_of(raw: &str) -> AppResult<ListFilter> {
    let query: ExportQuery = query::parse(raw)?;
    let provider_id =
        match query.provider_id.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => Some(Uuid::parse_str(p.trim()).map_err(|_| {
                AppError::validation("provider_id", "Dit is geen geldige aanbieder.")
            })?),
            None => None,
        };
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(ReportStatus::parse(s).ok_or_else(|| {
            AppError::validation("status", format!("Kies uit: {}.", ReportStatus::codes()))
        })?),
        None => None,
    };
    let today = dutch_date(chrono::Utc::now());
    let (response_overdue_on, points_overdue_on) =
        match query.late.as_deref().filter(|l| !l.is_empty()) {
            None => (None, None),
            Some("reactie") => (Some(today), None),
            Some("punten") => (None, Some(today)),
            Some(_) => {
                return Err(AppError::validation("late", "Kies uit: reactie, punten."));
            }
        };
    Ok(ListFilter {
        provider_id,
        status,
        response_overdue_on,
        points_overdue_on,
    })
}

pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    let filter = filter_of(&raw.unwrap_or_default())?;
    let reports = queries::list_upto(&state.db, &Scope::of(&user), &filter, MAX_ROWS + 1).await?;
    csv::check_size(&reports)?;
    let table = Table::load(&state.db, &reports).await?;
    let mut open_points: HashMap<Uuid, usize> = HashMap::new();
    if !reports.is_empty() {
        for p in improvement_point::Entity::find()
            .filter(improvement_point::Column::ReportId.is_in(reports.iter().map(|r| r.id)))
            .filter(improvement_point::Column::Status.eq("open"))
            .all(&state.db)
            .await?
        {
            *open_points.entry(p.report_id).or_default() += 1;
        }
    }
    let mut sheet = Sheet::new(&COLUMNS)?;
    for r in &reports {
        sheet.row(&[
            table
                .providers
                .get(&r.provider_id)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            table
                .visits
                .get(&r.visit_id)
                .map(|v| csv::date(dutch_date(v.starts_at)))
                .unwrap_or_default(),
            r.status.clone(),
            csv::day_of(r.sent_at),
            r.response_due.map(csv::date).unwrap_or_default(),
            csv::day_of(r.finalized_at),
            csv::pct(table.scores_of(r).and_then(|s| s.overall_pct)),
            open_points.get(&r.id).copied().unwrap_or(0).to_string(),
        ])?;
    }
    csv::attachment("rapporten", sheet.finish()?)
}
