//! `/bezoeken/export.csv`: the agenda as the inspector sees it (same address, same filters), as a
//! spreadsheet; every page of a list, not just the one on screen. Times are Dutch local time.
use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::Utc;

use crate::app::AppState;
use crate::domain::local_time::clock_nl;
use crate::domain::working_days::dutch_date;
use crate::error::AppResult;
use crate::visits::pages::agenda_query::Agenda;
use crate::visits::pages::common::{Names, staff};
use crate::visits::queries;
use crate::web::csv::{self, MAX_ROWS, Sheet};
use crate::web::current_user::CurrentUser;

pub const COLUMNS: [&str; 8] = [
    "datum",
    "begin",
    "einde",
    "aanbieder",
    "toezichthouders",
    "aangekondigd",
    "aanleiding",
    "status",
];

pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let scope = staff(&user)?;
    let agenda = Agenda::read(&raw.unwrap_or_default(), &user, Utc::now());
    let visits = queries::list_upto(&state.db, &scope, &agenda.filter, MAX_ROWS + 1).await?;
    csv::check_size(&visits)?;
    let ids: Vec<_> = visits.iter().map(|v| v.id).collect();
    let links = queries::links(&state.db, &ids).await?;
    let names = Names::load(&state.db, &visits, &links).await?;
    let mut sheet = Sheet::new(&COLUMNS)?;
    for v in &visits {
        sheet.row(&[
            csv::date(dutch_date(v.starts_at)),
            clock_nl(v.starts_at),
            clock_nl(v.ends_at),
            names
                .providers
                .get(&v.provider_id)
                .cloned()
                .unwrap_or_default(),
            links
                .get(&v.id)
                .map_or_else(String::new, |l| names.people(&l.inspectors)),
            csv::yes_no(v.announced).to_string(),
            // Codes as in the API: stable, and what a spreadsheet filter groups on.
            v.reason.clone(),
            v.status.clone(),
        ])?;
    }
    csv::attachment("bezoeken", sheet.finish()?)
}
