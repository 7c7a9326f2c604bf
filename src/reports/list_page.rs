//! `/rapporten`: the region's reports for its inspectors (admins: all), newest first, filtered by
//! status, a response that is overdue, or improvement points past their date — the lists behind
//! the dashboard's report figures.
use std::collections::HashMap;

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::app::AppState;
use crate::db::entities::improvement_point;
use crate::domain::role::Role;
use crate::domain::text::{date_nl, day_nl};
use crate::domain::working_days::dutch_date;
use crate::error::AppResult;
use crate::reports::queries::{self, ListFilter, Scope};
use crate::reports::rules::{self, PointStatus, ReportStatus};
use crate::reports::table::Table;
use crate::signals::staff_common::{Choice, options};
use crate::web::csrf::CsrfToken;
use crate::web::current_user::CurrentUser;
use crate::web::pagination::{Paging, page_links};
use crate::web::query;
use crate::web::templates::Layout;

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    status: Option<String>,
    /// `reactie`: response overdue; `punten`: improvement points past their date.
    late: Option<String>,
    page: Option<u64>,
}

#[derive(Serialize)]
struct Row {
    id: String,
    provider: String,
    visit_day: String,
    status: &'static str,
    response_due: Option<String>,
    response_late: bool,
    open_points: usize,
    overdue_points: usize,
}

#[derive(Serialize)]
struct ListPage {
    #[serde(flatten)]
    layout: Layout,
    statuses: Vec<Choice>,
    late_response: bool,
    late_points: bool,
    rows: Vec<Row>,
    total: u64,
    filtered: bool,
    export_href: String,
    page: u64,
    pages: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    let raw = raw.unwrap_or_default();
    // A hand-edited address with a bad value shows the whole list rather than an error page.
    let query: ListQuery = query::parse(&raw).unwrap_or_default();
    let today = dutch_date(Utc::now());
    let status = query.status.as_deref().and_then(ReportStatus::parse);
    let late = query.late.as_deref().unwrap_or("");
    let filter = ListFilter {
        status,
        response_overdue_on: (late == "reactie").then_some(today),
        points_overdue_on: (late == "punten").then_some(today),
        ..ListFilter::default()
    };
    let paging = Paging::new(query.page.filter(|p| *p > 0), Some(50))?;
    let (reports, total) = queries::list(&state.db, &Scope::of(&user), &filter, paging).await?;
    let table = Table::load(&state.db, &reports).await?;
    let mut points: HashMap<Uuid, (usize, usize)> = HashMap::new();
    if !reports.is_empty() {
        for p in improvement_point::Entity::find()
            .filter(improvement_point::Column::ReportId.is_in(reports.iter().map(|r| r.id)))
            .filter(improvement_point::Column::Status.eq(PointStatus::Open.as_str()))
            .all(&state.db)
            .await?
        {
            let entry = points.entry(p.report_id).or_default();
            entry.0 += 1;
            if rules::is_overdue(PointStatus::Open, p.due_date, today) {
                entry.1 += 1;
            }
        }
    }
    let rows = reports
        .iter()
        .map(|r| {
            let status = ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Concept);
            let (open_points, overdue_points) = points.get(&r.id).copied().unwrap_or_default();
            Row {
                id: r.id.to_string(),
                provider: table
                    .providers
                    .get(&r.provider_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                visit_day: table
                    .visits
                    .get(&r.visit_id)
                    .map(|v| day_nl(v.starts_at))
                    .unwrap_or_default(),
                status: status.label_nl(),
                response_due: r.response_due.map(date_nl),
                response_late: status == ReportStatus::Verzonden
                    && r.response_due.is_some_and(|d| d < today),
                open_points,
                overdue_points,
            }
        })
        .collect();
    let links = page_links("/rapporten", &raw, paging, total);
    let page = ListPage {
        layout: Layout::new("Rapporten", Some(&user), &csrf.value, "/rapporten"),
        statuses: options(
            ReportStatus::ALL,
            ReportStatus::as_str,
            ReportStatus::label_nl,
            status.map_or("", |s| s.as_str()),
        ),
        late_response: late == "reactie",
        late_points: late == "punten",
        rows,
        total,
        // An emptied form (`status=&late=`) filters nothing.
        filtered: status.is_some() || !late.is_empty(),
        export_href: if links.filters.is_empty() {
            "/rapporten/export.csv".to_string()
        } else {
            format!("/rapporten/export.csv?{}", links.filters)
        },
        page: paging.page,
        pages: links.pages,
        prev_href: links.prev_href,
        next_href: links.next_href,
    };
    Ok((csrf, state.templates.page("reports/list", &page)?).into_response())
}
