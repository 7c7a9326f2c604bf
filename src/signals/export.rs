//! `/meldingen/export.csv`: the triage list with its filters, as a spreadsheet. Deliberately
//! without the description, the reporter's role, name or contact details: those are special
//! category data (DOMAIN.md "Privacy") and stay in the application, where reads are logged.
use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::Utc;

use crate::app::AppState;
use crate::domain::working_days::dutch_date;
use crate::error::AppResult;
use crate::signals::api::ListQuery;
use crate::signals::queries::{self, is_overdue};
use crate::signals::staff_common::staff;
use crate::signals::staff_list::{page_filter, provider_names};
use crate::web::csv::{self, MAX_ROWS, Sheet};
use crate::web::current_user::CurrentUser;
use crate::web::query;

pub const COLUMNS: [&str; 8] = [
    "referentie",
    "ontvangen",
    "aanbieder",
    "categorie",
    "prioriteit",
    "status",
    "triage_uiterlijk",
    "te_laat",
];

pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let scope = staff(&user)?;
    // Unlike the list page, a filter that cannot be read is refused (422): a file silently
    // holding the unfiltered list would mislead whoever opens it later.
    let query: ListQuery = query::parse(&raw.unwrap_or_default())?;
    // What the page shows, the file holds: by default the open signals.
    let filter = page_filter(query)?;
    let signals = queries::list_upto(&state.db, &scope, &filter, MAX_ROWS + 1).await?;
    csv::check_size(&signals)?;
    let ids: Vec<_> = signals.iter().filter_map(|s| s.provider_id).collect();
    let names: std::collections::HashMap<_, _> =
        provider_names(&state.db, &ids).await?.into_iter().collect();
    let today = dutch_date(Utc::now());
    let mut sheet = Sheet::new(&COLUMNS)?;
    for s in &signals {
        let provider = s
            .provider_id
            .and_then(|id| names.get(&id).cloned())
            .or_else(|| s.provider_name.clone())
            .unwrap_or_default();
        sheet.row(&[
            s.reference.clone(),
            csv::date(dutch_date(s.received_at)),
            provider,
            s.category.clone(),
            s.priority.clone(),
            s.status.clone(),
            csv::date(s.triage_due),
            csv::yes_no(is_overdue(s, today)).to_string(),
        ])?;
    }
    csv::attachment("meldingen", sheet.finish()?)
}
