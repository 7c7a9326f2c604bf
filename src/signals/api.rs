//! `/api/v1/signals`: filing (public, or a provider's calamity report), following with reference
//! and token, and the staff's list, detail and triage.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use serde::Deserialize;
use subtle::ConstantTimeEq;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::AppState;
use crate::audit::{self, Actor};
use crate::auth::tokens;
use crate::db::entities::signal;
use crate::domain::role::Role;
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult, Problem};
use crate::signals::change::{self, Change};
use crate::signals::create::{self, CalamityDetails, FiledBy};
use crate::signals::input::{self, RawSignal};
use crate::signals::intake::Attempt;
use crate::signals::notify::Notifier;
use crate::signals::queries::{self, ListFilter, Scope};
use crate::signals::rules::{Category, Priority, ReporterRole, SignalStatus};
use crate::signals::view::{FiledView, HistoryEntry, PublicStatusView, SignalView};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::{CurrentUser, MaybeUser};
use crate::web::json::ApiJson;
use crate::web::pagination::{Page, Paging};
use crate::web::parse_id;
use crate::web::query::ApiQuery;

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignalRequest {
    pub provider_id: Option<String>,
    pub provider_name: Option<String>,
    pub municipality_code: Option<String>,
    pub category: String,
    pub description: String,
    /// `YYYY-MM-DD`, not in the future.
    pub occurred_on: Option<String>,
    /// Required from the public; a provider user's report is always `aanbieder`.
    pub reporter_role: Option<String>,
    pub anonymous: bool,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    /// A provider user's calamity report details.
    pub calamity: Option<CalamityDetails>,
}

/// The client address that the public rate limit counts.
pub fn client_key(addr: &ClientAddr) -> String {
    addr.0.to_string()
}

/// What the public and provider users share: the rate limit, the checks, the filing.
pub async fn file_signal(
    state: &AppState,
    user: Option<&CurrentUser>,
    client: &str,
    raw: RawSignal,
    calamity: Option<CalamityDetails>,
) -> AppResult<create::Filed> {
    let now = Utc::now();
    let key = queries::submission_key(client);
    queries::check_rate(&state.db, &key, state.config.signal_rate_per_minute, now).await?;
    let filed = match prepare(user, raw, calamity, now) {
        // A filed signal's attempt is written with the signal: one write, not two.
        Ok((checked, filed_by, calamity)) => {
            let attempt = Attempt {
                key: key.clone(),
                at: now,
            };
            create::file(
                &state.db,
                &state.intake,
                checked,
                filed_by,
                calamity,
                Some(attempt),
            )
            .await
        }
        Err(e) => Err(e),
    };
    let filed = match filed {
        Ok(filed) => filed,
        Err(e) => {
            // Every attempt counts, accepted or not.
            queries::record_submission(&state.db, &key, now).await?;
            return Err(e);
        }
    };
    // The confirmation email, if any, goes out now rather than at the worker's next round. A
    // wake-up costs the worker a write (claiming the outbox), so only when there is an email.
    if filed.signal.contact_email.is_some() {
        state.wake_mail_worker();
    }
    tracing::info!(signal_id = %filed.signal.id, category = %filed.signal.category, "signal filed");
    Ok(filed)
}

/// The checks before filing; a provider user files about its own organisation only.
fn prepare(
    user: Option<&CurrentUser>,
    mut raw: RawSignal,
    calamity: Option<CalamityDetails>,
    now: chrono::DateTime<Utc>,
) -> AppResult<(
    input::CheckedSignal,
    Option<FiledBy>,
    Option<CalamityDetails>,
)> {
    let filed_by = match user {
        Some(u) if u.role == Role::Provider => {
            let own = u.provider_id.ok_or(AppError::Forbidden(
                "Uw account hoort bij geen aanbieder.".into(),
            ))?;
            if let Some(other) = raw
                .provider_id
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                && other != own.to_string()
            {
                return Err(AppError::validation(
                    "provider_id",
                    "U kunt alleen melden over uw eigen organisatie.",
                ));
            }
            raw.provider_id = Some(own.to_string());
            raw.reporter_role = ReporterRole::Aanbieder.as_str().into();
            Some(FiledBy {
                user_id: u.id,
                provider_id: own,
            })
        }
        _ => None,
    };
    let calamity = if filed_by.is_some() { calamity } else { None };
    let checked = input::check(&raw, dutch_date(now)).map_err(AppError::Validation)?;
    Ok((checked, filed_by, calamity))
}

/// File a signal (anyone; a signed-in provider user files its own calamity report).
#[utoipa::path(post, path = "/signals", tag = "signals", request_body = SignalRequest,
    responses((status = 201, body = FiledView), (status = 422, body = Problem),
              (status = 429, description = "Too many signals from this address within 60 seconds", body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    addr: ClientAddr,
    MaybeUser(user): MaybeUser,
    ApiJson(body): ApiJson<SignalRequest>,
) -> AppResult<(StatusCode, Json<FiledView>)> {
    let raw = RawSignal {
        provider_id: body.provider_id,
        provider_name: body.provider_name,
        municipality_code: body.municipality_code,
        category: body.category,
        description: body.description,
        occurred_on: body.occurred_on,
        reporter_role: body.reporter_role.unwrap_or_default(),
        anonymous: body.anonymous,
        contact_name: body.contact_name,
        contact_email: body.contact_email,
    };
    let filed = file_signal(
        &state,
        user.as_ref(),
        &client_key(&addr),
        raw,
        body.calamity,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(FiledView {
            reference: filed.signal.reference,
            tracking_token: filed.tracking_token,
            status: filed.signal.status,
            received_at: filed.signal.received_at,
        }),
    ))
}

/// The signal with this reference, if `token` is its tracking token; one answer for both misses.
pub async fn find_for_reporter(
    state: &AppState,
    reference: &str,
    token: &str,
) -> AppResult<signal::Model> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let found = signal::Entity::find()
        .filter(signal::Column::Reference.eq(reference.trim().to_uppercase()))
        .one(&state.db)
        .await?;
    let expected = found
        .as_ref()
        .map(|s| s.tracking_token_hash.clone())
        .unwrap_or_default();
    let matches: bool = tokens::hash_token(token.trim())
        .as_bytes()
        .ct_eq(expected.as_bytes())
        .into();
    match found {
        Some(signal) if matches => Ok(signal),
        _ => Err(AppError::NotFound),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StatusQuery {
    /// `M-2026-000001`
    pub reference: String,
}

/// Follow your own signal: reference in the query, tracking token in `X-Tracking-Token`.
#[utoipa::path(get, path = "/signals/status", tag = "signals", params(StatusQuery,
        ("X-Tracking-Token" = String, Header, description = "The token received when filing")),
    responses((status = 200, body = PublicStatusView), (status = 404, description = "Unknown reference or wrong token", body = Problem)))]
pub async fn status(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<StatusQuery>,
) -> AppResult<Json<PublicStatusView>> {
    let token = headers
        .get("x-tracking-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let found = find_for_reporter(&state, &query.reference, token).await?;
    let mut history = queries::history(&state.db, &[found.id]).await?;
    Ok(Json(PublicStatusView {
        history: HistoryEntry::list(history.remove(&found.id).unwrap_or_default()),
        reference: found.reference,
        status: found.status,
        category: found.category,
        received_at: found.received_at,
    }))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct ListQuery {
    pub status: Option<String>,
    pub category: Option<String>,
    pub provider_id: Option<Uuid>,
    /// Part of the provider's name: the registered provider's, or the name the reporter gave.
    pub provider_name: Option<String>,
    pub reference: Option<String>,
    pub overdue: Option<bool>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl ListQuery {
    pub fn filter(&self) -> AppResult<ListFilter> {
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(SignalStatus::parse(s).ok_or_else(|| {
                AppError::validation(
                    "status",
                    format!("Onbekende status; kies uit: {}.", SignalStatus::codes()),
                )
            })?),
            None => None,
        };
        let category = match self.category.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => Some(
                Category::parse(c)
                    .map(|c| c.as_str().to_string())
                    .ok_or_else(|| {
                        AppError::validation(
                            "category",
                            format!("Onbekende categorie; kies uit: {}.", Category::codes()),
                        )
                    })?,
            ),
            None => None,
        };
        Ok(ListFilter {
            status,
            category,
            provider_id: self.provider_id,
            provider_name: self
                .provider_name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string),
            reference: self.reference.clone().filter(|r| !r.trim().is_empty()),
            overdue: self.overdue.unwrap_or(false),
            open_only: false,
            newest_first: false,
        })
    }
}

fn staff_scope(user: &CurrentUser) -> AppResult<Scope> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    Ok(Scope::of(user))
}

/// Contact details are special: every time staff are shown them, it is logged.
async fn log_contact_reads(
    state: &AppState,
    user: &CurrentUser,
    signals: &[&signal::Model],
) -> AppResult<()> {
    for s in signals
        .iter()
        .filter(|s| s.contact_name.is_some() || s.contact_email.is_some())
    {
        audit::record(
            &state.db,
            &Actor::from(user),
            "signal.contact_viewed",
            "signal",
            &s.id.to_string(),
            Default::default(),
        )
        .await?;
    }
    Ok(())
}

/// The region's signals, most urgent and oldest first (admin: all regions).
#[utoipa::path(get, path = "/signals", tag = "signals", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Page<SignalView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Json<Page<SignalView>>> {
    let scope = staff_scope(&user)?;
    let paging = Paging::new(query.page, query.per_page)?;
    let (items, total) = queries::list(&state.db, &scope, &query.filter()?, paging).await?;
    log_contact_reads(&state, &user, &items.iter().collect::<Vec<_>>()).await?;
    let ids: Vec<Uuid> = items.iter().map(|s| s.id).collect();
    let mut history = queries::history(&state.db, &ids).await?;
    let today = dutch_date(Utc::now());
    let items = items
        .into_iter()
        .map(|s| {
            let events = history.remove(&s.id).unwrap_or_default();
            SignalView::new(s, events, today)
        })
        .collect();
    Ok(Json(Page::new(items, total, paging)))
}

pub async fn staff_view(state: &AppState, user: &CurrentUser, id: Uuid) -> AppResult<SignalView> {
    let scope = staff_scope(user)?;
    let found = queries::find(&state.db, &scope, id).await?;
    log_contact_reads(state, user, &[&found]).await?;
    let events = queries::history(&state.db, &[found.id])
        .await?
        .remove(&found.id)
        .unwrap_or_default();
    Ok(SignalView::new(found, events, dutch_date(Utc::now())))
}

/// One signal, with its history and contact details (each read of these is logged).
#[utoipa::path(get, path = "/signals/{id}", tag = "signals", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = SignalView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<SignalView>> {
    Ok(Json(staff_view(&state, &user, parse_id(&id)?).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SignalPatch {
    pub status: Option<SignalStatus>,
    pub priority: Option<Priority>,
    #[serde(default, deserialize_with = "crate::web::json::present")]
    #[schema(value_type = Option<Uuid>)]
    pub assignee_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "crate::web::json::present")]
    #[schema(value_type = Option<Uuid>)]
    pub visit_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "crate::web::json::present")]
    #[schema(value_type = Option<String>)]
    pub resolution: Option<Option<String>>,
    /// Link the signal to a provider in the register (when it named an unregistered one).
    #[serde(default, deserialize_with = "crate::web::json::present")]
    #[schema(value_type = Option<Uuid>)]
    pub provider_id: Option<Option<Uuid>>,
    /// Link to another signal about the same event; linked signals move together.
    #[serde(default, deserialize_with = "crate::web::json::present")]
    #[schema(value_type = Option<Uuid>)]
    pub duplicate_of: Option<Option<Uuid>>,
}

impl From<SignalPatch> for Change {
    fn from(p: SignalPatch) -> Change {
        Change {
            status: p.status,
            priority: p.priority,
            assignee_id: p.assignee_id,
            visit_id: p.visit_id,
            resolution: p.resolution,
            provider_id: p.provider_id,
            duplicate_of: p.duplicate_of,
        }
    }
}

/// Triage: move the status (only the contract's moves; 409 otherwise), set priority, assignee,
/// resolution, provider or duplicate link.
#[utoipa::path(patch, path = "/signals/{id}", tag = "signals", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = SignalPatch,
    responses((status = 200, body = SignalView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<SignalPatch>,
) -> AppResult<Json<SignalView>> {
    let scope = staff_scope(&user)?;
    let outcome = change::apply(
        &state.db,
        &Notifier::of(&state),
        &scope,
        &Actor::from(&user),
        parse_id(&id)?,
        patch.into(),
    )
    .await?;
    if !outcome.moved.is_empty() {
        state.wake_mail_worker();
    }
    Ok(Json(staff_view(&state, &user, outcome.signal.id).await?))
}
