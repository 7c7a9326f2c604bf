//! The region page's series: signals per month and per category, and the scores per theme. Each
//! one aggregate query over one region.
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};

use super::queries::{Clock, Counts, scalar_counts};
use crate::db::entities::{framework_theme, signal, visit_theme_score};
use crate::error::AppResult;
pub use crate::domain::working_days::dutch_midnight;
use crate::signals::rules::Category;

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

pub fn month_label(first: NaiveDate) -> String {
    first.format("%Y-%m").to_string()
}

/// The region's signals of the last 12 calendar months, counted per month (oldest first, months
/// without signals included with 0) and per category of [`Category::ALL`]. All in one statement of
/// range counts: a month is a range of the index on (region, received_at), a category one of the
/// index on (region, category, received_at). Counting ranges needs no sort, where grouping the
/// region's 4,000 signals of the year by month and category sorted them on every request. Ten
/// years of signals in one chart would hide what is happening now, and would grow without end.
pub async fn signal_series<C: ConnectionTrait>(
    db: &C,
    region: &str,
    clock: Clock,
) -> AppResult<(Vec<(String, u64)>, Counts)> {
    let starts = month_starts(clock.today);
    let bounds: Vec<DateTime<Utc>> = starts.iter().map(|d| dutch_midnight(*d)).collect();
    let received = || Expr::col((signal::Entity, signal::Column::ReceivedAt));
    let of_region = || {
        Query::select()
            .from(signal::Entity)
            .and_where(Expr::col((signal::Entity, signal::Column::RegionCode)).eq(region))
            .to_owned()
    };
    let between = |q: &mut SelectStatement, from: DateTime<Utc>, to: DateTime<Utc>| {
        q.and_where(received().gte(from))
            .and_where(received().lt(to))
            .to_owned()
    };
    let mut queries: Vec<SelectStatement> = bounds
        .windows(2)
        .map(|w| between(&mut of_region(), w[0], w[1]))
        .collect();
    for category in Category::ALL {
        let mut q = of_region()
            .and_where(Expr::col((signal::Entity, signal::Column::Category)).eq(category.as_str()))
            .to_owned();
        queries.push(between(&mut q, bounds[0], bounds[12]));
    }
    let counts = scalar_counts(db, queries).await?;
    let (months, categories) = counts.split_at(counts.len().min(12));
    let per_month = starts[..12]
        .iter()
        .zip(months)
        .map(|(d, n)| (month_label(*d), *n))
        .collect();
    let per_category = Category::ALL
        .iter()
        .zip(categories)
        .map(|(c, n)| (c.as_str().to_string(), *n))
        .collect();
    Ok((per_month, per_category))
}

/// Points and assessed ratings per theme code (`scoring::points`: voldoet 2, voldoet_deels 1,
/// voldoet_niet 0; niet_beoordeeld and nvt not assessed), pooled over the region's `uitgevoerd`
/// visits that started in `[from, to)`; themes without such visits are left out. Read from the
/// totals written when each visit was completed (`visits::summaries`), each theme by the
/// framework version the visit was scored against: for every theme code any framework version
/// has, the sums over one range of the index on (region, theme, starts_at), so nothing is sorted.
pub async fn theme_points<C: ConnectionTrait>(
    db: &C,
    region: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<(String, u64, u64)>> {
    let codes = Alias::new("codes");
    let sum_of = |column: visit_theme_score::Column| {
        let scores = visit_theme_score::Entity;
        let starts = Expr::col((scores, visit_theme_score::Column::StartsAt));
        Expr::from(
            Query::select()
                .expr(Expr::col((scores, column)).sum())
                .from(scores)
                .and_where(Expr::col((scores, visit_theme_score::Column::RegionCode)).eq(region))
                .and_where(
                    Expr::col((scores, visit_theme_score::Column::ThemeCode))
                        .equals((codes.clone(), Alias::new("code"))),
                )
                .and_where(starts.clone().gte(from))
                .and_where(starts.lt(to))
                .to_owned(),
        )
    };
    let q = Query::select()
        .expr_as(
            Expr::col((codes.clone(), Alias::new("code"))),
            Alias::new("k"),
        )
        .expr_as(sum_of(visit_theme_score::Column::Points), Alias::new("p"))
        .expr_as(sum_of(visit_theme_score::Column::Assessed), Alias::new("n"))
        .from_subquery(
            Query::select()
                .distinct()
                .column(framework_theme::Column::Code)
                .from(framework_theme::Entity)
                .to_owned(),
            codes.clone(),
        )
        .to_owned();
    let mut rows = Vec::new();
    for row in db.query_all(&q).await? {
        let theme: String = row.try_get("", "k")?;
        // SUM of integers: a bigint on PostgreSQL, an integer on SQLite; NULL without rows.
        let points: Option<i64> = row.try_get("", "p")?;
        let assessed: Option<i64> = row.try_get("", "n")?;
        let count = |v: i64| u64::try_from(v).unwrap_or(0);
        if let (Some(points), Some(assessed)) = (points, assessed) {
            rows.push((theme, count(points), count(assessed)));
        }
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
