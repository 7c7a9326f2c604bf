//! The planning window as asked for (`from`, `weeks`, `capacity_per_week`), and the candidates of
//! a region gathered with a fixed number of aggregate queries, whatever the number of providers.
use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::propose::{Candidate, due_after};
use crate::db::entities::{provider, visit};
use crate::domain::local_time::{monday_of, parse_date, week_bounds};
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult, FieldError};
use crate::risk::{RiskWeights, inputs, score};

pub const DEFAULT_WEEKS: u32 = 13;
pub const DEFAULT_CAPACITY: u32 = 5;

/// The query string of the API and the page; strings, so every bad value gets a Dutch message
/// naming its field (an empty field, as a form sends it, means the default).
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WindowQuery {
    /// First week: the Monday of this date's week (`YYYY-MM-DD`); default next Monday.
    pub from: Option<String>,
    /// Number of weeks, 1 to 52; default 13.
    pub weeks: Option<String>,
    /// Visits per week, 1 to 100; default 5.
    pub capacity_per_week: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: NaiveDate,
    pub weeks: u32,
    pub capacity_per_week: u32,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn number(
    value: &Option<String>,
    field: &str,
    range: std::ops::RangeInclusive<u32>,
    default: u32,
    errors: &mut Vec<FieldError>,
) -> u32 {
    let Some(text) = given(value) else {
        return default;
    };
    match text.parse::<u32>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            errors.push(FieldError::new(
                field,
                format!(
                    "Kies een heel getal van {} tot en met {}.",
                    range.start(),
                    range.end()
                ),
            ));
            default
        }
    }
}

impl WindowQuery {
    pub fn window(&self, today: NaiveDate) -> Result<Window, Vec<FieldError>> {
        let mut errors = Vec::new();
        let from = match given(&self.from) {
            None => monday_of(today) + Duration::weeks(1),
            Some(text) => match parse_date(text) {
                Ok(date) => monday_of(date),
                Err(message) => {
                    errors.push(FieldError::new("from", message));
                    today
                }
            },
        };
        let weeks = number(&self.weeks, "weeks", 1..=52, DEFAULT_WEEKS, &mut errors);
        let capacity_per_week = number(
            &self.capacity_per_week,
            "capacity_per_week",
            1..=100,
            DEFAULT_CAPACITY,
            &mut errors,
        );
        if errors.is_empty() {
            Ok(Window {
                from,
                weeks,
                capacity_per_week,
            })
        } else {
            Err(errors)
        }
    }
}

impl Window {
    /// The window in UTC: Monday 00:00 of the first week to Monday 00:00 after the last (Dutch time).
    pub fn bounds(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let (start, _) = week_bounds(self.from);
        let (end, _) = week_bounds(self.from + Duration::weeks(i64::from(self.weeks)));
        (start, end)
    }
}

/// The active providers of a region as planning candidates. The risk module's own gathering
/// (one aggregate query per factor) already finds each provider's last completed visit for the
/// "years since the last visit" factor; the due date is taken from that same value, so the score
/// and the deadline can never disagree, and it costs no extra query.
pub async fn candidates<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    region_code: &str,
    window: &Window,
    now: DateTime<Utc>,
) -> AppResult<Vec<Candidate>> {
    let gathered = inputs::gather(db, &inputs::Selection::Region(region_code), now).await?;
    let planned = planned_in(db, region_code, window).await?;
    Ok(gathered
        .into_iter()
        .map(|(p, inputs)| {
            let risk = score(&inputs, weights);
            Candidate {
                provider_id: p.id,
                planned: planned.contains(&p.id),
                due: due_after(inputs.last_visit.map(|v| v.on)),
                name: p.name,
                score: risk.score,
                level: risk.level,
                factors: risk.factors.into_vec(),
            }
        })
        .collect())
}

/// The region's providers with a planned (`gepland`) visit starting in the window: one query.
async fn planned_in<C: ConnectionTrait>(
    db: &C,
    region_code: &str,
    window: &Window,
) -> AppResult<HashSet<Uuid>> {
    let (start, end) = window.bounds();
    let ids: Vec<Uuid> = visit::Entity::find()
        .select_only()
        .column(visit::Column::ProviderId)
        .distinct()
        .filter(
            visit::Column::ProviderId.in_subquery(
                Query::select()
                    .column(provider::Column::Id)
                    .from(provider::Entity)
                    .and_where(provider::Column::RegionCode.eq(region_code))
                    .to_owned(),
            ),
        )
        .filter(visit::Column::Status.eq("gepland"))
        .filter(visit::Column::StartsAt.gte(start))
        .filter(visit::Column::StartsAt.lt(end))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().collect())
}

/// The window of a request, or the 422 naming each bad field.
pub fn window_or_422(query: &WindowQuery, now: DateTime<Utc>) -> AppResult<Window> {
    query.window(dutch_date(now)).map_err(AppError::Validation)
}
