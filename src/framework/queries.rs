//! Reading framework versions and publishing a new one. Versions are only ever added: publishing
//! makes the new version current in the same transaction and leaves the old ones untouched.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set, SqlErr,
};
use uuid::Uuid;

use super::domain::{Criterion, FrameworkDoc, Rating, RatingLevel, Theme};
use super::rules::same_name;
use super::upload::NewFramework;
use crate::db::entities::{
    framework_criterion, framework_rating, framework_theme, framework_version,
};
use crate::error::{AppError, AppResult};

/// The version in force. There always is one after `db::migrate` (the seed).
pub async fn current<C: ConnectionTrait>(db: &C) -> AppResult<FrameworkDoc> {
    let version = framework_version::Entity::find()
        .filter(framework_version::Column::IsCurrent.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("no current framework version"))?;
    load(db, version).await
}

/// The theme codes of the current version with their positions (`code`, `position`): for the
/// dashboard's scores, read with its other figures in one statement.
pub fn current_theme_codes_query() -> SelectStatement {
    framework_theme::Entity::find()
        .select_only()
        .columns([
            framework_theme::Column::Code,
            framework_theme::Column::Position,
        ])
        .filter(
            framework_theme::Column::VersionId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(framework_version::Column::Id)
                    .from(framework_version::Entity)
                    .and_where(framework_version::Column::IsCurrent.eq(true))
                    .to_owned(),
            ),
        )
        .into_query()
}

/// Any version, current or earlier, by its id.
pub async fn by_id<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<Option<FrameworkDoc>> {
    match framework_version::Entity::find_by_id(id).one(db).await? {
        Some(version) => load(db, version).await.map(Some),
        None => Ok(None),
    }
}

/// Every version, newest first.
pub async fn versions<C: ConnectionTrait>(db: &C) -> AppResult<Vec<framework_version::Model>> {
    Ok(framework_version::Entity::find()
        .order_by_desc(framework_version::Column::PublishedAt)
        .order_by_desc(framework_version::Column::IsCurrent)
        .order_by_asc(framework_version::Column::Version)
        .all(db)
        .await?)
}

/// Stores a validated framework as a new version and makes it current, all or nothing. A name
/// already in use (ignoring case) is a conflict.
pub async fn publish(
    db: &DatabaseConnection,
    framework: &NewFramework,
    published_by: Uuid,
) -> AppResult<FrameworkDoc> {
    let txn = crate::db::begin_write(db).await?;
    if name_taken(&txn, &framework.version).await? {
        return Err(AppError::Conflict(format!(
            "Er bestaat al een versie met de naam „{}”. Geef de nieuwe versie een andere naam.",
            framework.version
        )));
    }
    framework_version::Entity::update_many()
        .col_expr(framework_version::Column::IsCurrent, Expr::value(false))
        .filter(framework_version::Column::IsCurrent.eq(true))
        .exec(&txn)
        .await?;
    let id = insert(&txn, framework, Some(published_by), Utc::now(), true)
        .await
        .map_err(|err| match err.sql_err() {
            // Another admin published at the same moment (same name, or the one-current index).
            Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(
                "Er is zojuist een andere versie gepubliceerd. Bekijk het toetsingskader en \
                 probeer het opnieuw."
                    .into(),
            ),
            _ => err.into(),
        })?;
    txn.commit().await?;
    by_id(db, id)
        .await?
        .ok_or_else(|| AppError::internal("published framework version not found"))
}

pub(super) async fn name_taken<C: ConnectionTrait>(db: &C, name: &str) -> Result<bool, DbErr> {
    let names: Vec<String> = framework_version::Entity::find()
        .select_only()
        .column(framework_version::Column::Version)
        .into_tuple()
        .all(db)
        .await?;
    Ok(names.iter().any(|existing| same_name(existing, name)))
}

pub(super) async fn any_current<C: ConnectionTrait>(db: &C) -> Result<bool, DbErr> {
    Ok(framework_version::Entity::find()
        .filter(framework_version::Column::IsCurrent.eq(true))
        .one(db)
        .await?
        .is_some())
}

/// Inserts a version with its themes, criteria and scale; the caller owns the transaction and
/// makes sure no other version is current when `is_current` is set.
pub(super) async fn insert<C: ConnectionTrait>(
    db: &C,
    framework: &NewFramework,
    published_by: Option<Uuid>,
    published_at: DateTime<Utc>,
    is_current: bool,
) -> Result<Uuid, DbErr> {
    let version_id = Uuid::new_v4();
    framework_version::Entity::insert(framework_version::ActiveModel {
        id: Set(version_id),
        version: Set(framework.version.clone()),
        published_at: Set(published_at),
        published_by: Set(published_by),
        is_current: Set(is_current),
    })
    .exec_without_returning(db)
    .await?;
    let mut themes = Vec::new();
    let mut criteria = Vec::new();
    // Criteria are numbered across the whole version, so one ORDER BY gives framework order.
    let mut criterion_positions = 1..;
    for (theme_position, theme) in (1..).zip(&framework.themes) {
        let theme_id = Uuid::new_v4();
        themes.push(framework_theme::ActiveModel {
            id: Set(theme_id),
            version_id: Set(version_id),
            code: Set(theme.code.clone()),
            title: Set(theme.title.clone()),
            legal_basis: Set(theme.legal_basis.clone()),
            position: Set(theme_position),
        });
        for (position, criterion) in (&mut criterion_positions).zip(&theme.criteria) {
            criteria.push(framework_criterion::ActiveModel {
                id: Set(Uuid::new_v4()),
                version_id: Set(version_id),
                theme_id: Set(theme_id),
                code: Set(criterion.code.clone()),
                title: Set(criterion.title.clone()),
                description: Set(criterion.description.clone()),
                position: Set(position),
            });
        }
    }
    framework_theme::Entity::insert_many(themes)
        .exec_without_returning(db)
        .await?;
    framework_criterion::Entity::insert_many(criteria)
        .exec_without_returning(db)
        .await?;
    framework_rating::Entity::insert_many((1..).zip(&framework.ratings).map(
        |(position, level)| framework_rating::ActiveModel {
            version_id: Set(version_id),
            code: Set(level.code.as_str().to_string()),
            label: Set(level.label.clone()),
            points: Set(level.points),
            position: Set(position),
        },
    ))
    .exec_without_returning(db)
    .await?;
    Ok(version_id)
}

async fn load<C: ConnectionTrait>(
    db: &C,
    version: framework_version::Model,
) -> AppResult<FrameworkDoc> {
    let themes = framework_theme::Entity::find()
        .filter(framework_theme::Column::VersionId.eq(version.id))
        .order_by_asc(framework_theme::Column::Position)
        .all(db)
        .await?;
    let criteria = framework_criterion::Entity::find()
        .filter(framework_criterion::Column::VersionId.eq(version.id))
        .order_by_asc(framework_criterion::Column::Position)
        .all(db)
        .await?;
    let ratings = framework_rating::Entity::find()
        .filter(framework_rating::Column::VersionId.eq(version.id))
        .order_by_asc(framework_rating::Column::Position)
        .all(db)
        .await?;
    let mut by_theme: HashMap<Uuid, Vec<Criterion>> = HashMap::new();
    for c in criteria {
        by_theme.entry(c.theme_id).or_default().push(Criterion {
            id: c.id,
            code: c.code,
            title: c.title,
            description: c.description,
        });
    }
    let ratings = ratings
        .into_iter()
        .map(|r| {
            Rating::parse(&r.code)
                .map(|code| RatingLevel {
                    code,
                    label: r.label,
                    points: r.points,
                })
                .ok_or_else(|| AppError::internal(format!("unknown rating code {}", r.code)))
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(FrameworkDoc {
        id: version.id,
        version: version.version,
        published_at: version.published_at,
        is_current: version.is_current,
        ratings,
        themes: themes
            .into_iter()
            .map(|t| Theme {
                criteria: by_theme.remove(&t.id).unwrap_or_default(),
                id: t.id,
                code: t.code,
                title: t.title,
                legal_basis: t.legal_basis,
            })
            .collect(),
    })
}
