//! The dashboard of one region (API.md "Dashboard"): the response shape, put together from the
//! aggregate queries.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect, QueryTrait};
use serde::Serialize;
use utoipa::ToSchema;

use super::queries::{self, Clock, Counts, KeyCounts};
use super::series;
use crate::db::entities::region;
use crate::db::one_statement;
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

/// Scores per theme from the sums per theme ([`series::theme_points`]) and the current
/// framework's theme codes (in order): those themes in order (`null` when nothing was
/// assessed), then any theme code only older versions had; and the pooled overall.
pub fn scores(rows: Vec<(String, u64, u64)>, current_themes: &[String]) -> ScoreFigures {
    let mut themes = current_themes.to_vec();
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
    ScoreFigures {
        overall_pct: pct(points, assessed),
        by_theme,
    }
}

/// The parts of the dashboard's statement (`one_statement`), by their `g`; the key counts
/// number their groups from 0 themselves.
mod part {
    pub const SIGNAL_MONTHS: i32 = 100;
    pub const SCORES: i32 = 101;
    pub const PREVIOUS_SCORES: i32 = 102;
    pub const THEMES: i32 = 103;
    pub const TOP: i32 = 104;
    pub const STALE: i32 = 105;
    pub const REGION: i32 = 106;
}

/// How many providers the ranking shows.
const TOP_RISKS: usize = 10;

/// The whole dashboard of region `code` (`NotFound` when there is no such region) and, when
/// `previous_year`, the scores of the year before the last (the page's comparison). Its figures
/// are read in one statement (`db::one_statement`); the risk scores not kept (usually none) are
/// computed after it. The callers read inside `db::begin_read`: one snapshot for both, and on
/// PostgreSQL a plan made once per connection.
pub async fn dashboard<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    code: &str,
    now: DateTime<Utc>,
    previous_year: bool,
) -> AppResult<(Dashboard, Option<ScoreFigures>)> {
    use one_statement::Shape;
    let clock = Clock::at(now);
    let counts = queries::region_counts_query(clock, code);
    let top = risk::stored::top_queries(weights, code, TOP_RISKS, now);
    let mut statement = one_statement::Statement::default();
    statement.part(
        region::Entity::find_by_id(code.to_string())
            .select_only()
            .column(region::Column::Name)
            .into_query(),
        Shape {
            g: Some(part::REGION),
            k: Some("name"),
            ..Shape::default()
        },
    );
    statement.part(
        counts.statement.clone(),
        Shape {
            n: [Some("n0"), Some("n1"), Some("n2")],
            ..Shape::default()
        },
    );
    statement.part(
        series::signal_months_query(code, clock),
        Shape {
            g: Some(part::SIGNAL_MONTHS),
            k: Some("month"),
            k2: Some("category"),
            n: [Some("n"), None, None],
            ..Shape::default()
        },
    );
    let theme_sums = |g| Shape {
        g: Some(g),
        k: Some("k"),
        n: [Some("p"), Some("n"), None],
        ..Shape::default()
    };
    statement.part(
        series::theme_points_query(code, clock.days_ago(365), now),
        theme_sums(part::SCORES),
    );
    if previous_year {
        statement.part(
            series::theme_points_query(code, clock.days_ago(730), clock.days_ago(365)),
            theme_sums(part::PREVIOUS_SCORES),
        );
    }
    statement.part(
        crate::framework::queries::current_theme_codes_query(),
        Shape {
            g: Some(part::THEMES),
            k: Some("code"),
            n: [Some("position"), None, None],
            ..Shape::default()
        },
    );
    statement.part(
        top.candidates,
        Shape {
            g: Some(part::TOP),
            k: Some("name"),
            id: Some("provider_id"),
            n: [Some("score"), None, None],
            ..Shape::default()
        },
    );
    statement.part(
        top.stale,
        Shape {
            g: Some(part::STALE),
            id: Some("provider_id"),
            ..Shape::default()
        },
    );

    let (mut count_rows, mut months, mut sums, mut previous_sums) =
        (vec![], vec![], vec![], vec![]);
    let (mut themes, mut candidates, mut stale) = (vec![], vec![], vec![]);
    let mut name = None;
    for row in statement.rows(db).await? {
        match row.g {
            part::SIGNAL_MONTHS => months.push((row.k(), row.k2.unwrap_or_default(), row.n[0])),
            part::SCORES => sums.push((row.k(), row.n[0], row.n[1])),
            part::PREVIOUS_SCORES => previous_sums.push((row.k(), row.n[0], row.n[1])),
            part::THEMES => themes.push((row.n[0], row.k())),
            part::TOP => {
                if let Some(id) = row.id {
                    let score = i32::try_from(row.n[0]).unwrap_or(0);
                    candidates.push((id, row.k(), score));
                }
            }
            part::STALE => stale.extend(row.id),
            part::REGION => name = row.k,
            g => count_rows.push((g, row.n)),
        }
    }
    let name = name.ok_or(AppError::NotFound)?;
    themes.sort();
    let themes: Vec<String> = themes.into_iter().map(|(_, code)| code).collect();

    let counts = counts.read(&count_rows, code);
    let (providers, visits, reports, improvement_points, [open, overdue, recent]) =
        key_figures(&counts, code);
    let (per_month, by_category) = series::signal_series(months, clock);
    let by_category = Category::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), n(&by_category, c.as_str())))
        .collect();
    let per_month = per_month
        .into_iter()
        .map(|(month, count)| MonthCount { month, count })
        .collect();
    let top = risk::stored::rank(db, weights, candidates, stale, TOP_RISKS, now).await?;
    let previous = previous_year.then(|| scores(series::theme_points(previous_sums), &themes));
    let dashboard = Dashboard {
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
        scores: scores(series::theme_points(sums), &themes),
        risk: RiskFigures { top },
        region: RegionRef {
            code: code.to_string(),
            name,
        },
    };
    Ok((dashboard, previous))
}
