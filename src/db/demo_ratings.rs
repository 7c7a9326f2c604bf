//! The ratings of a completed demo visit: a rating for every criterion of the framework in
//! force, mostly met, the unmet ones with a finding written for that criterion. Chosen by a
//! fixed-seed generator, so the same visit gets the same ratings on every load.
use super::demo_visits_data::{FINDINGS, NOT_APPLICABLE, NOT_ASSESSED};
use crate::framework::domain::{FrameworkDoc, Rating};

/// A rating of one criterion: code, rating, finding.
pub type DemoRating = (String, Rating, Option<&'static str>);

/// A tiny fixed-seed generator (SplitMix64): the same choices on every machine and every run.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A rating for every criterion of the framework, in its order: `niet` criteria not met and
/// `deels` partly met (each with a finding that fits the criterion), now and then one left out
/// as not applicable or not assessed, the rest met.
pub fn ratings_for(
    framework: &FrameworkDoc,
    seed: u64,
    niet: usize,
    deels: usize,
) -> Vec<DemoRating> {
    let mut rng = Mix(seed);
    let mut out: Vec<DemoRating> = framework
        .criteria()
        .map(|(_, c)| (c.code.clone(), Rating::Voldoet, None))
        .collect();
    for ((code, note), rating, one_in) in [
        (NOT_APPLICABLE, Rating::Nvt, 5),
        (NOT_ASSESSED, Rating::NietBeoordeeld, 7),
    ] {
        if rng.below(one_in) == 0
            && let Some(slot) = out.iter_mut().find(|(c, _, _)| c == code)
        {
            *slot = (code.to_string(), rating, Some(note));
        }
    }
    for (rating, count) in [(Rating::VoldoetNiet, niet), (Rating::VoldoetDeels, deels)] {
        let mut open: Vec<usize> = (0..out.len())
            .filter(|&i| out[i].1 == Rating::Voldoet && finding(&out[i].0, rating).is_some())
            .collect();
        for _ in 0..count.min(open.len()) {
            let i = open.swap_remove(rng.below(open.len()));
            out[i].1 = rating;
            out[i].2 = finding(&out[i].0, rating);
        }
    }
    out
}

fn finding(code: &str, rating: Rating) -> Option<&'static str> {
    let (_, partly, not_met) = FINDINGS.iter().find(|(c, _, _)| *c == code)?;
    match rating {
        Rating::VoldoetDeels => Some(partly),
        Rating::VoldoetNiet => *not_met,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::demo_visits_data::{REGIONS, Who};
    use crate::framework::domain::{Criterion, Theme};
    use crate::visits::scoring;
    use chrono::Utc;
    use uuid::Uuid;

    /// The seeded framework's criterion codes, grouped in themes by their letter.
    fn framework() -> FrameworkDoc {
        let themes = ["A", "B", "C", "D", "E", "F"].map(|t| Theme {
            id: Uuid::nil(),
            code: t.into(),
            title: t.into(),
            legal_basis: String::new(),
            criteria: FINDINGS
                .iter()
                .filter(|(c, _, _)| c.starts_with(t))
                .map(|(c, _, _)| Criterion {
                    id: Uuid::nil(),
                    code: c.to_string(),
                    title: format!("norm {c}"),
                    description: String::new(),
                })
                .collect(),
        });
        FrameworkDoc {
            id: Uuid::nil(),
            version: "v".into(),
            published_at: Utc::now(),
            is_current: true,
            ratings: Rating::standard_scale(),
            themes: themes.to_vec(),
        }
    }

    fn overall(doc: &FrameworkDoc, ratings: &[DemoRating]) -> f64 {
        let themes: Vec<String> = doc.themes.iter().map(|t| t.code.clone()).collect();
        let by_theme: Vec<(String, Rating)> = ratings
            .iter()
            .map(|(c, r, _)| (c[..1].to_string(), *r))
            .collect();
        scoring::score(&themes, &by_theme).overall_pct.unwrap()
    }

    #[test]
    fn every_criterion_is_rated_once_and_the_unmet_ones_carry_a_finding() {
        let doc = framework();
        for seed in 0..50 {
            let ratings = ratings_for(&doc, seed, 2, 3);
            let codes: Vec<&str> = ratings.iter().map(|(c, _, _)| c.as_str()).collect();
            let expected: Vec<&str> = FINDINGS.iter().map(|(c, _, _)| *c).collect();
            assert_eq!(codes, expected, "framework order");
            let count = |r: Rating| ratings.iter().filter(|x| x.1 == r).count();
            assert_eq!(
                (count(Rating::VoldoetNiet), count(Rating::VoldoetDeels)),
                (2, 3)
            );
            for (code, rating, finding) in &ratings {
                match rating {
                    Rating::Voldoet => assert!(finding.is_none()),
                    _ => assert!(finding.is_some_and(|f| f.len() > 40), "{code}"),
                }
            }
            assert_eq!(
                ratings,
                ratings_for(&doc, seed, 2, 3),
                "the same on every load"
            );
        }
        let left_out = (0..50)
            .filter(|s| {
                ratings_for(&doc, *s, 0, 0)
                    .iter()
                    .any(|r| r.1 != Rating::Voldoet)
            })
            .count();
        assert!(
            (5..25).contains(&left_out),
            "a few visits leave a criterion out: {left_out}"
        );
    }

    #[test]
    fn de_linde_scores_better_at_every_visit() {
        // The seed of a table visit is its position in the region's table (region 0: Twente).
        let doc = framework();
        let scores: Vec<f64> = REGIONS[0]
            .visits
            .iter()
            .enumerate()
            .filter(|(_, v)| v.who == Who::Linde)
            .filter_map(|(i, v)| match v.outcome {
                crate::db::demo_visits_data::Outcome::Done { niet, deels, .. } => {
                    Some(overall(&doc, &ratings_for(&doc, i as u64, niet, deels)))
                }
                _ => None,
            })
            .collect();
        assert_eq!(scores.len(), 3);
        assert!(scores.windows(2).all(|w| w[0] < w[1]), "{scores:?}");
    }
}
