//! `/meldingen`: the region's signals for its inspectors (admins: all): the open ones urgent and
//! old first, a view with closed ones newest first.
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DerivePartialModel, EntityTrait, QueryFilter, QuerySelect,
};
use serde::Serialize;
use uuid::Uuid;

use crate::app::AppState;
use crate::db::entities::{provider, signal};
use crate::domain::text::date_nl;
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult};
use crate::providers::queries::{self as provider_queries, Scope as ProviderScope};
use crate::signals::api::ListQuery;
use crate::signals::queries::{self, ListFilter, overdue};
use crate::signals::rules::{Category, Priority, SignalStatus};
use crate::signals::staff_common::{Choice, label_of, options, staff};
use crate::web::csrf::CsrfToken;
use crate::web::current_user::CurrentUser;
use crate::web::pagination::{Paging, page_links};
use crate::web::query;
use crate::web::templates::Layout;

/// The columns of a signal the list shows.
#[derive(DerivePartialModel)]
#[sea_orm(entity = "signal::Entity")]
struct Listed {
    id: Uuid,
    reference: String,
    status: String,
    priority: String,
    category: String,
    provider_name: Option<String>,
    /// The provider's name in the register now (the signal keeps the name it was filed with),
    /// read in the page's statement.
    #[sea_orm(from_expr = "current_provider_name()")]
    current_provider_name: Option<String>,
    received_at: DateTime<Utc>,
    triage_due: NaiveDate,
}

/// `(SELECT name FROM providers WHERE id = signals.provider_id)`.
fn current_provider_name() -> sea_orm::sea_query::Expr {
    sea_orm::sea_query::Expr::cust(
        r#"(SELECT "p"."name" FROM "providers" AS "p" WHERE "p"."id" = "signals"."provider_id")"#,
    )
}

#[derive(Serialize)]
struct Row {
    id: String,
    reference: String,
    received: String,
    provider: String,
    category: &'static str,
    priority: &'static str,
    urgent: bool,
    status: &'static str,
    triage_due: String,
    overdue: bool,
    calamity: bool,
}

#[derive(Serialize)]
struct ChosenProvider {
    id: String,
    name: String,
    /// The list with the same filters for every provider.
    without_href: String,
}

#[derive(Serialize)]
struct ListPage {
    #[serde(flatten)]
    layout: Layout,
    statuses: Vec<Choice>,
    categories: Vec<Choice>,
    /// What was typed in the provider field.
    provider_name: String,
    /// The provider chosen by id, and the same filters without it.
    chosen_provider: Option<ChosenProvider>,
    overdue: bool,
    /// The default: only the signals that still need work.
    open_only: bool,
    newest_first: bool,
    all_statuses: bool,
    rows: Vec<Row>,
    total: u64,
    filtered: bool,
    page: u64,
    pages: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
    /// The same filters over every status.
    all_href: String,
    export_href: String,
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let scope = staff(&user)?;
    let raw = raw.unwrap_or_default();
    let mut query: ListQuery = query::parse(&raw).unwrap_or_default();
    let page_no = query.page.filter(|p| *p > 0);
    query.page = page_no;
    query.per_page = Some(50);
    let all_statuses = query.status.as_deref() == Some(ALL_STATUSES);
    let filter = page_filter(query.clone()).unwrap_or_else(|_| ListFilter {
        open_only: true,
        ..Default::default()
    });
    let paging = Paging::new(query.page, query.per_page)?;
    // The count, the page and the providers' names are one statement, so they agree without a
    // read transaction around them (whose BEGIN, settings and COMMIT cost three round trips more
    // than the statement itself: README "Performance").
    let (items, total) = queries::list_as::<_, Listed>(&state.db, &scope, &filter, paging).await?;
    let today = dutch_date(Utc::now());
    // A chosen provider (`provider_id`, as a link or an earlier form gives it) is named as the
    // filter in force; it is looked up in the user's register scope, so another region's
    // provider is not named here.
    let chosen = match filter.provider_id {
        Some(id) => match provider_queries::find(&state.db, &ProviderScope::of(&user), id).await {
            Ok(found) => Some((found.id, found.name)),
            Err(AppError::NotFound) => None,
            Err(other) => return Err(other),
        },
        None => None,
    };
    let rows = items
        .iter()
        .map(|s| Row {
            id: s.id.to_string(),
            reference: s.reference.clone(),
            received: date_nl(dutch_date(s.received_at)),
            provider: s
                .current_provider_name
                .clone()
                .or_else(|| s.provider_name.clone())
                .unwrap_or_default(),
            category: label_of(&s.category, Category::parse, Category::label_nl),
            priority: label_of(&s.priority, Priority::parse, Priority::label_nl),
            urgent: s.priority == Priority::Spoed.as_str(),
            status: label_of(&s.status, SignalStatus::parse, SignalStatus::label_nl),
            triage_due: date_nl(s.triage_due),
            overdue: overdue(&s.status, s.triage_due, today),
            calamity: s.category == Category::Calamiteit.as_str(),
        })
        .collect();
    let links = page_links("/meldingen", &raw, paging, total);
    let base = &links.filters;
    let page = ListPage {
        layout: Layout::new("Meldingen", Some(&user), &csrf.value, "/meldingen"),
        statuses: options(
            SignalStatus::ALL,
            SignalStatus::as_str,
            SignalStatus::label_nl,
            filter.status.map_or("", |s| s.as_str()),
        ),
        categories: options(
            Category::ALL,
            Category::as_str,
            Category::label_nl,
            filter.category.as_deref().unwrap_or(""),
        ),
        provider_name: filter.provider_name.clone().unwrap_or_default(),
        chosen_provider: chosen.map(|(id, name)| ChosenProvider {
            id: id.to_string(),
            name,
            without_href: without_param(base, "provider_id"),
        }),
        overdue: filter.overdue,
        open_only: filter.open_only,
        newest_first: filter.newest_first,
        all_statuses,
        rows,
        total,
        filtered: !base.is_empty(),
        page: paging.page,
        pages: links.pages,
        prev_href: links.prev_href.clone(),
        next_href: links.next_href.clone(),
        all_href: format!(
            "/meldingen?status={ALL_STATUSES}{}{base}",
            if base.is_empty() { "" } else { "&" }
        ),
        export_href: format!(
            "/meldingen/export.csv{}{base}",
            if base.is_empty() { "" } else { "?" }
        ),
    };
    Ok((csrf, state.templates.page("signals/list", &page)?).into_response())
}

/// `/meldingen` with `filters` (the query less `page`, as [`page_links`] gives it) less the
/// parameter `name`.
fn without_param(filters: &str, name: &str) -> String {
    let prefix = format!("{name}=");
    let kept: Vec<&str> = filters
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with(&prefix))
        .collect();
    if kept.is_empty() {
        "/meldingen".into()
    } else {
        format!("/meldingen?{}", kept.join("&"))
    }
}

/// The `status` value that shows every signal.
pub const ALL_STATUSES: &str = "alle";

/// The list page's filter (and its export's): the API's, except that without a status the page
/// shows the signals that still need work. Most of a region's signals are closed long ago, and
/// the page is where inspectors find their work; `status=alle` shows every signal.
pub fn page_filter(mut query: ListQuery) -> AppResult<ListFilter> {
    let all = query.status.as_deref() == Some(ALL_STATUSES);
    if all {
        query.status = None;
    }
    let mut filter = query.filter()?;
    filter.open_only = !all && filter.status.is_none();
    // A view with closed signals is read as an archive: newest first. The work (open signals)
    // stays urgent and oldest first.
    filter.newest_first = !filter.overdue
        && match filter.status {
            Some(status) => !status.is_open(),
            None => !filter.open_only,
        };
    Ok(filter)
}

pub async fn provider_names<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> AppResult<Vec<(Uuid, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(provider::Entity::find()
        .select_only()
        .columns([provider::Column::Id, provider::Column::Name])
        .filter(provider::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?)
}
