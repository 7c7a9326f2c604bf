//! The risk score itself: a pure function of what is known about a provider and the weights, so
//! that every point can be explained and tested without a database.
use std::borrow::Cow;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use utoipa::ToSchema;

use crate::domain::service::Service;
use crate::domain::text::date_nl;
use crate::risk::weights::RiskWeights;
use crate::signals::rules::Category;

/// Everything the score depends on, gathered by [`crate::risk::inputs`].
#[derive(Debug, Clone, PartialEq)]
pub struct RiskInputs {
    /// The Dutch calendar day the score is computed for.
    pub today: NaiveDate,
    /// Signals received in the last 12 months, per category (each category at most once).
    pub signals_by_category: Vec<(Category, u32)>,
    /// The last completed (`uitgevoerd`) visit; `None` when never visited.
    pub last_visit: Option<LastVisit>,
    /// Open improvement points past their due date, of non-concept reports.
    pub overdue_points: u32,
    pub services: Vec<Service>,
}

/// The ratings of the last completed visit, counted per outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastVisit {
    pub on: NaiveDate,
    pub met: u32,
    pub partly_met: u32,
    pub not_met: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Factor {
    /// What the points are for, in Dutch.
    pub name: String,
    pub points: u32,
    /// The facts behind the points, in Dutch.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Risk {
    /// 0 to 100.
    pub score: u32,
    /// `laag` (< 34), `midden` (< 67) or `hoog`.
    pub level: String,
    /// The factors that gave points, most points first.
    #[schema(value_type = Vec<Factor>)]
    pub factors: Factors,
}

/// A score's factors: as [`score`] computed them, or as a kept score holds them
/// (`risk::stored`), the JSON they were kept as. That JSON is checked to read as factors and then
/// written out as it is: reading the 50 kept explanations of the register's page into `Factor`s
/// and writing them out again took a tenth of the server's processor time for that page (README
/// "Performance").
#[derive(Debug, Clone)]
pub enum Factors {
    Computed(Vec<Factor>),
    Kept(Box<RawValue>),
}

/// What a kept factor must hold, read without copying its texts.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read only to check the kept JSON
struct KeptFactor<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    points: u32,
    #[serde(borrow)]
    detail: Cow<'a, str>,
}

impl Factors {
    /// Kept factors (`serde_json::to_string` of a `Vec<Factor>`), if they read as exactly that.
    pub fn kept(json: String) -> Option<Self> {
        serde_json::from_str::<Vec<KeptFactor>>(&json).ok()?;
        RawValue::from_string(json).ok().map(Factors::Kept)
    }

    /// The factors as values (read from the JSON when kept).
    pub fn list(&self) -> Cow<'_, [Factor]> {
        match self {
            Factors::Computed(factors) => Cow::Borrowed(factors),
            // `kept` let only JSON through that reads as factors, so this cannot come out empty
            // for a kept list that has some.
            Factors::Kept(json) => Cow::Owned(serde_json::from_str(json.get()).unwrap_or_default()),
        }
    }

    pub fn into_vec(self) -> Vec<Factor> {
        match self {
            Factors::Computed(factors) => factors,
            kept => kept.list().into_owned(),
        }
    }
}

impl Serialize for Factors {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Factors::Computed(factors) => factors.serialize(serializer),
            Factors::Kept(json) => json.serialize(serializer),
        }
    }
}

impl PartialEq for Factors {
    fn eq(&self, other: &Self) -> bool {
        self.list() == other.list()
    }
}

impl PartialEq<Vec<Factor>> for Factors {
    fn eq(&self, other: &Vec<Factor>) -> bool {
        *self.list() == other[..]
    }
}

pub fn level_of(score: u32) -> &'static str {
    match score {
        0..34 => "laag",
        34..67 => "midden",
        _ => "hoog",
    }
}

pub fn score(inputs: &RiskInputs, weights: &RiskWeights) -> Risk {
    let mut factors: Vec<Factor> = [
        signals(inputs, weights),
        criteria(inputs, weights),
        overdue(inputs, weights),
        since_visit(inputs, weights),
        vulnerable(inputs, weights),
    ]
    .into_iter()
    .flatten()
    .filter(|f| f.points > 0)
    .collect();
    // Stable: equal points keep the fixed order above.
    factors.sort_by_key(|f| std::cmp::Reverse(f.points));
    let score = factors
        .iter()
        .fold(0u32, |sum, f| sum.saturating_add(f.points))
        .min(100);
    Risk {
        score,
        level: level_of(score).to_string(),
        factors: Factors::Computed(factors),
    }
}

fn factor(name: &str, points: u32, detail: String) -> Option<Factor> {
    Some(Factor {
        name: name.to_string(),
        points,
        detail,
    })
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn signals(inputs: &RiskInputs, weights: &RiskWeights) -> Option<Factor> {
    let total: u32 = inputs.signals_by_category.iter().map(|(_, n)| n).sum();
    let mut points = 0u32;
    let mut serious = Vec::new();
    for &(category, count) in &inputs.signals_by_category {
        if weights.serious_categories.contains(&category) {
            points = points.saturating_add(count.saturating_mul(weights.points_per_serious_signal));
            if count > 0 {
                serious.push(format!(
                    "{count} over {}",
                    category.label_nl().to_lowercase()
                ));
            }
        } else {
            points = points.saturating_add(count.saturating_mul(weights.points_per_signal));
        }
    }
    let mut detail = plural(total, "melding", "meldingen");
    if !serious.is_empty() {
        detail.push_str(", waarvan ");
        detail.push_str(&join_nl(&serious));
    }
    factor(
        "Meldingen in de afgelopen 12 maanden",
        points.min(weights.signals_cap),
        detail,
    )
}

fn criteria(inputs: &RiskInputs, weights: &RiskWeights) -> Option<Factor> {
    let visit = inputs.last_visit?;
    let rated = visit.met + visit.partly_met + visit.not_met;
    if rated == 0 {
        return None;
    }
    let share = (f64::from(visit.not_met) + f64::from(visit.partly_met) / 2.0) / f64::from(rated);
    let points = (share * f64::from(weights.criteria_not_met_points)).round() as u32;
    let detail = format!(
        "Bij het bezoek van {}: {} van {rated} beoordeelde criteria niet voldaan, {} deels",
        date_nl(visit.on),
        visit.not_met,
        visit.partly_met
    );
    factor(
        "Criteria niet voldaan bij het laatste bezoek",
        points,
        detail,
    )
}

fn overdue(inputs: &RiskInputs, weights: &RiskWeights) -> Option<Factor> {
    let points = inputs
        .overdue_points
        .saturating_mul(weights.points_per_overdue_point)
        .min(weights.overdue_points_cap);
    let detail = format!(
        "{} na de termijn nog open",
        plural(inputs.overdue_points, "verbeterpunt", "verbeterpunten")
    );
    factor("Verbeterpunten over de termijn", points, detail)
}

fn since_visit(inputs: &RiskInputs, weights: &RiskWeights) -> Option<Factor> {
    const NAME: &str = "Tijd sinds het laatste bezoek";
    let Some(visit) = inputs.last_visit else {
        return factor(
            NAME,
            weights.never_visited_points,
            "Nog nooit bezocht".into(),
        );
    };
    let years = inputs.today.years_since(visit.on).unwrap_or(0);
    let points = years
        .saturating_mul(weights.points_per_year_since_visit)
        .min(weights.years_since_visit_cap);
    let detail = format!(
        "Laatste bezoek op {}, {years} jaar geleden",
        date_nl(visit.on)
    );
    factor(NAME, points, detail)
}

fn vulnerable(inputs: &RiskInputs, weights: &RiskWeights) -> Option<Factor> {
    let offered: Vec<String> = weights
        .vulnerable_services
        .iter()
        .filter(|s| inputs.services.contains(s))
        .map(|s| s.label_nl().to_lowercase())
        .collect();
    if offered.is_empty() {
        return None;
    }
    factor(
        "Ondersteuning voor kwetsbare cliënten",
        weights.vulnerable_services_points,
        format!("Biedt {}", join_nl(&offered)),
    )
}

/// `a`, `a en b`, `a, b en c`.
fn join_nl(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} en {last}", rest.join(", ")),
    }
}

#[cfg(test)]
#[path = "score_tests.rs"]
mod tests;
