//! Risk-based supervision (*risicogestuurd toezicht*, DOMAIN.md "Risk"): an explainable score
//! 0–100 per provider from named factors, with weights from configuration.
//!
//! The score is computed on read and never stored or cached. That is how "recomputed when its
//! inputs change" holds without triggers in every area that touches a signal, visit or report:
//! every read sees the current inputs (and the passing of time, which changes "years since the
//! last visit" and "overdue" without any write at all). The one input written ahead is the last
//! visit's summary (`visits::summaries`), final from the moment the visit is completed.
pub mod inputs;
pub mod score;
pub mod weights;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use inputs::{Selection, gather};
pub use score::{Factor, Risk, RiskInputs, score};
pub use weights::RiskWeights;

/// A provider's place in a region's ranking (the dashboard's `risk.top`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RiskSummary {
    pub provider_id: Uuid,
    pub name: String,
    pub score: u32,
    pub level: String,
}

/// The `limit` riskiest active providers of a region, highest first, ties by name.
pub async fn top_for_region<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    region_code: &str,
    limit: usize,
    now: DateTime<Utc>,
) -> AppResult<Vec<RiskSummary>> {
    let mut ranked: Vec<RiskSummary> = gather(db, &Selection::Region(region_code), now)
        .await?
        .into_iter()
        .map(|(provider, inputs)| {
            let risk = score(&inputs, weights);
            RiskSummary {
                provider_id: provider.id,
                name: provider.name,
                score: risk.score,
                level: risk.level,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.provider_id.cmp(&b.provider_id))
    });
    ranked.truncate(limit);
    Ok(ranked)
}

/// One provider's risk (`NotFound` when there is no such provider). Authorization is the
/// caller's: check that the user may see this provider, and never show it to a provider user.
pub async fn for_provider<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    provider_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Risk> {
    gather(db, &Selection::Ids(&[provider_id]), now)
        .await?
        .pop()
        .map(|(_, inputs)| score(&inputs, weights))
        .ok_or(AppError::NotFound)
}

/// The risk of every active provider of a region, in no particular order.
pub async fn for_region<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    region_code: &str,
    now: DateTime<Utc>,
) -> AppResult<Vec<(Uuid, Risk)>> {
    scored(db, weights, &Selection::Region(region_code), now).await
}

/// The risk of these providers (a page of the register), in no particular order.
pub async fn for_providers<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> AppResult<Vec<(Uuid, Risk)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    scored(db, weights, &Selection::Ids(ids), now).await
}

async fn scored<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    selection: &Selection<'_>,
    now: DateTime<Utc>,
) -> AppResult<Vec<(Uuid, Risk)>> {
    Ok(gather(db, selection, now)
        .await?
        .into_iter()
        .map(|(provider, inputs)| (provider.id, score(&inputs, weights)))
        .collect())
}
