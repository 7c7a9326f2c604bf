//! Reading regions with their municipalities, and moving a municipality to another supervising
//! region.
use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
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
    actor: &crate::audit::Actor,
    municipality_code: &str,
    region_code: Option<&str>,
) -> AppResult<municipality::Model> {
    let txn = crate::db::begin_write(db).await?;
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
    let before = serde_json::json!({"region_code": current.region_code()});
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
    // Signals belong to the region of their provider, or of their municipality when the provider
    // is not in the register: they move along, so the new region's inspectors see them.
    crate::db::entities::signal::Entity::update_many()
        .col_expr(
            crate::db::entities::signal::Column::RegionCode,
            Expr::value(updated.region_code()),
        )
        .filter(
            sea_orm::Condition::any()
                .add(
                    crate::db::entities::signal::Column::ProviderId.in_subquery(
                        sea_orm::sea_query::Query::select()
                            .column(provider::Column::Id)
                            .from(provider::Entity)
                            .and_where(provider::Column::MunicipalityCode.eq(municipality_code))
                            .to_owned(),
                    ),
                )
                .add(
                    sea_orm::Condition::all()
                        .add(crate::db::entities::signal::Column::ProviderId.is_null())
                        .add(
                            crate::db::entities::signal::Column::MunicipalityCode
                                .eq(municipality_code),
                        ),
                ),
        )
        .exec(&txn)
        .await?;
    let changes = crate::audit::diff(
        &before,
        &serde_json::json!({"region_code": updated.region_code()}),
    );
    if !changes.is_empty() {
        crate::audit::record(
            &txn,
            actor,
            "municipality.supervising_region",
            "municipality",
            &updated.code,
            changes,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(updated)
}

/// All municipalities, looked up by CBS code or by name (case-insensitive), for validating input
/// that may name a municipality either way (forms, spreadsheets).
pub struct MunicipalityIndex {
    by_code: std::collections::HashMap<String, municipality::Model>,
    code_by_name: std::collections::HashMap<String, String>,
}

impl MunicipalityIndex {
    pub fn new(all: Vec<municipality::Model>) -> Self {
        let code_by_name = all
            .iter()
            .map(|m| (m.name.to_lowercase(), m.code.clone()))
            .collect();
        let by_code = all.into_iter().map(|m| (m.code.clone(), m)).collect();
        MunicipalityIndex {
            by_code,
            code_by_name,
        }
    }

    /// `GM0153`, `gm0153` or `Enschede`.
    pub fn resolve(&self, input: &str) -> Option<&municipality::Model> {
        let trimmed = input.trim();
        self.by_code.get(&trimmed.to_uppercase()).or_else(|| {
            self.code_by_name
                .get(&trimmed.to_lowercase())
                .and_then(|code| self.by_code.get(code))
        })
    }

    pub fn get(&self, code: &str) -> Option<&municipality::Model> {
        self.by_code.get(code)
    }
}

pub async fn municipality_index<C: sea_orm::ConnectionTrait>(
    db: &C,
) -> AppResult<MunicipalityIndex> {
    Ok(MunicipalityIndex::new(
        municipality::Entity::find().all(db).await?,
    ))
}
