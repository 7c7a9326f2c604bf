//! The tables behind the demo visits (`demo_visits.rs`): which visits each demo region gets and
//! the Dutch texts inspectors and providers would have written. Days count from today: negative
//! in the past, positive ahead; the loader moves each day to a free working day.
use crate::visits::rules::Reason::{self, *};

/// Which provider: the demo provider, or the n-th other provider of the region by name (the
/// order the demo signals use too, so a signal visit finds the signal about its provider).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Linde,
    Nth(usize),
}
use Who::*;

/// How far the report of a completed visit got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Concept,
    /// Sent `after` days after the visit; no response (yet).
    Sent {
        after: i64,
    },
    /// Sent, and the provider responded in time.
    Responded,
    /// Finalised, with or without a response from the provider.
    Final {
        response: bool,
    },
}
use Stage::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Planned,
    Cancelled,
    /// Completed with `niet` criteria not met and `deels` partly met.
    Done {
        niet: usize,
        deels: usize,
        stage: Stage,
    },
}

#[derive(Debug, Clone, Copy)]
pub struct DemoVisit {
    pub who: Who,
    pub day: i64,
    pub announced: bool,
    pub reason: Reason,
    pub outcome: Outcome,
}

pub struct RegionPlan {
    pub code: &'static str,
    pub inspector: &'static str,
    /// The visits that tell a story: repeat visits, signals, reports in every stage, the agenda.
    pub visits: &'static [DemoVisit],
    /// Providers left without any visit, for the dashboard's "never visited".
    pub never: &'static [usize],
}

const ANN: bool = true;
const UNANN: bool = false;

const fn done(
    who: Who,
    day: i64,
    announced: bool,
    reason: Reason,
    niet: usize,
    deels: usize,
    stage: Stage,
) -> DemoVisit {
    let outcome = Outcome::Done { niet, deels, stage };
    DemoVisit {
        who,
        day,
        announced,
        reason,
        outcome,
    }
}

const fn planned(who: Who, day: i64, announced: bool, reason: Reason) -> DemoVisit {
    DemoVisit {
        who,
        day,
        announced,
        reason,
        outcome: Outcome::Planned,
    }
}

const fn cancelled(who: Who, day: i64) -> DemoVisit {
    DemoVisit {
        who,
        day,
        announced: ANN,
        reason: Proactief,
        outcome: Outcome::Cancelled,
    }
}

const FINAL: Stage = Final { response: true };
const FINAL_SILENT: Stage = Final { response: false };

// Kept one visit per line so the story of a region reads down the page.
#[rustfmt::skip]
pub const REGIONS: [RegionPlan; 2] = [
    RegionPlan {
        code: "GG1106",
        inspector: "toezichthouder.twente@toezicht.example",
        never: &[17, 20],
        visits: &[
            // Last visited more than three years ago: overdue on the dashboard.
            done(Nth(14), -1185, ANN, Proactief, 1, 2, FINAL),
            done(Nth(9), -1160, ANN, Proactief, 0, 2, FINAL_SILENT),
            // Zorggroep De Linde improves visit after visit; the second came unannounced.
            done(Linde, -1090, ANN, Proactief, 3, 3, FINAL),
            done(Linde, -640, UNANN, Proactief, 1, 2, FINAL),
            done(Linde, -125, ANN, Proactief, 0, 2, FINAL),
            done(Nth(3), -950, ANN, Proactief, 2, 2, FINAL),
            done(Nth(3), -830, ANN, Heronderzoek, 0, 1, FINAL_SILENT),
            done(Nth(11), -760, ANN, Proactief, 1, 3, FINAL),
            done(Nth(11), -280, UNANN, Signaal, 2, 2, FINAL),
            done(Nth(11), -160, ANN, Heronderzoek, 0, 1, FINAL),
            done(Nth(4), -230, UNANN, Signaal, 1, 2, FINAL),
            // Sent: one past its response date without a response, one still in time.
            done(Nth(7), -40, UNANN, Signaal, 3, 2, Sent { after: 10 }),
            done(Nth(1), -12, ANN, Proactief, 1, 2, Sent { after: 5 }),
            done(Nth(8), -4, ANN, Proactief, 2, 1, Concept),
            cancelled(Nth(5), -50),
            planned(Nth(5), 5, UNANN, Signaal),
            planned(Nth(2), 9, ANN, Proactief),
            planned(Linde, 12, ANN, Heronderzoek),
            planned(Linde, 19, UNANN, Calamiteit),
            planned(Nth(10), 24, ANN, Proactief),
        ],
    },
    RegionPlan {
        code: "GG7014",
        inspector: "toezichthouder.haaglanden@toezicht.example",
        never: &[18, 21],
        visits: &[
            done(Nth(12), -1200, ANN, Proactief, 2, 2, FINAL),
            done(Nth(16), -1150, ANN, Proactief, 0, 1, FINAL_SILENT),
            done(Nth(3), -1020, ANN, Proactief, 1, 2, FINAL),
            done(Nth(3), -600, ANN, Proactief, 0, 2, FINAL),
            done(Nth(3), -185, UNANN, Signaal, 2, 2, FINAL),
            done(Nth(8), -900, ANN, Proactief, 3, 2, FINAL),
            done(Nth(8), -770, ANN, Heronderzoek, 1, 1, FINAL_SILENT),
            done(Nth(10), -420, UNANN, Proactief, 1, 2, FINAL),
            done(Nth(1), -300, ANN, Proactief, 1, 1, FINAL),
            done(Nth(11), -130, ANN, Proactief, 1, 1, FINAL),
            done(Nth(2), -32, UNANN, Signaal, 1, 3, Responded),
            done(Nth(6), -8, ANN, Proactief, 0, 2, Sent { after: 3 }),
            done(Nth(9), -3, ANN, Proactief, 2, 2, Concept),
            cancelled(Nth(13), -70),
            planned(Nth(5), 4, UNANN, Calamiteit),
            planned(Nth(14), 8, ANN, Proactief),
            planned(Nth(0), 15, ANN, Proactief),
            planned(Nth(11), 22, ANN, Heronderzoek),
        ],
    },
];

/// Findings per criterion of the seeded framework: (code, partly met, not met). A criterion
/// without a "not met" text is only ever found partly met.
#[rustfmt::skip]
pub const FINDINGS: [(&str, &str, Option<&str>); 16] = [
    ("A1", "Van 2 van de 12 bekeken medewerkers ontbrak de VOG in het personeelsdossier; de aanvragen liepen nog.",
        Some("Voor 5 van de 10 bekeken medewerkers, onder wie twee invalkrachten, was geen VOG aanwezig; bij indiensttreding wordt hier niet op gecontroleerd.")),
    ("A2", "In de avond staat één begeleider voor twaalf bewoners; bij ziekte wordt die dienst niet altijd ingevuld.",
        Some("Tijdens het bezoek was de groep van negen deelnemers anderhalf uur zonder begeleiding; de roosters tonen structureel open diensten.")),
    ("A3", "Incidenten worden gemeld, maar oorzaken worden niet geanalyseerd en afgesproken maatregelen niet nagelopen.",
        Some("Een val met letsel is niet als calamiteit aan de toezichthouder gemeld; medewerkers kennen de meldplicht niet.")),
    ("A4", "De risico-inventarisatie van de woning is ouder dan drie jaar en de ontruimingsoefening van dit jaar is niet gehouden.",
        None),
    ("B1", "De meldcode is vastgesteld, maar nog niet aangepast aan het afwegingskader.",
        Some("De aanbieder heeft geen eigen meldcode huiselijk geweld en kindermishandeling vastgesteld.")),
    ("B2", "Er is een aandachtsfunctionaris, maar drie van de vijf gesproken medewerkers wisten niet wie dat is of welke stappen de meldcode kent.",
        None),
    ("C1", "In 3 van de 8 ingeziene dossiers is het ondersteuningsplan ouder dan een jaar en niet met de cliënt besproken.",
        Some("In 6 van de 8 ingeziene dossiers ontbreekt een ondersteuningsplan; afspraken staan alleen in losse rapportages.")),
    ("C2", "Cliënten zijn overwegend tevreden, maar twee cliënten vertelden dat er over hen wordt gesproken in plaats van met hen.",
        None),
    ("C3", "Doelen zijn vastgelegd, maar worden onregelmatig geëvalueerd en de uitkomst komt niet terug in het plan.",
        Some("In geen van de ingeziene dossiers is het afgelopen jaar een evaluatie met de cliënt vastgelegd.")),
    ("D1", "Twee medewerkers zonder afgeronde opleiding begeleiden zelfstandig cliënten met complexe problematiek, zonder vaste coach.",
        None),
    ("D2", "Er is geen scholingsplan; trainingen zijn niet gericht op de doelgroep of op agressie en de-escalatie.",
        Some("De scholing meldcode en agressiehantering is bij meer dan de helft van de medewerkers verlopen.")),
    ("E1", "Afspraken met de huisarts en de wijkverpleging worden mondeling gemaakt en niet vastgelegd; bij wisseling van begeleider gaan ze verloren.",
        None),
    ("E2", "Het netwerk van de cliënt wordt alleen bij de intake betrokken; in de dossiers staat niet wie meebeslist.",
        None),
    ("F1", "Er is een klachtenregeling, maar cliënten kennen die niet en er is geen onafhankelijke klachtenfunctionaris genoemd.",
        Some("Er is geen klachtenregeling en de aanbieder is niet aangesloten bij een geschilleninstantie.")),
    ("F2", "De cliëntenraad is een jaar niet bijeengekomen en is niet om advies gevraagd over de verhuizing van de dagbesteding.",
        None),
    ("F3", "Op kantoor lagen overdrachtsformulieren met namen van cliënten onbeheerd op een bureau.",
        Some("Medewerkers delen cliëntgegevens in een gewone WhatsApp-groep; er is geen beleid voor de omgang met gegevens.")),
];

/// Criteria sometimes left out of the score, with the reason the inspector wrote down.
pub const NOT_APPLICABLE: (&str, &str) = (
    "F2",
    "Kleine aanbieder zonder plicht tot een cliëntenraad; cliënten worden jaarlijks om hun mening gevraagd.",
);
pub const NOT_ASSESSED: (&str, &str) = (
    "E1",
    "Niet beoordeeld: de coördinator die de afstemming met andere zorg regelt was niet aanwezig.",
);

/// Provider responses (zienswijzen), in turn.
pub const RESPONSES: [&str; 4] = [
    "Wij danken u voor het zorgvuldige onderzoek en herkennen ons in de bevindingen. Voor de verbeterpunten hebben wij een plan van aanpak opgesteld; de eerste maatregelen zijn al genomen.",
    "Wij zijn het op hoofdlijnen eens met het rapport. Bij één bevinding vullen wij aan dat de documenten op de dag van het bezoek wel bestonden maar niet vindbaar waren; wij sturen ze mee.",
    "Het rapport geeft een herkenbaar beeld. De teamleiders bespreken de verbeterpunten in het eerstvolgende teamoverleg en wij rapporteren binnen drie maanden over de voortgang.",
    "Wij hebben geen inhoudelijke opmerkingen op het conceptrapport en gaan met de verbeterpunten aan de slag.",
];
