//! Risk-based supervision (*risicogestuurd toezicht*, DOMAIN.md "Risk"): an explainable score
//! 0–100 per provider from named factors, with weights from configuration.
//!
//! The score is a pure function of its inputs ([`score`]), gathered by [`inputs`]. Scores are
//! kept per provider ([`stored`], migration 000018) so that a region's ranking does not compute
//! hundreds of them per request; a kept score is used only while none of its inputs changed
//! (database triggers log every change in the changing transaction) and the passing of time
//! cannot have changed it ([`validity`]); every other score is computed on the spot, so a read
//! always shows what the inputs give now. A background task ([`refresher`]) computes the
//! changed and expired scores anew.
pub mod inputs;
pub mod refresher;
pub mod score;
pub mod stored;
pub mod validity;
pub mod weights;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
pub use score::{Factor, Factors, Risk, RiskInputs, score};
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
    stored::top_for_region(db, weights, region_code, limit, now).await
}

/// One provider's risk (`NotFound` when there is no such provider). Authorization is the
/// caller's: check that the user may see this provider, and never show it to a provider user.
pub async fn for_provider<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    provider_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Risk> {
    stored::for_providers(db, weights, &[provider_id], now)
        .await?
        .pop()
        .map(|(_, risk)| risk)
        .ok_or(AppError::NotFound)
}

/// The risk of these providers (a page of the register), in no particular order.
pub async fn for_providers<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> AppResult<Vec<(Uuid, Risk)>> {
    stored::for_providers(db, weights, ids, now).await
}
