//! The weights of the risk score. They are configuration, not code (DOMAIN.md "Risk"): a GGD
//! tunes them in a TOML file (`RISK_WEIGHTS_FILE`) without a new release. The built-in values
//! below are also shipped, with an explanation per weight, as `fixtures/risk-weights.toml`.
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::domain::service::Service;
use crate::signals::rules::Category;

/// Points per factor. A file may leave weights out (they keep their built-in value), but a key
/// that is not a weight is refused: a misspelt weight silently keeping its default would make
/// the score lie about the configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RiskWeights {
    /// Points per signal received in the last 12 months.
    pub points_per_signal: u32,
    /// Points per signal in one of `serious_categories` (instead of `points_per_signal`).
    pub points_per_serious_signal: u32,
    pub serious_categories: Vec<Category>,
    /// At most this many points for signals together.
    pub signals_cap: u32,
    /// Points when every criterion rated at the last completed visit was not met; a smaller share
    /// gives proportionally fewer (`voldoet_niet` counts fully, `voldoet_deels` half).
    pub criteria_not_met_points: u32,
    /// Points per open improvement point past its due date (of reports that are not concept).
    pub points_per_overdue_point: u32,
    pub overdue_points_cap: u32,
    /// Points per full year since the last completed visit.
    pub points_per_year_since_visit: u32,
    pub years_since_visit_cap: u32,
    /// Points for a provider that was never visited.
    pub never_visited_points: u32,
    /// Points for offering at least one of `vulnerable_services`.
    pub vulnerable_services_points: u32,
    pub vulnerable_services: Vec<Service>,
}

impl Default for RiskWeights {
    fn default() -> Self {
        RiskWeights {
            points_per_signal: 5,
            points_per_serious_signal: 10,
            serious_categories: vec![Category::Geweld, Category::Veiligheid, Category::Calamiteit],
            signals_cap: 40,
            criteria_not_met_points: 30,
            points_per_overdue_point: 5,
            overdue_points_cap: 20,
            points_per_year_since_visit: 5,
            years_since_visit_cap: 20,
            never_visited_points: 20,
            vulnerable_services_points: 15,
            vulnerable_services: vec![Service::BeschermdWonen, Service::MaatschappelijkeOpvang],
        }
    }
}

impl RiskWeights {
    /// Reads a weights file; the error is a Dutch sentence naming the file and what is wrong,
    /// because it stops `serve` at start and is all the operator gets to see.
    pub fn from_file(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|err| format!("risicogewichten: kan {} niet lezen: {err}", path.display()))?;
        Self::from_toml(&text)
            .map_err(|err| format!("risicogewichten in {}: {err}", path.display()))
    }

    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|err| err.to_string().trim_end().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_holds_the_built_in_weights() {
        let shipped = include_str!("../../fixtures/risk-weights.toml");
        assert_eq!(
            RiskWeights::from_toml(shipped).unwrap(),
            RiskWeights::default()
        );
    }

    #[test]
    fn a_file_may_change_some_weights_only() {
        let weights = RiskWeights::from_toml("signals_cap = 10\n").unwrap();
        assert_eq!(weights.signals_cap, 10);
        assert_eq!(weights.points_per_signal, 5);
    }

    #[test]
    fn unknown_keys_and_values_are_refused() {
        let err = RiskWeights::from_toml("signal_cap = 10\n").unwrap_err();
        assert!(err.contains("signal_cap"), "{err}");
        assert!(RiskWeights::from_toml("serious_categories = [\"brand\"]\n").is_err());
        assert!(RiskWeights::from_toml("vulnerable_services = [\"zwemmen\"]\n").is_err());
        assert!(RiskWeights::from_toml("signals_cap = -1\n").is_err());
    }
}
