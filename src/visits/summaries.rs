//! What the dashboard and the risk ranking read of completed visits, written once when a visit
//! is completed (its ratings cannot change after that): its points per theme
//! (`visit_theme_scores`) and, per provider, its last completed visit with the ratings counted per
//! outcome (`provider_last_visits`). Counting those from the ratings on every read cost most of a
//! region dashboard at national scale (issue 8).
//!
//! Data written in bulk (demo, generated data) is summarised afterwards with [`rebuild`], the same
//! statements the migration used to summarise the visits completed before it.
use std::collections::BTreeMap;

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::db::entities::{provider, provider_last_visit, visit, visit_rating, visit_theme_score};
use crate::error::AppResult;
use crate::framework::domain::{FrameworkDoc, Rating};
use crate::visits::scoring;

/// Points and assessed criteria of one theme of one visit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThemeTotal {
    pub points: u32,
    pub assessed: u32,
}

/// Ratings counted per outcome that says something about quality.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcomes {
    pub met: u32,
    pub partly_met: u32,
    pub not_met: u32,
}

/// Per theme code (of `framework`, the version the visit was scored against) the totals of the
/// ratings; a theme with ratings that are all `niet_beoordeeld` or `nvt` has 0 of 0. A rating of a
/// criterion the framework does not know is left out, as a score cannot place it.
pub fn theme_totals(
    framework: &FrameworkDoc,
    ratings: &[(String, Rating)],
) -> BTreeMap<String, ThemeTotal> {
    let mut totals: BTreeMap<String, ThemeTotal> = BTreeMap::new();
    for (code, rating) in ratings {
        let Some((theme, _)) = framework.criteria().find(|(_, c)| c.code == *code) else {
            continue;
        };
        let total = totals.entry(theme.code.clone()).or_default();
        if let Some(points) = scoring::points(*rating) {
            total.points += points;
            total.assessed += 1;
        }
    }
    totals
}

pub fn outcomes(ratings: &[(String, Rating)]) -> Outcomes {
    let mut counts = Outcomes::default();
    for (_, rating) in ratings {
        match rating {
            Rating::Voldoet => counts.met += 1,
            Rating::VoldoetDeels => counts.partly_met += 1,
            Rating::VoldoetNiet => counts.not_met += 1,
            Rating::NietBeoordeeld | Rating::Nvt => {}
        }
    }
    counts
}

/// Whether a completed visit starting at `starts_at` replaces `kept` as its provider's last one:
/// the later start wins; of two at the same moment, the smaller id, so the choice never depends
/// on the order of completion.
pub fn is_later(visit: &visit::Model, kept: &provider_last_visit::Model) -> bool {
    (visit.starts_at, std::cmp::Reverse(visit.id))
        > (kept.starts_at, std::cmp::Reverse(kept.visit_id))
}

fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Writes the summaries of `visit`, just completed, in the completing transaction.
pub async fn record_completed<C: ConnectionTrait>(
    txn: &C,
    visit: &visit::Model,
    framework: &FrameworkDoc,
    ratings: &[visit_rating::Model],
) -> AppResult<()> {
    let ratings: Vec<(String, Rating)> = ratings
        .iter()
        .filter_map(|r| Some((r.criterion_code.clone(), Rating::parse(&r.rating)?)))
        .collect();
    let rows: Vec<visit_theme_score::ActiveModel> = theme_totals(framework, &ratings)
        .into_iter()
        .map(|(theme_code, total)| visit_theme_score::ActiveModel {
            visit_id: Set(visit.id),
            theme_code: Set(theme_code),
            region_code: Set(visit.region_code.clone()),
            starts_at: Set(visit.starts_at),
            points: Set(to_i32(total.points)),
            assessed: Set(to_i32(total.assessed)),
        })
        .collect();
    if !rows.is_empty() {
        visit_theme_score::Entity::insert_many(rows)
            .exec(txn)
            .await?;
    }
    let kept = provider_last_visit::Entity::find_by_id(visit.provider_id)
        .one(txn)
        .await?;
    if kept.as_ref().is_none_or(|kept| is_later(visit, kept)) {
        let counts = outcomes(&ratings);
        provider_last_visit::Entity::insert(provider_last_visit::ActiveModel {
            provider_id: Set(visit.provider_id),
            visit_id: Set(visit.id),
            starts_at: Set(visit.starts_at),
            met: Set(to_i32(counts.met)),
            partly_met: Set(to_i32(counts.partly_met)),
            not_met: Set(to_i32(counts.not_met)),
        })
        .on_conflict(
            OnConflict::column(provider_last_visit::Column::ProviderId)
                .update_columns([
                    provider_last_visit::Column::VisitId,
                    provider_last_visit::Column::StartsAt,
                    provider_last_visit::Column::Met,
                    provider_last_visit::Column::PartlyMet,
                    provider_last_visit::Column::NotMet,
                ])
                .to_owned(),
        )
        .exec(txn)
        .await?;
        provider::Entity::update_many()
            .col_expr(provider::Column::LastVisitAt, Expr::value(visit.starts_at))
            .filter(provider::Column::Id.eq(visit.provider_id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Summarises every completed visit anew (after data was written in bulk, without completing
/// visits one by one), with the statements of the migration that introduced the summaries.
pub async fn rebuild<C: ConnectionTrait>(db: &C) -> AppResult<()> {
    db.execute_unprepared("DELETE FROM visit_theme_scores")
        .await?;
    db.execute_unprepared("DELETE FROM provider_last_visits")
        .await?;
    db.execute_unprepared(migration::visit_summaries::THEME_SCORES)
        .await?;
    db.execute_unprepared(migration::visit_summaries::LAST_VISITS)
        .await?;
    db.execute_unprepared(migration::visit_summaries::PROVIDERS_LAST_VISIT)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::domain::{Criterion, Theme};
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    fn framework() -> FrameworkDoc {
        let criterion = |code: &str| Criterion {
            id: Uuid::new_v4(),
            code: code.into(),
            title: code.into(),
            description: String::new(),
        };
        let theme = |code: &str, criteria| Theme {
            id: Uuid::new_v4(),
            code: code.into(),
            title: code.into(),
            legal_basis: String::new(),
            criteria,
        };
        FrameworkDoc {
            id: Uuid::new_v4(),
            version: "test".into(),
            published_at: Utc::now(),
            is_current: true,
            ratings: Vec::new(),
            themes: vec![
                theme("A", vec![criterion("A1"), criterion("A2")]),
                theme("B", vec![criterion("B1")]),
            ],
        }
    }

    fn rated(list: &[(&str, Rating)]) -> Vec<(String, Rating)> {
        list.iter().map(|(c, r)| (c.to_string(), *r)).collect()
    }

    #[test]
    fn a_theme_totals_its_points_and_assessed_criteria() {
        let totals = theme_totals(
            &framework(),
            &rated(&[
                ("A1", Rating::Voldoet),
                ("A2", Rating::VoldoetDeels),
                ("B1", Rating::Nvt),
                ("X9", Rating::Voldoet),
            ]),
        );
        assert_eq!(totals.len(), 2, "{totals:?}");
        assert_eq!(
            totals["A"],
            ThemeTotal {
                points: 3,
                assessed: 2
            }
        );
        // Rated, but nothing that counts: the theme is there with 0 of 0.
        assert_eq!(
            totals["B"],
            ThemeTotal {
                points: 0,
                assessed: 0
            }
        );
    }

    #[test]
    fn outcomes_count_only_what_says_something_about_quality() {
        let counts = outcomes(&rated(&[
            ("A1", Rating::Voldoet),
            ("A2", Rating::VoldoetNiet),
            ("B1", Rating::NietBeoordeeld),
            ("B2", Rating::VoldoetNiet),
        ]));
        assert_eq!(
            counts,
            Outcomes {
                met: 1,
                partly_met: 0,
                not_met: 2
            }
        );
    }

    #[test]
    fn the_last_visit_is_the_latest_start_and_of_equal_starts_the_smallest_id() {
        let at = |h| Utc.with_ymd_and_hms(2026, 5, 1, h, 0, 0).unwrap();
        let small = Uuid::from_u128(1);
        let large = Uuid::from_u128(2);
        let kept = |id, h| provider_last_visit::Model {
            provider_id: Uuid::nil(),
            visit_id: id,
            starts_at: at(h),
            met: 0,
            partly_met: 0,
            not_met: 0,
        };
        let visit = |id, h| visit::Model {
            id,
            provider_id: Uuid::nil(),
            region_code: "GG1106".into(),
            framework_version_id: Uuid::nil(),
            starts_at: at(h),
            ends_at: at(h),
            announced: true,
            reason: "proactief".into(),
            status: "uitgevoerd".into(),
            created_by: None,
            created_at: at(h),
            updated_at: at(h),
        };
        assert!(is_later(&visit(large, 10), &kept(small, 9)));
        assert!(!is_later(&visit(small, 8), &kept(large, 9)));
        assert!(is_later(&visit(small, 9), &kept(large, 9)));
        assert!(!is_later(&visit(large, 9), &kept(small, 9)));
    }
}
