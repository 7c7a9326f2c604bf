//! The dashboard of one region (API.md "Dashboard"): the response shape, put together from the
//! aggregate queries.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::Serialize;
use utoipa::ToSchema;

use super::queries::{self, Clock, Counts, KeyCounts, Regions};
use super::series;
use crate::db::entities::region;
use crate::error::{AppError, AppResult};
use crate::risk::{self, RiskSummary, RiskWeights};
use crate::signals::rules::Category;
use crate::visits::scoring::percentage;

#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    pub region: RegionRef,
    pub providers: ProviderFigures,
    pub visits: VisitFigures,
    pub signals: SignalFigures,
    pub reports: ReportFigures,
    pub improvement_points: PointFigures,
    pub scores: ScoreFigures,
    pub risk: RiskFigures,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionRef {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ProviderFigures {
    /// Active providers of the region.
    pub total: u64,
    /// Without any `uitgevoerd` visit.
    pub never_visited: u64,
    /// Whose last `uitgevoerd` visit started more than three years ago.
    pub visit_overdue: u64,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct VisitFigures {
    pub planned: u64,
    pub completed_last_365d: u64,
    pub cancelled_last_365d: u64,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct SignalFigures {
    pub open: u64,
    pub overdue: u64,
    pub received_last_30d: u64,
    /// Every category code, 0 when the region has none.
    pub by_category: BTreeMap<String, u64>,
    pub per_month: Vec<MonthCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    pub count: u64,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ReportFigures {
    pub awaiting_response: u64,
    pub response_overdue: u64,
    pub final_last_365d: u64,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct PointFigures {
    pub open: u64,
    pub overdue: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreFigures {
    pub overall_pct: Option<f64>,
    pub by_theme: Vec<ThemeScore>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThemeScore {
    pub theme: String,
    pub score_pct: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RiskFigures {
    pub top: Vec<RiskSummary>,
}

/// The most risky providers of a region, highest first, with the configured weights.
pub async fn top_risks<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    region: &str,
    now: DateTime<Utc>,
) -> AppResult<Vec<RiskSummary>> {
    risk::top_for_region(db, weights, region, 10, now).await
}

pub async fn find_region<C: ConnectionTrait>(db: &C, code: &str) -> AppResult<region::Model> {
    region::Entity::find_by_id(code.to_string())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

fn n(counts: &Counts, key: &str) -> u64 {
    counts.get(key).copied().unwrap_or(0)
}

/// The key figures of `code` out of counts grouped by region.
pub fn key_figures(
    k: &KeyCounts,
    code: &str,
) -> (
    ProviderFigures,
    VisitFigures,
    ReportFigures,
    PointFigures,
    [u64; 3],
) {
    (
        ProviderFigures {
            total: n(&k.providers_total, code),
            never_visited: n(&k.never_visited, code),
            visit_overdue: n(&k.visit_overdue, code),
        },
        VisitFigures {
            planned: n(&k.visits_planned, code),
            completed_last_365d: n(&k.visits_completed, code),
            cancelled_last_365d: n(&k.visits_cancelled, code),
        },
        ReportFigures {
            awaiting_response: n(&k.reports_awaiting, code),
            response_overdue: n(&k.reports_overdue, code),
            final_last_365d: n(&k.reports_final, code),
        },
        PointFigures {
            open: n(&k.points_open, code),
            overdue: n(&k.points_overdue, code),
        },
        [
            n(&k.signals_open, code),
            n(&k.signals_overdue, code),
            n(&k.signals_recent, code),
        ],
    )
}

/// Scores per theme over `[from, to)`: the current framework's themes in order (`null` when
/// nothing was assessed), then any theme code only older versions had; and the pooled overall.
pub async fn scores<C: ConnectionTrait>(
    db: &C,
    region: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<ScoreFigures> {
    let rows = series::theme_points(db, region, from, to).await?;
    let mut themes = crate::framework::queries::current_theme_codes(db).await?;
    for (code, _, _) in &rows {
        if !themes.contains(code) {
            themes.push(code.clone());
        }
    }
    let pct = |p: u64, a: u64| percentage(u32::try_from(p).ok()?, u32::try_from(a).ok()?);
    let by_theme = themes
        .into_iter()
        .map(|theme| {
            let (p, a) = rows
                .iter()
                .find(|(code, _, _)| *code == theme)
                .map_or((0, 0), |(_, p, a)| (*p, *a));
            ThemeScore {
                theme,
                score_pct: pct(p, a),
            }
        })
        .collect();
    let (points, assessed) = rows
        .iter()
        .fold((0, 0), |(p, a), (_, rp, ra)| (p + rp, a + ra));
    Ok(ScoreFigures {
        overall_pct: pct(points, assessed),
        by_theme,
    })
}

/// The whole dashboard of one (existing) region.
pub async fn dashboard<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    region: region::Model,
    now: DateTime<Utc>,
) -> AppResult<Dashboard> {
    let clock = Clock::at(now);
    let counts = queries::key_counts(db, Regions::One(&region.code), clock).await?;
    let (providers, visits, reports, improvement_points, [open, overdue, recent]) =
        key_figures(&counts, &region.code);
    let (per_month, by_category) = series::signal_series(db, &region.code, clock).await?;
    let by_category = Category::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), n(&by_category, c.as_str())))
        .collect();
    let per_month = per_month
        .into_iter()
        .map(|(month, count)| MonthCount { month, count })
        .collect();
    let scores = scores(db, &region.code, clock.days_ago(365), now).await?;
    let top = top_risks(db, weights, &region.code, now).await?;
    Ok(Dashboard {
        providers,
        visits,
        signals: SignalFigures {
            open,
            overdue,
            received_last_30d: recent,
            by_category,
            per_month,
        },
        reports,
        improvement_points,
        scores,
        risk: RiskFigures { top },
        region: RegionRef {
            code: region.code,
            name: region.name,
        },
    })
}
