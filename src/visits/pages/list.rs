//! `/bezoeken`: the agenda. An inspector first sees its own week; it can switch to a list, to the
//! whole region, and filter by provider and status. Filters travel in the address, so a view can
//! be bookmarked and the browser's back button works.
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::app::AppState;
use crate::domain::local_time::week_number;
use crate::domain::working_days::dutch_date;
use crate::error::AppResult;
use crate::signals::staff_common::{Choice, options};
use crate::signals::staff_list::provider_names;
use crate::visits::pages::agenda_query::Agenda;
use crate::visits::pages::common::{Names, VisitRow, inspectors, region_of, staff};
use crate::visits::pages::week::{self, Day};
use crate::visits::queries;
use crate::visits::rules::VisitStatus;
use crate::web::csrf::CsrfToken;
use crate::web::current_user::CurrentUser;
use crate::web::pagination::Paging;
use crate::web::templates::Layout;

#[derive(Serialize)]
struct AgendaPage {
    #[serde(flatten)]
    layout: Layout,
    week_view: bool,
    week_href: String,
    list_href: String,
    /// The same view as a spreadsheet (every page of it).
    export_href: String,
    may_plan: bool,
    inspectors: Vec<Choice>,
    all_inspectors: bool,
    providers: Vec<Choice>,
    statuses: Vec<Choice>,
    past: bool,
    filter_hidden: Vec<(&'static str, String)>,
    week_title: String,
    prev_week_href: String,
    next_week_href: String,
    this_week_href: String,
    days: Vec<Day<VisitRow>>,
    rows: Vec<VisitRow>,
    total: u64,
    page: u64,
    pages: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// The address of the agenda with these query pairs (empty values left out).
fn href(pairs: &[(&str, String)]) -> String {
    href_at("/bezoeken", pairs)
}

fn href_at(path: &str, pairs: &[(&str, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            format!(
                "{k}={}",
                form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
            )
        })
        .collect();
    if query.is_empty() {
        path.into()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

pub async fn agenda(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let scope = staff(&user)?;
    let now = Utc::now();
    let today = dutch_date(now);
    let Agenda {
        week_view,
        monday,
        all_inspectors,
        inspector_id,
        provider_id,
        status,
        past,
        page,
        filter,
    } = Agenda::read(&raw.unwrap_or_default(), &user, now);
    let paging = Paging::new(
        if week_view { None } else { page },
        Some(if week_view { 200 } else { 50 }),
    )?;
    let (visits, total) = queries::list(&state.db, &scope, &filter, paging).await?;
    let ids: Vec<Uuid> = visits.iter().map(|v| v.id).collect();
    let links = queries::links(&state.db, &ids).await?;
    let names = Names::load(&state.db, &visits, &links).await?;

    let inspector_value = if all_inspectors {
        "all".to_string()
    } else {
        inspector_id.map(|i| i.to_string()).unwrap_or_default()
    };
    let keep = |view: &str, week: String| -> Vec<(&'static str, String)> {
        vec![
            ("view", view.to_string()),
            ("week", week),
            ("inspector_id", inspector_value.clone()),
            (
                "provider_id",
                provider_id.map(|p| p.to_string()).unwrap_or_default(),
            ),
            (
                "status",
                status.map(|s| s.as_str().to_string()).unwrap_or_default(),
            ),
            (
                "period",
                if past && view == "list" {
                    "past".into()
                } else {
                    String::new()
                },
            ),
        ]
    };
    let week_of = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let (days, rows) = if week_view {
        let items = visits
            .iter()
            .map(|v| {
                (
                    dutch_date(v.starts_at),
                    VisitRow::new(v, links.get(&v.id), &names),
                )
            })
            .collect();
        (week::days(monday, today, items), Vec::new())
    } else {
        let rows = visits
            .iter()
            .map(|v| VisitRow::new(v, links.get(&v.id), &names))
            .collect();
        (Vec::new(), rows)
    };
    let mut inspector_choices: Vec<Choice> = inspectors(&state.db, region_of(&scope))
        .await?
        .into_iter()
        .map(|u| Choice {
            selected: Some(u.id) == inspector_id,
            label: if u.id == user.id {
                format!("{} (ik)", u.name)
            } else {
                u.name
            },
            value: u.id.to_string(),
        })
        .collect();
    inspector_choices.sort_by_key(|c| !c.value.eq(&user.id.to_string()));
    let visited = queries::providers_with_visits(&state.db, &scope).await?;
    let mut providers: Vec<Choice> = provider_names(&state.db, &visited)
        .await?
        .into_iter()
        .map(|(id, name)| Choice {
            selected: Some(id) == provider_id,
            value: id.to_string(),
            label: name,
        })
        .collect();
    providers.sort_by_key(|p| p.label.to_lowercase());
    let pages = paging.page_count(total);
    let list_page = |p: u64| {
        let mut pairs = keep("list", String::new());
        pairs.push(("page", p.to_string()));
        href(&pairs)
    };
    let end = monday + Duration::days(6);
    let page = AgendaPage {
        layout: Layout::new("Bezoeken", Some(&user), &csrf.value, "/bezoeken"),
        week_view,
        week_href: href(&keep("", week_of(monday))),
        list_href: href(&keep("list", String::new())),
        export_href: href_at(
            "/bezoeken/export.csv",
            &if week_view {
                keep("", week_of(monday))
            } else {
                keep("list", String::new())
            },
        ),
        may_plan: true,
        inspectors: inspector_choices,
        all_inspectors,
        providers,
        statuses: options(
            VisitStatus::ALL,
            VisitStatus::as_str,
            VisitStatus::label_nl,
            status.map_or("", |s| s.as_str()),
        ),
        past,
        filter_hidden: if week_view {
            vec![("week", week_of(monday))]
        } else {
            vec![("view", "list".into())]
        },
        week_title: format!(
            "Week {} · {} t/m {}",
            week_number(monday),
            crate::domain::text::date_nl(monday),
            crate::domain::text::date_nl(end)
        ),
        prev_week_href: href(&keep("", week_of(monday - Duration::days(7)))),
        next_week_href: href(&keep("", week_of(monday + Duration::days(7)))),
        this_week_href: href(&keep("", String::new())),
        days,
        rows,
        total,
        page: paging.page,
        pages,
        prev_href: (!week_view && paging.page > 1).then(|| list_page(paging.page - 1)),
        next_href: (!week_view && paging.page < pages).then(|| list_page(paging.page + 1)),
    };
    Ok((csrf, state.templates.page("visits/agenda", &page)?).into_response())
}
