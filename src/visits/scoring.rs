//! Scores of an assessment (API.md "Visits"): `voldoet` 2, `voldoet_deels` 1, `voldoet_niet` 0
//! points; `niet_beoordeeld` and `nvt` are left out. A theme's score is its points over twice its
//! assessed criteria, as a percentage; the overall score pools all assessed criteria (it is not a
//! mean of the themes). Both are rounded half up to one decimal, `null` when nothing was assessed.
use serde::Serialize;
use utoipa::ToSchema;

use crate::framework::domain::Rating;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ThemeScore {
    pub theme: String,
    pub score_pct: Option<f64>,
    pub assessed: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Scores {
    pub theme_scores: Vec<ThemeScore>,
    pub overall_pct: Option<f64>,
}

/// Points of a rating, or `None` when it is not counted.
pub fn points(rating: Rating) -> Option<u32> {
    match rating {
        Rating::Voldoet => Some(2),
        Rating::VoldoetDeels => Some(1),
        Rating::VoldoetNiet => Some(0),
        Rating::NietBeoordeeld | Rating::Nvt => None,
    }
}

/// `points / (2 × assessed) × 100`, rounded half up to one decimal, in integers so that a
/// half (62.25 → 62.3) is never lost to binary floating point.
pub fn percentage(points: u32, assessed: u32) -> Option<f64> {
    if assessed == 0 {
        return None;
    }
    let (points, assessed) = (u64::from(points), u64::from(assessed));
    // tenths = 500 × points / assessed, rounded half up.
    let tenths = (1000 * points + assessed) / (2 * assessed);
    Some(tenths as f64 / 10.0)
}

/// `themes`: the theme codes in framework order; `ratings`: (theme code, rating) per criterion.
pub fn score(themes: &[String], ratings: &[(String, Rating)]) -> Scores {
    let mut total_points = 0;
    let mut total_assessed = 0;
    let theme_scores = themes
        .iter()
        .map(|theme| {
            let (points_sum, assessed) = ratings
                .iter()
                .filter(|(t, _)| t == theme)
                .filter_map(|(_, r)| points(*r))
                .fold((0, 0), |(p, a), pts| (p + pts, a + 1));
            total_points += points_sum;
            total_assessed += assessed;
            ThemeScore {
                theme: theme.clone(),
                score_pct: percentage(points_sum, assessed),
                assessed,
            }
        })
        .collect();
    Scores {
        theme_scores,
        overall_pct: percentage(total_points, total_assessed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Rating::*;

    fn themes() -> Vec<String> {
        ["A", "B", "C"].iter().map(|t| t.to_string()).collect()
    }

    fn r(theme: &str, rating: Rating) -> (String, Rating) {
        (theme.to_string(), rating)
    }

    #[test]
    fn the_example_of_the_contract() {
        // A: voldoet_niet + voldoet → 2/4 = 50.0 over 2 assessed.
        let scores = score(
            &themes(),
            &[
                r("A", VoldoetNiet),
                r("A", Voldoet),
                r("B", Voldoet),
                r("B", VoldoetDeels),
            ],
        );
        assert_eq!(
            scores.theme_scores[0],
            ThemeScore {
                theme: "A".into(),
                score_pct: Some(50.0),
                assessed: 2
            }
        );
        assert_eq!(scores.theme_scores[1].score_pct, Some(75.0));
        // Pooled: 5 points of 8 → 62.5, not the mean of 50 and 75 (also 62.5 here, see below).
        assert_eq!(scores.overall_pct, Some(62.5));
        assert_eq!(
            scores.theme_scores[2],
            ThemeScore {
                theme: "C".into(),
                score_pct: None,
                assessed: 0
            }
        );
    }

    #[test]
    fn overall_is_pooled_not_a_mean_of_themes() {
        // A: 1 criterion voldoet (100); B: 3 criteria voldoet_niet (0). Mean would be 50; pooled is 2/8.
        let scores = score(
            &themes(),
            &[
                r("A", Voldoet),
                r("B", VoldoetNiet),
                r("B", VoldoetNiet),
                r("B", VoldoetNiet),
            ],
        );
        assert_eq!(scores.overall_pct, Some(25.0));
    }

    #[test]
    fn not_assessed_and_not_applicable_are_left_out() {
        let scores = score(
            &themes(),
            &[r("A", Voldoet), r("A", NietBeoordeeld), r("A", Nvt)],
        );
        assert_eq!(scores.theme_scores[0].assessed, 1);
        assert_eq!(scores.theme_scores[0].score_pct, Some(100.0));
        let none = score(&themes(), &[r("A", Nvt)]);
        assert_eq!(none.overall_pct, None, "nothing assessed: null, not 0");
    }

    #[test]
    fn rounding_is_half_up_to_one_decimal() {
        assert_eq!(percentage(1, 3), Some(16.7)); // 16.666…
        assert_eq!(percentage(2, 3), Some(33.3)); // 33.333…
        assert_eq!(percentage(1, 6), Some(8.3)); // 8.333…
        assert_eq!(percentage(1, 8), Some(6.3)); // 6.25 → 6.3
        assert_eq!(percentage(9, 8), Some(56.3)); // 56.25 → 56.3
        assert_eq!(percentage(5, 6), Some(41.7)); // 41.666…
        assert_eq!(percentage(0, 5), Some(0.0));
        assert_eq!(percentage(32, 16), Some(100.0));
    }
}
