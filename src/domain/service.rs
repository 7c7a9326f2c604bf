//! The Wmo services a provider offers (API.md "Providers").
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    Begeleiding,
    Dagbesteding,
    HuishoudelijkeHulp,
    BeschermdWonen,
    KortdurendVerblijf,
    MaatschappelijkeOpvang,
    Hulpmiddelen,
    Vervoer,
    Woningaanpassing,
}

impl Service {
    pub const ALL: [Service; 9] = [
        Service::Begeleiding,
        Service::Dagbesteding,
        Service::HuishoudelijkeHulp,
        Service::BeschermdWonen,
        Service::KortdurendVerblijf,
        Service::MaatschappelijkeOpvang,
        Service::Hulpmiddelen,
        Service::Vervoer,
        Service::Woningaanpassing,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Service::Begeleiding => "begeleiding",
            Service::Dagbesteding => "dagbesteding",
            Service::HuishoudelijkeHulp => "huishoudelijke_hulp",
            Service::BeschermdWonen => "beschermd_wonen",
            Service::KortdurendVerblijf => "kortdurend_verblijf",
            Service::MaatschappelijkeOpvang => "maatschappelijke_opvang",
            Service::Hulpmiddelen => "hulpmiddelen",
            Service::Vervoer => "vervoer",
            Service::Woningaanpassing => "woningaanpassing",
        }
    }

    pub fn label_nl(self) -> &'static str {
        match self {
            Service::Begeleiding => "Begeleiding",
            Service::Dagbesteding => "Dagbesteding",
            Service::HuishoudelijkeHulp => "Hulp bij het huishouden",
            Service::BeschermdWonen => "Beschermd wonen",
            Service::KortdurendVerblijf => "Kortdurend verblijf",
            Service::MaatschappelijkeOpvang => "Maatschappelijke opvang",
            Service::Hulpmiddelen => "Hulpmiddelen",
            Service::Vervoer => "Vervoer",
            Service::Woningaanpassing => "Woningaanpassing",
        }
    }

    /// Accepts the code or the Dutch label, in any case (spreadsheets use either).
    pub fn parse(input: &str) -> Option<Service> {
        let wanted = input.trim().to_lowercase().replace(' ', "_");
        Service::ALL
            .into_iter()
            .find(|s| s.code() == wanted || s.label_nl().to_lowercase().replace(' ', "_") == wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::Service;

    #[test]
    fn parses_codes_and_labels() {
        assert_eq!(
            Service::parse("beschermd_wonen"),
            Some(Service::BeschermdWonen)
        );
        assert_eq!(
            Service::parse(" Beschermd wonen "),
            Some(Service::BeschermdWonen)
        );
        assert_eq!(
            Service::parse("Hulp bij het huishouden"),
            Some(Service::HuishoudelijkeHulp)
        );
        assert_eq!(Service::parse("thuiszorg"), None);
        for s in Service::ALL {
            assert_eq!(Service::parse(s.code()), Some(s));
        }
    }
}
