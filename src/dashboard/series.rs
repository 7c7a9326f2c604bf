//! The region page's series: signals per month and per category, and the scores per theme. Each
//! one aggregate query over one region.
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use super::queries::{Clock, Counts};
use crate::db::entities::{framework_theme, signal_month, theme_month, visit_theme_score};
use crate::domain::working_days::dutch_date;
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
/// without signals included with 0) and per category of [`Category::ALL`]. Read from the counts
/// per region, month and category that the database keeps (`signal_months`, migration 000019):
/// at most 12 × 9 rows, where counting the region's 4,000 signals of the year on every request
/// was most of a dashboard on PostgreSQL. Ten years of signals in one chart would hide what is
/// happening now, and would grow without end.
pub fn signal_months_query(region: &str, clock: Clock) -> SelectStatement {
    let labels = last_twelve(clock);
    signal_month::Entity::find()
        .select_only()
        .columns([
            signal_month::Column::Month,
            signal_month::Column::Category,
            signal_month::Column::N,
        ])
        .filter(signal_month::Column::RegionCode.eq(region))
        .filter(signal_month::Column::Month.gte(labels[0].as_str()))
        .filter(signal_month::Column::Month.lte(labels[11].as_str()))
        .into_query()
}

/// The labels of the last 12 calendar months, oldest first.
fn last_twelve(clock: Clock) -> Vec<String> {
    month_starts(clock.today)[..12]
        .iter()
        .map(|d| month_label(*d))
        .collect()
}

/// The series from the rows (month, category, n) of [`signal_months_query`].
pub fn signal_series(
    rows: Vec<(String, String, i64)>,
    clock: Clock,
) -> (Vec<(String, u64)>, Counts) {
    let mut per_month = Counts::new();
    let mut per_category = Counts::new();
    for (month, category, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        *per_month.entry(month).or_default() += n;
        if Category::parse(&category).is_some() {
            *per_category.entry(category).or_default() += n;
        }
    }
    let months = last_twelve(clock)
        .into_iter()
        .map(|label| {
            let n = per_month.get(&label).copied().unwrap_or(0);
            (label, n)
        })
        .collect();
    (months, per_category)
}

/// The whole Dutch calendar months within `[from, to)`: the first moment of the first one and
/// of the month after the last one (equal when there is none).
fn whole_months(from: DateTime<Utc>, to: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let month_of = |at: DateTime<Utc>| {
        let day = dutch_date(at);
        day.with_day(1).unwrap_or(day)
    };
    let first = month_of(from);
    let first = if dutch_midnight(first) >= from {
        first
    } else {
        first.checked_add_months(Months::new(1)).unwrap_or(first)
    };
    let end = month_of(to);
    let (first, end) = (dutch_midnight(first), dutch_midnight(end));
    if first < end {
        (first, end)
    } else {
        (from, from)
    }
}

/// Points and assessed ratings per theme code (`scoring::points`: voldoet 2, voldoet_deels 1,
/// voldoet_niet 0; niet_beoordeeld and nvt not assessed), pooled over the region's `uitgevoerd`
/// visits that started in `[from, to)`; themes without such visits are left out. In one
/// statement: the whole Dutch calendar months in between from the totals the database keeps per
/// region, month and theme (`theme_months`, migration 000019), the days before and after them
/// from the totals of the visits themselves (`visits::summaries`).
pub fn theme_points_query(region: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> SelectStatement {
    let (first, end) = whole_months(from, to);
    if first < end {
        let mut q = of_visits(region, from, first);
        q.union(UnionType::All, of_months(region, first, end))
            .union(UnionType::All, of_visits(region, end, to));
        q
    } else {
        of_visits(region, from, to)
    }
}

/// The sums per theme from the rows (k, p, n) of [`theme_points_query`], in the order first
/// met.
pub fn theme_points(rows: Vec<(String, i64, i64)>) -> Vec<(String, u64, u64)> {
    let mut sums: Vec<(String, u64, u64)> = Vec::new();
    let count = |v: i64| u64::try_from(v).unwrap_or(0);
    for (theme, points, assessed) in rows {
        match sums.iter_mut().find(|(t, ..)| *t == theme) {
            Some((_, p, a)) => {
                *p += count(points);
                *a += count(assessed);
            }
            None => sums.push((theme, count(points), count(assessed))),
        }
    }
    sums
}

/// The kept totals per theme of the whole months from the one starting at `first` up to (not
/// including) the one starting at `end`, as rows (k, p, n).
fn of_months(region: &str, first: DateTime<Utc>, end: DateTime<Utc>) -> SelectStatement {
    let label = |at: DateTime<Utc>| month_label(dutch_date(at));
    let col = |c: theme_month::Column| Expr::col((theme_month::Entity, c));
    Query::select()
        .expr_as(col(theme_month::Column::ThemeCode), Alias::new("k"))
        .expr_as(col(theme_month::Column::Points).sum(), Alias::new("p"))
        .expr_as(col(theme_month::Column::Assessed).sum(), Alias::new("n"))
        .from(theme_month::Entity)
        .and_where(col(theme_month::Column::RegionCode).eq(region))
        .and_where(col(theme_month::Column::Month).gte(label(first)))
        .and_where(col(theme_month::Column::Month).lt(label(end)))
        .group_by_col((theme_month::Entity, theme_month::Column::ThemeCode))
        .to_owned()
}

/// The visits' own totals per theme over `[from, to)`, as rows (k, p, n): for every theme code
/// any framework version has, one range of the index on (region, theme, starts_at), so nothing
/// is sorted and the rest of the region's ten years is not read; themes without visits in the
/// range have no row.
fn of_visits(region: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> SelectStatement {
    let col = |c: visit_theme_score::Column| Expr::col((visit_theme_score::Entity, c));
    let starts = col(visit_theme_score::Column::StartsAt);
    Query::select()
        .expr_as(col(visit_theme_score::Column::ThemeCode), Alias::new("k"))
        .expr_as(
            col(visit_theme_score::Column::Points).sum(),
            Alias::new("p"),
        )
        .expr_as(
            col(visit_theme_score::Column::Assessed).sum(),
            Alias::new("n"),
        )
        .from(visit_theme_score::Entity)
        .and_where(col(visit_theme_score::Column::RegionCode).eq(region))
        .and_where(
            col(visit_theme_score::Column::ThemeCode).in_subquery(
                Query::select()
                    .column(framework_theme::Column::Code)
                    .from(framework_theme::Entity)
                    .to_owned(),
            ),
        )
        .and_where(starts.clone().gte(from))
        .and_where(starts.lt(to))
        .group_by_col((
            visit_theme_score::Entity,
            visit_theme_score::Column::ThemeCode,
        ))
        .to_owned()
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
