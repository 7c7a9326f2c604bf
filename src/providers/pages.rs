//! `/aanbieders`: the register as pages (list, detail) and the CSV export of the filtered list.
use axum::extract::{Path, RawQuery, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use sea_orm::EntityTrait;
use serde::Serialize;
use serde_json::Value;

use crate::app::AppState;
use crate::audit;
use crate::domain::role::Role;
use crate::domain::text::datetime_nl;
use crate::error::AppResult;
use crate::providers::api::ListQuery;
use crate::providers::queries::{self, Scope};
use crate::providers::{csv_io, options};
use crate::regions::queries::municipality_index;
use crate::web::csrf::CsrfToken;
use crate::web::current_user::CurrentUser;
use crate::web::pagination::Paging;
use crate::web::templates::Layout;
use crate::web::{form_urlencode, parse_id, query};

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    kvk_number: String,
    city: String,
    municipality: String,
    services: String,
    active: bool,
}

#[derive(Serialize)]
struct ListPage {
    #[serde(flatten)]
    layout: Layout,
    q: String,
    status: String,
    municipality_groups: Vec<options::Group>,
    rows: Vec<Row>,
    total: u64,
    page: u64,
    pages: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
    export_href: String,
    filtered: bool,
    can_add: bool,
    can_import: bool,
}

/// The list's own query string, kept in links (paging, export) without `page`.
fn filter_query(q: &ListQuery, status: &str) -> String {
    let mut pairs = Vec::new();
    if let Some(v) = q.q.as_deref().filter(|v| !v.trim().is_empty()) {
        pairs.push(format!("q={}", form_urlencode(v.trim())));
    }
    if let Some(v) = q.municipality.as_deref().filter(|v| !v.is_empty()) {
        pairs.push(format!("municipality={}", form_urlencode(v)));
    }
    if status != "alle" {
        pairs.push(format!("status={status}"));
    }
    pairs.join("&")
}

/// `status` is `actief`, `beeindigd` or `alle` on the page; the API takes `active=`.
fn list_query(raw: &str) -> AppResult<(ListQuery, String)> {
    #[derive(serde::Deserialize)]
    struct PageQuery {
        q: Option<String>,
        municipality: Option<String>,
        status: Option<String>,
        page: Option<u64>,
    }
    let parsed: PageQuery = query::parse(raw).unwrap_or(PageQuery {
        q: None,
        municipality: None,
        status: None,
        page: None,
    });
    let status = match parsed.status.as_deref() {
        Some("actief") => "actief",
        Some("beeindigd") => "beeindigd",
        _ => "alle",
    };
    let active = match status {
        "actief" => Some(true),
        "beeindigd" => Some(false),
        _ => None,
    };
    let query = ListQuery {
        q: parsed.q,
        region: None,
        municipality: parsed.municipality,
        active,
        page: parsed.page.filter(|p| *p > 0),
        per_page: Some(50),
    };
    Ok((query, status.to_string()))
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    if let (Role::Provider, Some(own)) = (user.role, user.provider_id) {
        return Ok(Redirect::to(&format!("/aanbieders/{own}")).into_response());
    }
    let scope = Scope::of(&user);
    let (query, status) = list_query(raw.as_deref().unwrap_or_default())?;
    let paging = Paging::new(query.page, query.per_page)?;
    let filter = query.filter();
    // The page and its total are one statement (`db::paged`): no read transaction needed.
    let (items, total) = queries::list(&state.db, &scope, &filter, paging).await?;
    let index = municipality_index(&state.db).await?;
    let rows = items
        .iter()
        .map(|p| Row {
            id: p.id.to_string(),
            name: p.name.clone(),
            kvk_number: p.kvk_number.clone(),
            city: p.city.clone(),
            municipality: index
                .get(&p.municipality_code)
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            services: queries::services_of(p)
                .iter()
                .map(|s| s.label_nl())
                .collect::<Vec<_>>()
                .join(", "),
            active: p.active,
        })
        .collect();
    let base = filter_query(&query, &status);
    let href = |page: u64| {
        let sep = if base.is_empty() { "" } else { "&" };
        format!("/aanbieders?{base}{sep}page={page}")
    };
    let pages = paging.page_count(total);
    let page = ListPage {
        layout: Layout::new("Aanbieders", Some(&user), &csrf.value, "/aanbieders"),
        q: query.q.clone().unwrap_or_default(),
        status: status.clone(),
        municipality_groups: options::municipality_groups(
            &state.db,
            &scope,
            filter.municipality.as_deref().into_iter().collect(),
        )
        .await?,
        rows,
        total,
        page: paging.page,
        pages,
        prev_href: (paging.page > 1).then(|| href(paging.page - 1)),
        next_href: (paging.page < pages).then(|| href(paging.page + 1)),
        export_href: format!(
            "/aanbieders/export.csv{}{base}",
            if base.is_empty() { "" } else { "?" }
        ),
        filtered: !base.is_empty(),
        can_add: matches!(user.role, Role::Admin | Role::Inspector),
        can_import: user.role == Role::Admin,
    };
    Ok((csrf, state.templates.page("providers/list", &page)?).into_response())
}

pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    let (query, _) = list_query(raw.as_deref().unwrap_or_default())?;
    let providers = queries::list_all(&state.db, &Scope::of(&user), &query.filter()).await?;
    let body = csv_io::export(&state.db, &providers).await?;
    crate::web::csv::attachment("aanbieders", body)
}

#[derive(Serialize)]
struct AuditRow {
    at: String,
    who: String,
    what: &'static str,
    changes: Vec<String>,
}

#[derive(Serialize)]
struct DetailPage {
    #[serde(flatten)]
    layout: Layout,
    id: String,
    name: String,
    kvk_number: String,
    agb_code: Option<String>,
    email: String,
    phone: Option<String>,
    street: String,
    house_number: String,
    postcode: String,
    city: String,
    municipality: String,
    region: String,
    services: Vec<&'static str>,
    contracts: Vec<String>,
    active: bool,
    notice: Option<&'static str>,
    can_edit: bool,
    show_audit: bool,
    audit: Vec<AuditRow>,
    /// Staff only: the score counts signals, which a provider must never learn about.
    risk: Option<crate::risk::Risk>,
    /// The class of the level's tag: `hoog` stands out, `laag` reads as fine.
    risk_tag: &'static str,
}

fn field_label(field: &str) -> &str {
    match field {
        "name" => "naam",
        "kvk_number" => "KvK-nummer",
        "agb_code" => "AGB-code",
        "email" => "e-mailadres",
        "phone" => "telefoon",
        "street" => "straat",
        "house_number" => "huisnummer",
        "postcode" => "postcode",
        "city" => "plaats",
        "municipality_code" => "gemeente",
        "region_code" => "GGD-regio",
        "services" => "diensten",
        "contract_municipalities" => "contractgemeenten",
        "active" => "actief",
        other => other,
    }
}

fn show_value(value: &Value) -> String {
    match value {
        Value::Null => "(leeg)".into(),
        Value::Bool(true) => "ja".into(),
        Value::Bool(false) => "nee".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(show_value).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn audit_rows(entries: Vec<crate::db::entities::audit_entry::Model>) -> Vec<AuditRow> {
    entries
        .into_iter()
        .map(|e| {
            let changes: serde_json::Map<String, Value> =
                serde_json::from_str(&e.changes).unwrap_or_default();
            let created = e.action.ends_with(".created");
            AuditRow {
                at: datetime_nl(e.at),
                who: e.actor_name,
                what: if created { "Toegevoegd" } else { "Gewijzigd" },
                changes: changes
                    .iter()
                    .map(|(field, change)| {
                        if created {
                            format!("{}: {}", field_label(field), show_value(&change["new"]))
                        } else {
                            format!(
                                "{}: {} → {}",
                                field_label(field),
                                show_value(&change["old"]),
                                show_value(&change["new"])
                            )
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> AppResult<(CsrfToken, Html<String>)> {
    let provider = queries::find(&state.db, &Scope::of(&user), parse_id(&id)?).await?;
    let index = municipality_index(&state.db).await?;
    let contracts = queries::contracts(&state.db, &[provider.id])
        .await?
        .remove(&provider.id)
        .unwrap_or_default();
    let region = crate::db::entities::region::Entity::find_by_id(provider.region_code.clone())
        .one(&state.db)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let staff = matches!(user.role, Role::Admin | Role::Inspector);
    let audit = if staff {
        audit_rows(audit::for_entity(&state.db, "provider", &provider.id.to_string()).await?)
    } else {
        Vec::new()
    };
    let risk = if staff {
        let weights = &state.config.risk_weights;
        Some(crate::risk::for_provider(&state.db, weights, provider.id, chrono::Utc::now()).await?)
    } else {
        None
    };
    let risk_tag = match risk.as_ref().map(|r| r.level.as_str()) {
        Some("hoog") => "error",
        Some("laag") => "ok",
        _ => "",
    };
    let notice = match raw.as_deref() {
        Some("aangemaakt=1") => Some("De aanbieder is toegevoegd aan het register."),
        Some("gewijzigd=1") => Some("De wijzigingen zijn opgeslagen."),
        _ => None,
    };
    let name_of = |code: &str| {
        index
            .get(code)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let page = DetailPage {
        layout: Layout::new(
            provider.name.clone(),
            Some(&user),
            &csrf.value,
            "/aanbieders",
        ),
        id: provider.id.to_string(),
        services: queries::services_of(&provider)
            .iter()
            .map(|s| s.label_nl())
            .collect(),
        contracts: contracts.iter().map(|c| name_of(c)).collect(),
        municipality: name_of(&provider.municipality_code),
        region,
        name: provider.name,
        kvk_number: provider.kvk_number,
        agb_code: provider.agb_code,
        email: provider.email,
        phone: provider
            .phone
            .as_deref()
            .map(crate::domain::phone::format_phone),
        street: provider.street,
        house_number: provider.house_number,
        postcode: provider.postcode,
        city: provider.city,
        active: provider.active,
        notice,
        can_edit: true,
        show_audit: staff,
        audit,
        risk,
        risk_tag,
    };
    Ok((csrf, state.templates.page("providers/show", &page)?))
}
