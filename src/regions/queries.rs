//! Reading regions with their municipalities, and moving a municipality to another supervising
//! region.
use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use crate::db::entities::{municipality, provider, region};
use crate::error::{AppError, AppResult};

/// Every region, ordered by CBS code, with the municipalities it supervises ordered by name.
pub async fn regions_with_municipalities(
    db: &DatabaseConnection,
) -> AppResult<Vec<(region::Model, Vec<municipality::Model>)>> {
    let regions = region::Entity::find()
        .order_by_asc(region::Column::Code)
        .all(db)
        .await?;
    let municipalities = municipality::Entity::find()
        .order_by_asc(municipality::Column::Name)
        .all(db)
        .await?;
    let mut by_region: BTreeMap<String, Vec<municipality::Model>> = BTreeMap::new();
    for m in municipalities {
        by_region
            .entry(m.region_code().to_string())
            .or_default()
            .push(m);
    }
    Ok(regions
        .into_iter()
        .map(|r| {
            let members = by_region.remove(&r.code).unwrap_or_default();
            (r, members)
        })
        .collect())
}

/// Sets (or with `None`, clears) the supervising region of a municipality and moves the
/// municipality's providers along, in one transaction.
pub async fn set_supervising_region(
    db: &DatabaseConnection,
    municipality_code: &str,
    region_code: Option<&str>,
) -> AppResult<municipality::Model> {
    let txn = db.begin().await?;
    let current = municipality::Entity::find_by_id(municipality_code.to_string())
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(code) = region_code
        && region::Entity::find_by_id(code.to_string())
            .one(&txn)
            .await?
            .is_none()
    {
        return Err(AppError::validation(
            "region_code",
            format!("Onbekende GGD-regio {code}."),
        ));
    }
    // Setting the CBS region itself as override is the same as having none.
    let stored = region_code
        .filter(|code| *code != current.cbs_region_code)
        .map(str::to_string);
    let mut active = current.into_active_model();
    active.supervising_region_code = Set(stored);
    let updated = active.update(&txn).await?;
    provider::Entity::update_many()
        .col_expr(
            provider::Column::RegionCode,
            Expr::value(updated.region_code()),
        )
        .col_expr(provider::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(provider::Column::MunicipalityCode.eq(municipality_code))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(updated)
}
