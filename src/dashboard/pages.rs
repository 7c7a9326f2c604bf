//! `/regio/{code}`: the region dashboard page, the API's numbers with charts and the lists
//! behind them.
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Serialize;

use super::figures::{self, Dashboard};
use super::page_charts::{self, Chart};
use crate::app::AppState;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfToken;
use crate::web::current_user::CurrentUser;
use crate::web::templates::Layout;

/// A number on the page, linked to the filtered list behind it where such a list exists.
#[derive(Serialize)]
pub struct Figure {
    pub label: &'static str,
    pub value: u64,
    pub href: Option<String>,
}

#[derive(Serialize)]
struct RegionPage {
    #[serde(flatten)]
    layout: Layout,
    name: String,
    code: String,
    figures: Vec<Figure>,
    charts: Vec<Chart>,
    risks: Vec<crate::risk::RiskSummary>,
}

fn key_figures(d: &Dashboard, linked: bool) -> Vec<Figure> {
    // The lists are scoped to the viewer's own region: an admin's list would mix all regions, so
    // an admin sees the numbers unlinked. A figure links only to a list that counts exactly it;
    // planned and past visits, open signals and overdue points have no such list yet.
    let link = |href: &str| linked.then(|| href.to_string());
    vec![
        Figure {
            label: "Actieve aanbieders",
            value: d.providers.total,
            href: link("/aanbieders?status=actief"),
        },
        Figure {
            label: "Nooit bezocht",
            value: d.providers.never_visited,
            href: None,
        },
        Figure {
            label: "Bezoek te lang geleden (> 3 jaar)",
            value: d.providers.visit_overdue,
            href: None,
        },
        Figure {
            label: "Geplande bezoeken",
            value: d.visits.planned,
            href: None,
        },
        Figure {
            label: "Bezoeken uitgevoerd (365 dagen)",
            value: d.visits.completed_last_365d,
            href: None,
        },
        Figure {
            label: "Bezoeken geannuleerd (365 dagen)",
            value: d.visits.cancelled_last_365d,
            href: None,
        },
        Figure {
            label: "Open meldingen",
            value: d.signals.open,
            href: None,
        },
        Figure {
            label: "Meldingen over de termijn",
            value: d.signals.overdue,
            href: link("/meldingen?overdue=true"),
        },
        Figure {
            label: "Meldingen laatste 30 dagen",
            value: d.signals.received_last_30d,
            href: None,
        },
        Figure {
            label: "Rapporten wachten op reactie",
            value: d.reports.awaiting_response,
            href: link("/rapporten?status=verzonden"),
        },
        Figure {
            label: "Reactietermijn verstreken",
            value: d.reports.response_overdue,
            href: link("/rapporten?late=reactie"),
        },
        Figure {
            label: "Definitieve rapporten (365 dagen)",
            value: d.reports.final_last_365d,
            href: None,
        },
        Figure {
            label: "Open verbeterpunten",
            value: d.improvement_points.open,
            href: None,
        },
        Figure {
            label: "Verbeterpunten over de datum",
            value: d.improvement_points.overdue,
            href: None,
        },
    ]
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let code = super::region_code_for(&user, &code)?;
    let now = Utc::now();
    // As the API's dashboard (`api::dashboard`).
    let txn = crate::db::begin_read(&state.db).await?;
    let (d, previous) =
        figures::dashboard(&txn, &state.config.risk_weights, &code, now, true).await?;
    let previous = previous.ok_or_else(|| AppError::internal("previous year's scores not read"))?;
    txn.commit().await?;
    let linked = user.role == Role::Inspector;

    let charts = page_charts::build(&d, &previous, linked);
    let context = RegionPage {
        layout: Layout::new(
            format!("Dashboard {}", d.region.name),
            Some(&user),
            &csrf.value,
            &format!("/regio/{}", d.region.code),
        ),
        figures: key_figures(&d, linked),
        name: d.region.name.clone(),
        code: d.region.code.clone(),
        risks: d.risk.top.clone(),
        charts,
    };
    let html = state.templates.page("dashboard/region", &context)?;
    Ok((csrf, html).into_response())
}
