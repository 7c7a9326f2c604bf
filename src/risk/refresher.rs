//! The background task of `serve` that keeps the risk scores ([`stored::refresh`]): it computes
//! the scores whose inputs changed or whose time ran out, a round a second, and back to back
//! while a round finds a full batch. What it has not done yet is computed on the spot by the
//! reads, so it only saves work and never decides what a user sees.
use std::time::Duration;

use chrono::Utc;
use sea_orm::DatabaseConnection;
use tokio::sync::watch;

use crate::risk::RiskWeights;
use crate::risk::stored::{self, BATCH};

const IDLE: Duration = Duration::from_secs(1);
const AFTER_ERROR: Duration = Duration::from_secs(5);

pub async fn run(db: DatabaseConnection, weights: RiskWeights, mut stop: watch::Receiver<bool>) {
    if let Err(error) = stored::ensure_rows(&db).await {
        tracing::warn!(%error, "risk scores: could not add missing rows");
    }
    match stored::expire_other_weights(&db, &weights).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            scores = n,
            "risk scores of other weights will be computed anew"
        ),
        Err(error) => tracing::warn!(%error, "risk scores: could not expire other weights"),
    }
    loop {
        let pause = match stored::refresh(&db, &weights, Utc::now()).await {
            Ok(round) if round.kept as u64 >= BATCH || round.cleared as u64 >= BATCH => {
                Duration::ZERO
            }
            Ok(_) => IDLE,
            Err(error) => {
                tracing::warn!(%error, "risk scores: refresh failed");
                AFTER_ERROR
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = stop.changed() => return,
        }
    }
}
