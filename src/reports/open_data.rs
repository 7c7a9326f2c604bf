//! `GET /open-data/{region_code}/scores.csv`: public, no sign-in. One row per final
//! (`definitief`) report of the region: the provider as the register knows it (an organisation,
//! not a person), the visit date and the scores. Nothing else leaves: no inspectors, no findings,
//! no improvement points, nothing about clients. Concepts and reports awaiting the provider's
//! response are not public yet, so they are left out.
use axum::extract::{Path, State};
use axum::response::Response;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::app::AppState;
use crate::db::entities::{municipality, region, report};
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult};
use crate::reports::rules::ReportStatus;
use crate::reports::table::Table;
use crate::web::csv::{self, MAX_ROWS, Sheet};

/// The columns before the themes and after them; a `thema_{code}` column per theme code sits in
/// between (see the README).
// No KvK number: for a sole trader it identifies a person (AVG); name and municipality suffice.
pub const LEADING: [&str; 3] = ["aanbieder", "gemeente", "bezoekdatum"];
pub const TRAILING: &str = "totaal";

pub async fn scores(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let code = code.trim().to_uppercase();
    region::Entity::find_by_id(code.clone())
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let reports = report::Entity::find()
        .filter(report::Column::RegionCode.eq(code.as_str()))
        .filter(report::Column::Status.eq(ReportStatus::Definitief.as_str()))
        .order_by_desc(report::Column::FinalizedAt)
        .order_by_asc(report::Column::Id)
        .limit(MAX_ROWS + 1)
        .all(&state.db)
        .await?;
    csv::check_size(&reports)?;
    let table = Table::load(&state.db, &reports).await?;
    let municipalities: std::collections::HashMap<String, String> = municipality::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|m| (m.code, m.name))
        .collect();
    // One column per theme code of the frameworks these reports used, in framework order; a
    // theme a report's framework does not have is left empty in its row.
    // The current framework always: a region without final reports still gets the usual header.
    let current = crate::framework::queries::current(&state.db).await?;
    let mut used: Vec<_> = table.frameworks.values().collect();
    used.sort_by_key(|f| std::cmp::Reverse(f.published_at));
    let mut themes: Vec<String> = Vec::new();
    for framework in std::iter::once(&current).chain(used) {
        for theme in &framework.themes {
            if !themes.contains(&theme.code) {
                themes.push(theme.code.clone());
            }
        }
    }
    let mut header: Vec<String> = LEADING.iter().map(|c| c.to_string()).collect();
    header.extend(themes.iter().map(|t| format!("thema_{t}")));
    header.push(TRAILING.into());
    let mut sheet = Sheet::new(&header)?;
    for r in &reports {
        let provider = table.providers.get(&r.provider_id);
        let scores = table.scores_of(r);
        let mut row = vec![
            provider.map(|p| p.name.clone()).unwrap_or_default(),
            provider
                .and_then(|p| municipalities.get(&p.municipality_code).cloned())
                .unwrap_or_default(),
            table
                .visits
                .get(&r.visit_id)
                .map(|v| csv::date(dutch_date(v.starts_at)))
                .unwrap_or_default(),
        ];
        for theme in &themes {
            let pct = scores
                .and_then(|s| s.theme_scores.iter().find(|t| &t.theme == theme))
                .and_then(|t| t.score_pct);
            row.push(csv::pct(pct));
        }
        row.push(csv::pct(scores.and_then(|s| s.overall_pct)));
        sheet.row(&row)?;
    }
    csv::attachment(&format!("scores-{code}"), sheet.finish()?)
}
