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
