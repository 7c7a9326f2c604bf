//! `/api/v1/admin/outbox`: the admin's view of outgoing email (API.md "Mail outbox").
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{OutboxStatus, queries};
use crate::app::AppState;
use crate::db::entities::outbox_message;
use crate::domain::role::Role;
use crate::error::{AppResult, Problem};
use crate::web::current_user::CurrentUser;
use crate::web::pagination::{Page, Paging};
use crate::web::parse_id;
use crate::web::query::ApiQuery;

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxItem {
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl OutboxItem {
    pub fn new(model: outbox_message::Model) -> Self {
        OutboxItem {
            id: model.id,
            // A status the code does not know cannot be written by it; show it as failed.
            status: OutboxStatus::parse(&model.status).unwrap_or(OutboxStatus::Failed),
            to: model.to_address,
            subject: model.subject,
            attempts: model.attempts,
            last_error: model.last_error,
            created_at: model.created_at,
            sent_at: model.sent_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ListQuery {
    pub status: Option<OutboxStatus>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Outgoing email, newest first (admin).
#[utoipa::path(get, path = "/admin/outbox", tag = "mail", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Page<OutboxItem>), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, description = "Unknown status or bad paging", body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Json<Page<OutboxItem>>> {
    user.require_role(&[Role::Admin])?;
    let paging = Paging::new(query.page, query.per_page)?;
    let (items, total) = queries::list(&state.db, query.status, paging).await?;
    Ok(Json(Page::new(
        items.into_iter().map(OutboxItem::new).collect(),
        total,
        paging,
    )))
}

/// Queue a failed (or queued) message again, due now, attempts back to 0 (admin).
#[utoipa::path(post, path = "/admin/outbox/{id}/retry", tag = "mail", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = OutboxItem), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, description = "Already sent", body = Problem)))]
pub async fn retry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<OutboxItem>> {
    user.require_role(&[Role::Admin])?;
    let message = queries::retry(&state.db, parse_id(&id)?).await?;
    state.wake_mail_worker();
    Ok(Json(OutboxItem::new(message)))
}
