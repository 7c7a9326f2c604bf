//! The outbox as admins see it: the list, and queueing a message again.
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::OutboxStatus;
use crate::db::entities::outbox_message::{self, Column, Entity as Outbox};
use crate::error::{AppError, AppResult};
use crate::web::pagination::Paging;

/// Newest first, optionally of one status; with the total for paging.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    status: Option<OutboxStatus>,
    paging: Paging,
) -> Result<(Vec<outbox_message::Model>, u64), DbErr> {
    let mut query = Outbox::find();
    if let Some(status) = status {
        query = query.filter(Column::Status.eq(status.as_str()));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page)
        .all(db)
        .await?;
    Ok((items, total))
}

/// Puts a `failed` (or still `queued`) message back in the queue, due now, with a fresh count of
/// attempts. A `sent` message is a conflict: sending it again would be a second email.
pub async fn retry<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<outbox_message::Model> {
    let updated = Outbox::update_many()
        .col_expr(Column::Status, Expr::value(OutboxStatus::Queued.as_str()))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::NextAttemptAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(id))
        .filter(
            Column::Status.is_in([OutboxStatus::Queued.as_str(), OutboxStatus::Failed.as_str()]),
        )
        .exec(db)
        .await?;
    let message = Outbox::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if updated.rows_affected == 0 {
        return Err(AppError::Conflict(
            "Dit bericht is al verzonden; het wordt niet nog een keer verstuurd.".into(),
        ));
    }
    tracing::info!(message_id = %id, "email queued again");
    Ok(message)
}
