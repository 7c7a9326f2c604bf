//! The value lists of visits (API.md "Visits").
use crate::domain::code_enum::code_enum;

code_enum!(
    VisitStatus {
        Gepland = "gepland" / "Gepland",
        Uitgevoerd = "uitgevoerd" / "Uitgevoerd",
        Geannuleerd = "geannuleerd" / "Geannuleerd",
    }
);

code_enum!(
    /// Why a visit is made.
    Reason {
        Proactief = "proactief" / "Regulier toezicht",
        Signaal = "signaal" / "Naar aanleiding van een melding",
        Calamiteit = "calamiteit" / "Naar aanleiding van een calamiteit",
        Heronderzoek = "heronderzoek" / "Heronderzoek",
    }
);

impl Reason {
    /// How the reason reads for the provider (emails, portal, API): routine, signal and calamity
    /// visits read the same, so that nobody can work out that someone filed a worry.
    pub fn for_provider(self) -> Reason {
        match self {
            Reason::Proactief | Reason::Signaal | Reason::Calamiteit => Reason::Proactief,
            Reason::Heronderzoek => Reason::Heronderzoek,
        }
    }

    pub fn label_for_provider(self) -> &'static str {
        match self.for_provider() {
            Reason::Heronderzoek => "Heronderzoek van eerdere verbeterpunten",
            _ => "Toezichtbezoek",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_cannot_tell_a_visit_after_a_signal_from_a_routine_one() {
        let routine = Reason::Proactief.label_for_provider();
        assert_eq!(Reason::Signaal.label_for_provider(), routine);
        assert_eq!(Reason::Calamiteit.label_for_provider(), routine);
        assert_eq!(Reason::Signaal.for_provider(), Reason::Proactief);
        assert_eq!(Reason::Calamiteit.for_provider(), Reason::Proactief);
        assert_eq!(Reason::Heronderzoek.for_provider(), Reason::Heronderzoek);
        for reason in Reason::ALL {
            let label = reason.label_for_provider().to_lowercase();
            assert!(
                !label.contains("melding") && !label.contains("calamiteit"),
                "{label}"
            );
        }
    }
}
