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
    /// How the reason reads for the provider (emails, portal): a visit because of a signal is
    /// just a supervision visit, so that nobody can work out that someone filed a worry.
    pub fn label_for_provider(self) -> &'static str {
        match self {
            Reason::Proactief => "Regulier toezicht",
            Reason::Signaal | Reason::Calamiteit => "Toezichtbezoek",
            Reason::Heronderzoek => "Heronderzoek van eerdere verbeterpunten",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_never_reads_that_a_signal_led_to_the_visit() {
        for reason in Reason::ALL {
            let label = reason.label_for_provider().to_lowercase();
            assert!(
                !label.contains("melding") && !label.contains("calamiteit"),
                "{label}"
            );
        }
    }
}
