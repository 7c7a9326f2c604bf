//! `/meldingen/{id}`: one signal for the region's inspectors, and its triage as forms.
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::app::AppState;
use crate::audit::Actor;
use crate::db::entities::{provider, signal, user};
use crate::domain::role::Role;
use crate::domain::text::{date_nl, datetime_nl};
use crate::error::{AppError, AppResult};
use crate::signals::api::staff_view;
use crate::signals::change::{self, Change};
use crate::signals::create::CalamityDetails;
use crate::signals::notify::Notifier;
use crate::signals::queries::{self, Scope};
use crate::signals::rules::{Category, Priority, ReporterRole, SignalStatus};
use crate::signals::staff_common::{Choice, label_of, options, staff};
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::current_user::CurrentUser;
use crate::web::pagination::Paging;
use crate::web::parse_id;
use crate::web::templates::Layout;

#[derive(Serialize)]
struct Move {
    status: String,
    label: &'static str,
    closes: bool,
}

#[derive(Serialize)]
struct DetailPage {
    #[serde(flatten)]
    layout: Layout,
    id: String,
    reference: String,
    status: &'static str,
    priority: &'static str,
    urgent: bool,
    category: &'static str,
    received: String,
    triage_due: String,
    overdue: bool,
    occurred_on: Option<String>,
    reporter_role: &'static str,
    anonymous: bool,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_erased: bool,
    description: String,
    provider_id: Option<String>,
    provider_name: Option<String>,
    municipality: Option<String>,
    resolution: Option<String>,
    calamity: Option<CalamityDetails>,
    history: Vec<(String, &'static str)>,
    moves: Vec<Move>,
    priorities: Vec<Choice>,
    assignees: Vec<Choice>,
    link_providers: Vec<Choice>,
    duplicate_of: Option<(String, String)>,
    duplicates: Vec<(String, String)>,
    notice: Option<&'static str>,
    error: Option<String>,
}

async fn render_detail(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    id: Uuid,
    notice: Option<&'static str>,
    error: Option<String>,
) -> AppResult<axum::response::Html<String>> {
    let view = staff_view(state, user, id).await?;
    let model = signal::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = SignalStatus::parse(&view.status).unwrap_or(SignalStatus::Ontvangen);
    let assignees = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Inspector.as_str()))
        .filter(user::Column::RegionCode.eq(view.region_code.as_str()))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| Choice {
            selected: Some(u.id) == view.assignee_id,
            value: u.id.to_string(),
            label: u.name,
        })
        .collect();
    let link_providers = if view.provider_id.is_none() {
        provider::Entity::find()
            .filter(provider::Column::RegionCode.eq(view.region_code.as_str()))
            .order_by_asc(provider::Column::Name)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: format!("{} ({})", p.name, p.city),
                selected: false,
            })
            .collect()
    } else {
        Vec::new()
    };
    let reference_of = |id: Uuid| async move {
        signal::Entity::find_by_id(id)
            .one(&state.db)
            .await
            .map(|s| s.map(|s| (s.id.to_string(), s.reference)))
    };
    let duplicate_of = match view.duplicate_of {
        Some(primary) => reference_of(primary).await?,
        None => None,
    };
    let duplicates = signal::Entity::find()
        .filter(signal::Column::DuplicateOf.eq(id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| (s.id.to_string(), s.reference))
        .collect();
    let municipality = match &view.municipality_code {
        Some(code) => crate::db::entities::municipality::Entity::find_by_id(code.clone())
            .one(&state.db)
            .await?
            .map(|m| m.name),
        None => None,
    };
    let page = DetailPage {
        layout: Layout::new(
            format!("Melding {}", view.reference),
            Some(user),
            &csrf.value,
            "/meldingen",
        ),
        id: view.id.to_string(),
        reference: view.reference.clone(),
        status: status.label_nl(),
        priority: label_of(&view.priority, Priority::parse, Priority::label_nl),
        urgent: view.priority == Priority::Spoed.as_str(),
        category: label_of(&view.category, Category::parse, Category::label_nl),
        received: datetime_nl(view.received_at),
        triage_due: date_nl(view.triage_due),
        overdue: view.overdue,
        occurred_on: view.occurred_on.map(date_nl),
        reporter_role: label_of(
            &view.reporter_role,
            ReporterRole::parse,
            ReporterRole::label_nl,
        ),
        anonymous: view.anonymous,
        contact_erased: model.contact_erased_at.is_some(),
        contact_name: view.contact_name,
        contact_email: view.contact_email,
        description: view.description,
        provider_id: view.provider_id.map(|p| p.to_string()),
        provider_name: view.provider_name,
        municipality,
        resolution: view.resolution,
        calamity: view.calamity,
        history: view
            .history
            .iter()
            .rev()
            .map(|h| {
                (
                    datetime_nl(h.at),
                    label_of(&h.status, SignalStatus::parse, SignalStatus::label_nl),
                )
            })
            .collect(),
        moves: status
            .next()
            .into_iter()
            .map(|to| Move {
                status: to.as_str().into(),
                label: to.label_nl(),
                closes: to == SignalStatus::Afgesloten,
            })
            .collect(),
        priorities: options(
            Priority::ALL,
            Priority::as_str,
            Priority::label_nl,
            &view.priority,
        ),
        assignees,
        link_providers,
        duplicate_of,
        duplicates,
        notice,
        error,
    };
    state.templates.page("signals/show", &page)
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    staff(&user)?;
    let notice = (raw.as_deref() == Some("bijgewerkt=1")).then_some("De melding is bijgewerkt.");
    let html = render_detail(&state, &user, &csrf, parse_id(&id)?, notice, None).await?;
    Ok((csrf, html).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    resolution: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    assignee_id: String,
    #[serde(default)]
    provider_id: String,
    #[serde(default)]
    duplicate_reference: String,
}

async fn change_from(state: &AppState, scope: &Scope, form: &ActionForm) -> AppResult<Change> {
    let uuid = |value: &str, field: &str| -> AppResult<Option<Uuid>> {
        match value.trim() {
            "" => Ok(None),
            text => Uuid::parse_str(text)
                .map(Some)
                .map_err(|_| AppError::validation(field, "Maak een keuze uit de lijst.")),
        }
    };
    Ok(match form.action.as_str() {
        "status" => Change {
            status: Some(
                SignalStatus::parse(&form.status)
                    .ok_or_else(|| AppError::validation("status", "Onbekende status."))?,
            ),
            resolution: (!form.resolution.trim().is_empty()).then(|| Some(form.resolution.clone())),
            ..Default::default()
        },
        "triage" => Change {
            priority: Some(
                Priority::parse(&form.priority)
                    .ok_or_else(|| AppError::validation("priority", "Kies een prioriteit."))?,
            ),
            assignee_id: Some(uuid(&form.assignee_id, "assignee_id")?),
            ..Default::default()
        },
        "provider" => Change {
            provider_id: Some(Some(uuid(&form.provider_id, "provider_id")?.ok_or_else(
                || AppError::validation("provider_id", "Kies een aanbieder."),
            )?)),
            ..Default::default()
        },
        "duplicate" => {
            let reference = form.duplicate_reference.trim().to_uppercase();
            let filter = queries::ListFilter {
                reference: Some(reference.clone()),
                ..Default::default()
            };
            let (found, _) =
                queries::list(&state.db, scope, &filter, Paging::new(None, Some(1))?).await?;
            let other = found.first().ok_or_else(|| {
                AppError::validation(
                    "duplicate_of",
                    format!("Geen melding met kenmerk '{reference}' in uw regio."),
                )
            })?;
            Change {
                duplicate_of: Some(Some(other.id)),
                ..Default::default()
            }
        }
        "unlink" => Change {
            duplicate_of: Some(None),
            ..Default::default()
        },
        _ => return Err(AppError::BadRequest("onbekende actie".into())),
    })
}

pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    let scope = staff(&user)?;
    let id = parse_id(&id)?;
    let result = match change_from(&state, &scope, &form).await {
        Ok(change) => {
            change::apply(
                &state.db,
                &Notifier::of(&state),
                &scope,
                &Actor::from(&user),
                id,
                change,
            )
            .await
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(outcome) => {
            if !outcome.moved.is_empty() {
                state.wake_mail_worker();
            }
            Ok(Redirect::to(&format!("/meldingen/{id}?bijgewerkt=1")).into_response())
        }
        Err(err @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let (status, message) = match &err {
                AppError::Validation(errors) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    errors
                        .iter()
                        .map(|e| e.message.clone())
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                other => (StatusCode::CONFLICT, other.problem().detail),
            };
            let html = render_detail(&state, &user, &csrf, id, None, Some(message)).await?;
            Ok((status, csrf, html).into_response())
        }
        Err(other) => Err(other),
    }
}
