//! Planning a visit and changing its time or people on a page: the same rules as the API
//! (`plan.rs`), each message beside its field, everything typed kept. A double booking names
//! the visit it clashes with.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::app::AppState;
use crate::audit::Actor;
use crate::db::entities::{provider, signal};
use crate::domain::local_time::{local_to_utc, parse_date, parse_time, to_local_fields};
use crate::error::{AppError, AppResult, FieldError};
use crate::providers::queries as providers;
use crate::reports::queries as reports;
use crate::signals::queries as signals;
use crate::signals::rules::SignalStatus;
use crate::signals::staff_common::Choice;
use crate::visits::notify::Notifier;
use crate::visits::pages::common::{inspectors, region_of, staff};
use crate::visits::pages::detail::{PointLine, point_lines};
use crate::visits::plan::{self, NewVisit, Plan};
use crate::visits::queries::{self, Scope};
use crate::visits::rules::Reason;
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::current_user::CurrentUser;
use crate::web::parse_id;
use crate::web::templates::{Layout, SummaryItem};

/// What the form holds, as typed.
#[derive(Debug, Default, Clone)]
pub struct VisitForm {
    provider_id: String,
    date: String,
    start_time: String,
    end_time: String,
    inspector_ids: Vec<String>,
    announced: String,
    reason: String,
    signal_ids: Vec<String>,
    report_id: String,
}

fn parse_form(fields: Vec<(String, String)>) -> VisitForm {
    let mut form = VisitForm::default();
    for (name, value) in fields {
        match name.as_str() {
            "provider_id" => form.provider_id = value,
            "date" => form.date = value,
            "start_time" => form.start_time = value,
            "end_time" => form.end_time = value,
            "inspector_ids" => form.inspector_ids.push(value),
            "announced" => form.announced = value,
            "reason" => form.reason = value,
            "signal_ids" => form.signal_ids.push(value),
            "report_id" => form.report_id = value,
            _ => {}
        }
    }
    form
}

/// The times and people of the form, or the problems with them.
fn read_plan(form: &VisitForm) -> Result<Plan, Vec<FieldError>> {
    let mut errors = Vec::new();
    let date = parse_date(&form.date).map_err(|m| errors.push(FieldError::new("date", m)));
    let start =
        parse_time(&form.start_time).map_err(|m| errors.push(FieldError::new("start_time", m)));
    let end = parse_time(&form.end_time).map_err(|m| errors.push(FieldError::new("end_time", m)));
    let inspector_ids: Vec<Uuid> = form
        .inspector_ids
        .iter()
        .filter_map(|i| Uuid::parse_str(i).ok())
        .collect();
    let (Ok(date), Ok(start), Ok(end)) = (date, start, end) else {
        return Err(errors);
    };
    let starts_at =
        local_to_utc(date, start).map_err(|m| vec![FieldError::new("start_time", m)])?;
    let ends_at = local_to_utc(date, end).map_err(|m| vec![FieldError::new("end_time", m)])?;
    Ok(Plan {
        inspector_ids,
        starts_at,
        ends_at,
    })
}

/// The form's field for an error of the planning rules.
fn field_of(field: &str) -> &str {
    match field {
        "starts_at" => "start_time",
        "ends_at" => "end_time",
        other => other.split('[').next().unwrap_or(other),
    }
}

/// The message beside each field (every key present, so the template stays strict).
#[derive(Serialize, Default)]
struct Errors {
    provider_id: Option<String>,
    date: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
    inspector_ids: Option<String>,
    reason: Option<String>,
    signal_ids: Option<String>,
    report_id: Option<String>,
}

impl Errors {
    fn from(problems: &[FieldError]) -> (Errors, Vec<SummaryItem>) {
        let mut errors = Errors::default();
        let mut summary = Vec::new();
        for p in problems {
            let key = field_of(&p.field);
            let slot = match key {
                "provider_id" => &mut errors.provider_id,
                "date" => &mut errors.date,
                "start_time" => &mut errors.start_time,
                "end_time" => &mut errors.end_time,
                "reason" => &mut errors.reason,
                "signal_ids" => &mut errors.signal_ids,
                "report_id" => &mut errors.report_id,
                _ => &mut errors.inspector_ids,
            };
            slot.get_or_insert_with(|| p.message.clone());
            summary.push(SummaryItem {
                href: format!("#{key}"),
                message: p.message.clone(),
            });
        }
        (errors, summary)
    }
}

#[derive(Serialize)]
struct FormPage {
    #[serde(flatten)]
    layout: Layout,
    heading: String,
    action: String,
    cancel_href: String,
    reschedule: bool,
    provider_name: String,
    providers: Vec<Choice>,
    date: String,
    start_time: String,
    end_time: String,
    inspectors: Vec<Choice>,
    announced: bool,
    reasons: Vec<Choice>,
    signals: Vec<Choice>,
    report_id: String,
    follow_up_points: Vec<PointLine>,
    errors: Errors,
    summary: Vec<SummaryItem>,
    has_errors: bool,
}

struct Target {
    heading: String,
    action: String,
    cancel_href: String,
    reschedule: bool,
    provider_name: String,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    target: Target,
    form: &VisitForm,
    problems: &[FieldError],
) -> AppResult<Response> {
    let scope = staff(user)?;
    let (errors, summary) = Errors::from(problems);
    let providers = provider_choices(state, user, &form.provider_id).await?;
    let inspectors = inspectors(&state.db, region_of(&scope))
        .await?
        .into_iter()
        .map(|u| Choice {
            selected: form.inspector_ids.contains(&u.id.to_string()),
            label: format!("{}{}", u.name, if u.id == user.id { " (ik)" } else { "" }),
            value: u.id.to_string(),
        })
        .collect();
    let reasons = Reason::ALL
        .iter()
        .map(|r| Choice {
            value: r.as_str().into(),
            label: r.label_nl().into(),
            selected: form.reason == r.as_str(),
        })
        .collect();
    let signals = signal_choices(state, user, &scope, form).await?;
    let follow_up_points = match Uuid::parse_str(&form.report_id) {
        Ok(report_id) => open_points_of(state, user, report_id).await?,
        Err(_) => Vec::new(),
    };
    let page = FormPage {
        layout: Layout::new(&target.heading, Some(user), &csrf.value, "/bezoeken"),
        heading: target.heading,
        action: target.action,
        cancel_href: target.cancel_href,
        reschedule: target.reschedule,
        provider_name: target.provider_name,
        providers,
        date: form.date.clone(),
        start_time: form.start_time.clone(),
        end_time: form.end_time.clone(),
        inspectors,
        announced: form.announced != "nee",
        reasons,
        signals,
        report_id: form.report_id.clone(),
        follow_up_points,
        has_errors: !summary.is_empty(),
        errors,
        summary,
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        status,
        csrf.clone(),
        state.templates.page("visits/form", &page)?,
    )
        .into_response())
}

async fn provider_choices(
    state: &AppState,
    user: &CurrentUser,
    selected: &str,
) -> AppResult<Vec<Choice>> {
    let filter = providers::ListFilter::default();
    let all = providers::list_all(&state.db, &providers::Scope::of(user), &filter).await?;
    Ok(all
        .into_iter()
        .filter(|p| p.active || p.id.to_string() == selected)
        .map(|p| Choice {
            selected: p.id.to_string() == selected,
            label: format!("{} ({})", p.name, p.city),
            value: p.id.to_string(),
        })
        .collect())
}

/// Open signals to link: about the chosen provider when there is one, else the region's newest.
async fn signal_choices(
    state: &AppState,
    user: &CurrentUser,
    scope: &Scope,
    form: &VisitForm,
) -> AppResult<Vec<Choice>> {
    // The signals' own scope decides which the caller may link.
    let mut select = signals::Scope::of(user).apply(signal::Entity::find().filter(
        signal::Column::Status.is_not_in([
            SignalStatus::Afgesloten.as_str(),
            SignalStatus::Doorverwezen.as_str(),
        ]),
    ));
    match Uuid::parse_str(&form.provider_id) {
        Ok(provider) => select = select.filter(signal::Column::ProviderId.eq(provider)),
        Err(_) if region_of(scope).is_none() => return Ok(Vec::new()),
        Err(_) => {}
    }
    let found = select
        .order_by_desc(signal::Column::ReceivedAt)
        .limit(50)
        .all(&state.db)
        .await?;
    Ok(found
        .into_iter()
        .map(|s| Choice {
            selected: form.signal_ids.contains(&s.id.to_string()),
            label: format!(
                "{} · {}",
                s.reference,
                s.provider_name.clone().unwrap_or_default()
            ),
            value: s.id.to_string(),
        })
        .collect())
}

/// The open points of a report in the caller's region; a report elsewhere shows nothing (the
/// form's hidden field is typed by the browser, so it is checked like any other input).
async fn open_points_of(
    state: &AppState,
    user: &CurrentUser,
    report_id: Uuid,
) -> AppResult<Vec<PointLine>> {
    // The reports' own scope decides: another region's report is "not found".
    if visible(reports::find(&state.db, &reports::Scope::of(user), report_id).await)?.is_none() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = crate::db::entities::improvement_point::Entity::find()
        .filter(crate::db::entities::improvement_point::Column::ReportId.eq(report_id))
        .filter(crate::db::entities::improvement_point::Column::Status.eq("open"))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    point_lines(state, &ids).await
}

/// A row the caller may see, or `None` for one it may not (a prefill link from elsewhere that
/// points outside the region simply fills in nothing).
fn visible<T>(found: AppResult<T>) -> AppResult<Option<T>> {
    match found {
        Ok(row) => Ok(Some(row)),
        Err(AppError::NotFound) => Ok(None),
        Err(other) => Err(other),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    provider_id: Option<String>,
    signal_id: Option<String>,
    report_id: Option<String>,
}

fn new_target() -> Target {
    Target {
        heading: "Bezoek plannen".into(),
        action: "/bezoeken/nieuw".into(),
        cancel_href: "/bezoeken".into(),
        reschedule: false,
        provider_name: String::new(),
    }
}

/// The empty form; `?provider_id=`, `?signal_id=` or `?report_id=` fill in what they imply.
pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Query(query): Query<NewQuery>,
) -> AppResult<Response> {
    staff(&user)?;
    let mut form = VisitForm {
        inspector_ids: vec![user.id.to_string()],
        announced: "ja".into(),
        reason: Reason::Proactief.as_str().into(),
        start_time: "09:00".into(),
        end_time: "12:00".into(),
        provider_id: query.provider_id.unwrap_or_default(),
        ..VisitForm::default()
    };
    let signal_id = query
        .signal_id
        .as_deref()
        .and_then(|s| Uuid::parse_str(s).ok());
    let signal = match signal_id {
        Some(id) => visible(signals::find(&state.db, &signals::Scope::of(&user), id).await)?,
        None => None,
    };
    if let Some(s) = signal {
        form.provider_id = s.provider_id.map(|p| p.to_string()).unwrap_or_default();
        let reason = if s.category == "calamiteit" {
            Reason::Calamiteit
        } else {
            Reason::Signaal
        };
        form.reason = reason.as_str().into();
        form.signal_ids.push(s.id.to_string());
    }
    let report_id = query
        .report_id
        .as_deref()
        .and_then(|s| Uuid::parse_str(s).ok());
    let report = match report_id {
        Some(id) => visible(reports::find(&state.db, &reports::Scope::of(&user), id).await)?,
        None => None,
    };
    if let Some(r) = report {
        form.provider_id = r.provider_id.to_string();
        form.reason = Reason::Heronderzoek.as_str().into();
        form.report_id = r.id.to_string();
    }
    render(&state, &user, &csrf, new_target(), &form, &[]).await
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    staff(&user)?;
    let form = parse_form(fields);
    let mut problems = Vec::new();
    let provider = match Uuid::parse_str(form.provider_id.trim()) {
        Ok(id) => match providers::find(&state.db, &providers::Scope::of(&user), id).await {
            Ok(p) => Some(p),
            Err(AppError::NotFound) => None,
            Err(other) => return Err(other),
        },
        Err(_) => None,
    };
    if provider.is_none() {
        problems.push(FieldError::new(
            "provider_id",
            "Kies de aanbieder die u bezoekt.",
        ));
    }
    let reason = Reason::parse(&form.reason);
    if reason.is_none() {
        problems.push(FieldError::new("reason", "Kies de reden van het bezoek."));
    }
    let plan = read_plan(&form).map_err(|e| problems.extend(e)).ok();
    let (Some(provider), Some(reason), Some(plan), true) =
        (provider, reason, plan, problems.is_empty())
    else {
        return render(&state, &user, &csrf, new_target(), &form, &problems).await;
    };
    let new = NewVisit {
        plan,
        announced: form.announced != "nee",
        reason,
        signal_ids: form
            .signal_ids
            .iter()
            .filter_map(|s| Uuid::parse_str(s).ok())
            .collect(),
        report_id: Uuid::parse_str(&form.report_id).ok(),
    };
    match plan::create(
        &state.db,
        &Notifier::of(&state),
        &Actor::from(&user),
        &provider,
        new,
    )
    .await
    {
        Ok(created) => {
            state.wake_mail_worker();
            Ok(Redirect::to(&format!("/bezoeken/{}?melding=gepland", created.id)).into_response())
        }
        Err(err) => rejected(&state, &user, &csrf, new_target(), &form, err).await,
    }
}

/// A refusal of the planning rules, shown on the form (a double booking beside the inspectors).
async fn rejected(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    target: Target,
    form: &VisitForm,
    err: AppError,
) -> AppResult<Response> {
    let problems = match err {
        AppError::Validation(problems) => problems,
        AppError::Conflict(message) => vec![FieldError::new("inspector_ids", message)],
        other => return Err(other),
    };
    render(state, user, csrf, target, form, &problems).await
}

fn change_target(id: Uuid, provider: &provider::Model) -> Target {
    Target {
        heading: format!("Bezoek aan {} wijzigen", provider.name),
        action: format!("/bezoeken/{id}/wijzigen"),
        cancel_href: format!("/bezoeken/{id}"),
        reschedule: true,
        provider_name: provider.name.clone(),
    }
}

async fn visit_and_provider(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<(crate::db::entities::visit::Model, provider::Model)> {
    let scope = staff(user)?;
    let found = queries::find(&state.db, &scope, parse_id(id)?).await?;
    let the_provider = provider::Entity::find_by_id(found.provider_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((found, the_provider))
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (found, the_provider) = visit_and_provider(&state, &user, &id).await?;
    let links = queries::links(&state.db, &[found.id])
        .await?
        .remove(&found.id)
        .unwrap_or_default();
    let (date, start_time) = to_local_fields(found.starts_at);
    let (_, end_time) = to_local_fields(found.ends_at);
    let form = VisitForm {
        provider_id: found.provider_id.to_string(),
        date,
        start_time,
        end_time,
        inspector_ids: links.inspectors.iter().map(Uuid::to_string).collect(),
        announced: if found.announced { "ja" } else { "nee" }.into(),
        reason: found.reason.clone(),
        ..VisitForm::default()
    };
    render(
        &state,
        &user,
        &csrf,
        change_target(found.id, &the_provider),
        &form,
        &[],
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (found, the_provider) = visit_and_provider(&state, &user, &id).await?;
    let mut form = parse_form(fields);
    form.provider_id = found.provider_id.to_string();
    form.reason = found.reason.clone();
    form.announced = if found.announced { "ja" } else { "nee" }.into();
    let target = change_target(found.id, &the_provider);
    let plan = match read_plan(&form) {
        Ok(plan) => plan,
        Err(problems) => return render(&state, &user, &csrf, target, &form, &problems).await,
    };
    match plan::update(
        &state.db,
        &Notifier::of(&state),
        &Scope::of(&user),
        &Actor::from(&user),
        found.id,
        Some(plan),
        false,
    )
    .await
    {
        Ok(_) => {
            state.wake_mail_worker();
            Ok(Redirect::to(&format!("/bezoeken/{}?melding=gewijzigd", found.id)).into_response())
        }
        Err(err) => rejected(&state, &user, &csrf, target, &form, err).await,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    confirm: String,
}

/// Cancels after the explicit confirmation tick (the button sits next to everyday actions).
pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<CancelForm>,
) -> AppResult<Response> {
    let (found, _) = visit_and_provider(&state, &user, &id).await?;
    if form.confirm != "ja" {
        return Ok(Redirect::to(&format!("/bezoeken/{}", found.id)).into_response());
    }
    plan::update(
        &state.db,
        &Notifier::of(&state),
        &Scope::of(&user),
        &Actor::from(&user),
        found.id,
        None,
        true,
    )
    .await?;
    state.wake_mail_worker();
    Ok(Redirect::to(&format!("/bezoeken/{}?melding=geannuleerd", found.id)).into_response())
}

pub async fn complete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (found, _) = visit_and_provider(&state, &user, &id).await?;
    crate::visits::complete::run(&state.db, &Scope::of(&user), &Actor::from(&user), found.id)
        .await?;
    Ok(Redirect::to(&format!("/bezoeken/{}?melding=afgerond", found.id)).into_response())
}
