//! `/regio` (admins): every region in one table, each key figure one aggregate query grouped by
//! region (not 25 dashboards).
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::{EntityTrait, QueryOrder};
use serde::Serialize;

use super::figures::key_figures;
use super::queries::{self, Clock};
use crate::app::AppState;
use crate::db::entities::region;
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::web::csrf::CsrfToken;
use crate::web::current_user::CurrentUser;
use crate::web::templates::Layout;

#[derive(Serialize)]
struct RegionRow {
    code: String,
    name: String,
    numbers: Vec<u64>,
}

#[derive(Serialize)]
struct NationalPage {
    #[serde(flatten)]
    layout: Layout,
    columns: Vec<&'static str>,
    rows: Vec<RegionRow>,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let counts = queries::key_counts(&state.db, Clock::at(Utc::now())).await?;
    let regions = region::Entity::find()
        .order_by_asc(region::Column::Code)
        .all(&state.db)
        .await?;
    let rows = regions
        .into_iter()
        .map(|r| {
            let (p, v, rep, pts, [open, overdue, _]) = key_figures(&counts, &r.code);
            RegionRow {
                numbers: vec![
                    p.total,
                    p.never_visited,
                    p.visit_overdue,
                    v.planned,
                    v.completed_last_365d,
                    open,
                    overdue,
                    rep.awaiting_response,
                    rep.response_overdue,
                    pts.overdue,
                ],
                code: r.code,
                name: r.name,
            }
        })
        .collect();
    let context = NationalPage {
        layout: Layout::new("Dashboard per regio", Some(&user), &csrf.value, "/regio"),
        columns: vec![
            "Actieve aanbieders",
            "Nooit bezocht",
            "Bezoek > 3 jaar",
            "Gepland",
            "Uitgevoerd (365 d)",
            "Open meldingen",
            "Meldingen over termijn",
            "Rapporten wachten",
            "Reactietermijn verstreken",
            "Verbeterpunten over datum",
        ],
        rows,
    };
    let html = state.templates.page("dashboard/national", &context)?;
    Ok((csrf, html).into_response())
}
