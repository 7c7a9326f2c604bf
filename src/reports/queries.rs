//! Reports as the database holds them, read through a [`Scope`]: admins all, inspectors their
//! region, a provider user only its own reports once sent — a concept does not exist for it.
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use uuid::Uuid;

use crate::db::entities::{improvement_point, report};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use crate::reports::rules::ReportStatus;
use crate::web::current_user::CurrentUser;
use crate::web::pagination::Paging;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Region(String),
    Provider(Uuid),
    Nothing,
}

impl Scope {
    pub fn of(user: &CurrentUser) -> Scope {
        match (user.role, &user.region_code, user.provider_id) {
            (Role::Admin, _, _) => Scope::All,
            (Role::Inspector, Some(region), _) => Scope::Region(region.clone()),
            (Role::Provider, _, Some(id)) => Scope::Provider(id),
            _ => Scope::Nothing,
        }
    }

    pub fn apply(&self, select: Select<report::Entity>) -> Select<report::Entity> {
        match self {
            Scope::All => select,
            Scope::Region(code) => select.filter(report::Column::RegionCode.eq(code.as_str())),
            Scope::Provider(id) => select
                .filter(report::Column::ProviderId.eq(*id))
                .filter(report::Column::Status.ne(ReportStatus::Concept.as_str())),
            Scope::Nothing => select.filter(Expr::value(false)),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub provider_id: Option<Uuid>,
    pub status: Option<ReportStatus>,
    /// Sent, and its response deadline before this (Dutch) date: the response is overdue.
    pub response_overdue_on: Option<chrono::NaiveDate>,
    /// Not a concept, with an open improvement point due before this date.
    pub points_overdue_on: Option<chrono::NaiveDate>,
}

fn filtered(scope: &Scope, filter: &ListFilter) -> Select<report::Entity> {
    let mut select = scope.apply(report::Entity::find());
    if let Some(provider) = filter.provider_id {
        select = select.filter(report::Column::ProviderId.eq(provider));
    }
    if let Some(status) = filter.status {
        select = select.filter(report::Column::Status.eq(status.as_str()));
    }
    if let Some(today) = filter.response_overdue_on {
        select = select
            .filter(report::Column::Status.eq(ReportStatus::Verzonden.as_str()))
            .filter(report::Column::ResponseDue.lt(today));
    }
    if let Some(today) = filter.points_overdue_on {
        select = select
            .filter(report::Column::Status.ne(ReportStatus::Concept.as_str()))
            .filter(
                report::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(improvement_point::Column::ReportId)
                        .from(improvement_point::Entity)
                        .and_where(improvement_point::Column::Status.eq("open"))
                        .and_where(improvement_point::Column::DueDate.lt(today))
                        .to_owned(),
                ),
            );
    }
    // Newest first: the report being worked on is the one people look for.
    select
        .order_by_desc(report::Column::CreatedAt)
        .order_by_desc(report::Column::Id)
}

pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ListFilter,
    paging: Paging,
) -> AppResult<(Vec<report::Model>, u64)> {
    Ok(crate::web::pagination::fetch(db, filtered(scope, filter), paging).await?)
}

/// The whole filtered list for an export, at most `limit` reports.
pub async fn list_upto(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ListFilter,
    limit: u64,
) -> AppResult<Vec<report::Model>> {
    Ok(filtered(scope, filter).limit(limit).all(db).await?)
}

pub async fn find<C: ConnectionTrait>(db: &C, scope: &Scope, id: Uuid) -> AppResult<report::Model> {
    scope
        .apply(report::Entity::find_by_id(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The report's improvement points in criterion order.
pub async fn points<C: ConnectionTrait>(
    db: &C,
    report_id: Uuid,
) -> AppResult<Vec<improvement_point::Model>> {
    Ok(improvement_point::Entity::find()
        .filter(improvement_point::Column::ReportId.eq(report_id))
        .order_by_asc(improvement_point::Column::CriterionCode)
        .order_by_asc(improvement_point::Column::CreatedAt)
        .all(db)
        .await?)
}
