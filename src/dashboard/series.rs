//! The region page's series: signals per month and per category, and the scores per theme. Each
//! one aggregate query over one region.
use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};

use super::queries::{Clock, Counts};
use crate::db::entities::{signal, visit_theme_score};
use crate::error::AppResult;

/// The first day of each of the last 12 calendar months (Dutch time), oldest first, and the
/// first day of the next month as the end of the last.
pub fn month_starts(today: NaiveDate) -> Vec<NaiveDate> {
    let this_month = today.with_day(1).unwrap_or(today);
    (0..=12)
        .rev()
        .map(|back: u32| {
            if back == 0 {
                this_month.checked_add_months(Months::new(1))
            } else {
                this_month.checked_sub_months(Months::new(back - 1))
            }
            .unwrap_or(this_month)
        })
        .collect()
}

/// Dutch midnight at the start of `day`, in UTC (midnight always exists in Europe/Amsterdam:
/// the clocks change at night, not at midnight).
pub fn dutch_midnight(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Amsterdam
        .from_local_datetime(&local)
        .earliest()
        .map_or_else(|| local.and_utc(), |at| at.with_timezone(&Utc))
}

pub fn month_label(first: NaiveDate) -> String {
    first.format("%Y-%m").to_string()
}

/// The region's signals of the last 12 calendar months, counted per month (oldest first, months
/// without signals included with 0) and per category code (categories without signals missing).
/// One query for both charts: a CASE names the month of each signal, the database counts per
/// month and category, so the region's signals of the year are read once. Ten years of signals in
/// one chart would hide what is happening now, and would grow without end.
pub async fn signal_series<C: ConnectionTrait>(
    db: &C,
    region: &str,
    clock: Clock,
) -> AppResult<(Vec<(String, u64)>, Counts)> {
    let starts = month_starts(clock.today);
    let bounds: Vec<DateTime<Utc>> = starts.iter().map(|d| dutch_midnight(*d)).collect();
    let received = Expr::col((signal::Entity, signal::Column::ReceivedAt));
    let mut month = Expr::case(received.clone().lt(bounds[1]), month_label(starts[0]));
    for i in 1..12 {
        month = month.case(received.clone().lt(bounds[i + 1]), month_label(starts[i]));
    }
    let q = Query::select()
        .expr_as(month, Alias::new("m"))
        .expr_as(
            Expr::col((signal::Entity, signal::Column::Category)),
            Alias::new("c"),
        )
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from(signal::Entity)
        .and_where(Expr::col((signal::Entity, signal::Column::RegionCode)).eq(region))
        .and_where(received.clone().gte(bounds[0]))
        .and_where(received.lt(bounds[12]))
        // By the output names: the month is a CASE with bound values, which PostgreSQL would
        // not recognise as the same expression when repeated in GROUP BY.
        .group_by_col(Alias::new("m"))
        .group_by_col(Alias::new("c"))
        .to_owned();
    let mut per_month = Counts::new();
    let mut per_category = Counts::new();
    for row in db.query_all(&q).await? {
        let month: String = row.try_get("", "m")?;
        let category: String = row.try_get("", "c")?;
        let n: i64 = row.try_get("", "n")?;
        let n = u64::try_from(n).unwrap_or(0);
        *per_month.entry(month).or_default() += n;
        *per_category.entry(category).or_default() += n;
    }
    let months = starts[..12]
        .iter()
        .map(|d| {
            let label = month_label(*d);
            let n = per_month.get(&label).copied().unwrap_or(0);
            (label, n)
        })
        .collect();
    Ok((months, per_category))
}

/// Points and assessed ratings per theme code (`scoring::points`: voldoet 2, voldoet_deels 1,
/// voldoet_niet 0; niet_beoordeeld and nvt not assessed), pooled over the region's `uitgevoerd`
/// visits that started in `[from, to)`. Read from the totals written when each visit was completed
/// (`visits::summaries`), each theme by the framework version the visit was scored against.
pub async fn theme_points<C: ConnectionTrait>(
    db: &C,
    region: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<(String, u64, u64)>> {
    let starts = Expr::col((
        visit_theme_score::Entity,
        visit_theme_score::Column::StartsAt,
    ));
    let q = Query::select()
        .expr_as(
            Expr::col((
                visit_theme_score::Entity,
                visit_theme_score::Column::ThemeCode,
            )),
            Alias::new("k"),
        )
        .expr_as(
            Expr::col((visit_theme_score::Entity, visit_theme_score::Column::Points)).sum(),
            Alias::new("p"),
        )
        .expr_as(
            Expr::col((
                visit_theme_score::Entity,
                visit_theme_score::Column::Assessed,
            ))
            .sum(),
            Alias::new("n"),
        )
        .from(visit_theme_score::Entity)
        .and_where(
            Expr::col((
                visit_theme_score::Entity,
                visit_theme_score::Column::RegionCode,
            ))
            .eq(region),
        )
        .and_where(starts.clone().gte(from))
        .and_where(starts.lt(to))
        .group_by_col((
            visit_theme_score::Entity,
            visit_theme_score::Column::ThemeCode,
        ))
        .to_owned();
    let mut rows = Vec::new();
    for row in db.query_all(&q).await? {
        let theme: String = row.try_get("", "k")?;
        // SUM of integers: a bigint on PostgreSQL, an integer on SQLite.
        let points: Option<i64> = row.try_get("", "p")?;
        let assessed: Option<i64> = row.try_get("", "n")?;
        let count = |v: Option<i64>| u64::try_from(v.unwrap_or(0)).unwrap_or(0);
        rows.push((theme, count(points), count(assessed)));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months_oldest_first_across_a_year_boundary() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let starts = month_starts(day);
        assert_eq!(starts.len(), 13);
        assert_eq!(month_label(starts[0]), "2025-04");
        assert_eq!(month_label(starts[11]), "2026-03");
        assert_eq!(month_label(starts[12]), "2026-04");
    }

    #[test]
    fn months_start_at_dutch_midnight() {
        let winter = dutch_midnight(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(winter.to_rfc3339(), "2025-12-31T23:00:00+00:00");
        let summer = dutch_midnight(NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
        assert_eq!(summer.to_rfc3339(), "2026-06-30T22:00:00+00:00");
    }
}
