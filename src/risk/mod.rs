//! Risk-based supervision (DOMAIN.md "Risk").
// Placeholder: replaced by the risk branch on merge.

/// One provider's risk, as the dashboard lists it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RiskSummary {
    pub provider_id: uuid::Uuid,
    pub name: String,
    pub score: u32,
    pub level: String,
}

#[derive(Default)]
pub struct RiskWeights;

/// The providers of a region with the highest risk, highest first, at most `limit`.
pub async fn top_for_region<C: sea_orm::ConnectionTrait>(
    _db: &C,
    _weights: &RiskWeights,
    _region_code: &str,
    _limit: usize,
    _now: chrono::DateTime<chrono::Utc>,
) -> crate::error::AppResult<Vec<RiskSummary>> {
    Ok(Vec::new())
}
