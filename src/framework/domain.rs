//! The framework as the rest of the application sees it: a published version with its themes,
//! criteria and rating scale, in order. Visits score against a `FrameworkDoc` and keep its `id`.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The five rating codes of the contract (API.md). Every framework version has all five; their
/// labels and points are data of the version ([`RatingLevel`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Voldoet,
    VoldoetDeels,
    VoldoetNiet,
    NietBeoordeeld,
    Nvt,
}

impl Rating {
    /// In the order of the standard scale.
    pub const ALL: [Rating; 5] = [
        Rating::Voldoet,
        Rating::VoldoetDeels,
        Rating::VoldoetNiet,
        Rating::NietBeoordeeld,
        Rating::Nvt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Voldoet => "voldoet",
            Rating::VoldoetDeels => "voldoet_deels",
            Rating::VoldoetNiet => "voldoet_niet",
            Rating::NietBeoordeeld => "niet_beoordeeld",
            Rating::Nvt => "nvt",
        }
    }

    pub fn parse(code: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.as_str() == code)
    }

    /// The label and points of the standard scale, used when an upload leaves the scale out.
    /// Ratings without points (not assessed, not applicable) do not count towards a score.
    pub fn standard_level(self) -> RatingLevel {
        let (label, points) = match self {
            Rating::Voldoet => ("voldoet", Some(2)),
            Rating::VoldoetDeels => ("voldoet deels", Some(1)),
            Rating::VoldoetNiet => ("voldoet niet", Some(0)),
            Rating::NietBeoordeeld => ("niet beoordeeld", None),
            Rating::Nvt => ("n.v.t.", None),
        };
        RatingLevel {
            code: self,
            label: label.to_string(),
            points,
        }
    }

    pub fn standard_scale() -> Vec<RatingLevel> {
        Rating::ALL
            .into_iter()
            .map(Rating::standard_level)
            .collect()
    }
}

/// One step of a version's rating scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingLevel {
    pub code: Rating,
    /// Dutch, for people: "voldoet deels".
    pub label: String,
    /// `None` for ratings that do not count (niet beoordeeld, n.v.t.).
    pub points: Option<i32>,
}

/// A stored framework version, complete and in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkDoc {
    pub id: Uuid,
    /// The version's name, e.g. "Model toetsingskader Wmo v1".
    pub version: String,
    pub published_at: DateTime<Utc>,
    pub is_current: bool,
    pub ratings: Vec<RatingLevel>,
    pub themes: Vec<Theme>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub id: Uuid,
    pub code: String,
    pub title: String,
    pub legal_basis: String,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub id: Uuid,
    pub code: String,
    pub title: String,
    pub description: String,
}

impl FrameworkDoc {
    /// Every criterion with its theme, in framework order.
    pub fn criteria(&self) -> impl Iterator<Item = (&Theme, &Criterion)> {
        self.themes
            .iter()
            .flat_map(|theme| theme.criteria.iter().map(move |c| (theme, c)))
    }

    /// The criterion with this code (codes are unique within a version).
    pub fn criterion(&self, code: &str) -> Option<&Criterion> {
        self.criteria().map(|(_, c)| c).find(|c| c.code == code)
    }

    /// This version's label and points for a rating.
    pub fn rating(&self, code: Rating) -> Option<&RatingLevel> {
        self.ratings.iter().find(|level| level.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_codes_round_trip_and_follow_the_contract() {
        let codes: Vec<_> = Rating::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            codes,
            [
                "voldoet",
                "voldoet_deels",
                "voldoet_niet",
                "niet_beoordeeld",
                "nvt"
            ]
        );
        for rating in Rating::ALL {
            assert_eq!(Rating::parse(rating.as_str()), Some(rating));
            let json = serde_json::to_string(&rating).unwrap();
            assert_eq!(json, format!("\"{}\"", rating.as_str()), "serde agrees");
        }
        assert_eq!(Rating::parse("voldoende"), None);
    }

    #[test]
    fn only_judgements_carry_points() {
        let points: Vec<_> = Rating::standard_scale()
            .into_iter()
            .map(|l| l.points)
            .collect();
        assert_eq!(points, [Some(2), Some(1), Some(0), None, None]);
        assert_eq!(Rating::VoldoetDeels.standard_level().label, "voldoet deels");
    }

    #[test]
    fn finds_criteria_and_ratings_by_code() {
        let doc = FrameworkDoc {
            id: Uuid::nil(),
            version: "v".into(),
            published_at: Utc::now(),
            is_current: true,
            ratings: Rating::standard_scale(),
            themes: vec![Theme {
                id: Uuid::nil(),
                code: "A".into(),
                title: "Veilig".into(),
                legal_basis: "Wmo 2015 art. 3.1".into(),
                criteria: vec![Criterion {
                    id: Uuid::nil(),
                    code: "A1".into(),
                    title: "VOG".into(),
                    description: String::new(),
                }],
            }],
        };
        assert_eq!(doc.criterion("A1").map(|c| c.title.as_str()), Some("VOG"));
        assert!(doc.criterion("A2").is_none());
        assert_eq!(doc.rating(Rating::Voldoet).and_then(|l| l.points), Some(2));
        assert_eq!(doc.criteria().count(), 1);
    }
}
