//! The pure rules of signals (API.md "Signals"): the value lists, who may move a signal where,
//! and what a description may not contain.
use crate::domain::code_enum::code_enum;

code_enum!(
    /// What a signal is about.
    Category {
        KwaliteitZorg = "kwaliteit_zorg" / "Kwaliteit van de ondersteuning",
        Bejegening = "bejegening" / "Bejegening",
        Veiligheid = "veiligheid" / "Veiligheid",
        Geweld = "geweld" / "Geweld of grensoverschrijdend gedrag",
        Financieel = "financieel" / "Geldzaken",
        Calamiteit = "calamiteit" / "Calamiteit",
        Overig = "overig" / "Iets anders",
    }
);

code_enum!(
    /// Who filed a signal.
    ReporterRole {
        Client = "client" / "Cliënt",
        Naaste = "naaste" / "Familie of naaste",
        Medewerker = "medewerker" / "Medewerker",
        Aanbieder = "aanbieder" / "Aanbieder",
        Anders = "anders" / "Anders",
    }
);

code_enum!(
    SignalStatus {
        Ontvangen = "ontvangen" / "Ontvangen",
        InBehandeling = "in_behandeling" / "In behandeling",
        Onderzoek = "onderzoek" / "Onderzoek",
        Doorverwezen = "doorverwezen" / "Doorverwezen",
        Afgesloten = "afgesloten" / "Afgesloten",
    }
);

code_enum!(
    Priority {
        Laag = "laag" / "Laag",
        Normaal = "normaal" / "Normaal",
        Hoog = "hoog" / "Hoog",
        Spoed = "spoed" / "Spoed",
    }
);

impl SignalStatus {
    /// The only moves there are: ontvangen → in_behandeling → onderzoek | doorverwezen |
    /// afgesloten; onderzoek → afgesloten.
    pub fn can_move_to(self, to: SignalStatus) -> bool {
        use SignalStatus::*;
        matches!(
            (self, to),
            (Ontvangen, InBehandeling)
                | (InBehandeling, Onderzoek)
                | (InBehandeling, Doorverwezen)
                | (InBehandeling, Afgesloten)
                | (Onderzoek, Afgesloten)
        )
    }

    pub fn next(self) -> Vec<SignalStatus> {
        SignalStatus::ALL
            .iter()
            .copied()
            .filter(|to| self.can_move_to(*to))
            .collect()
    }

    /// Still needs the GGD's attention (the dashboard's "open").
    pub fn is_open(self) -> bool {
        !matches!(self, SignalStatus::Afgesloten | SignalStatus::Doorverwezen)
    }

    /// The codes of the open statuses, for queries: listed, an index on the status reads only
    /// them, where "not closed" would read every status.
    pub fn open_codes() -> Vec<&'static str> {
        SignalStatus::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.as_str())
            .collect()
    }

    /// What the status means, for the reporter (status page and emails).
    pub fn explanation_nl(self) -> &'static str {
        match self {
            SignalStatus::Ontvangen => {
                "Uw melding is binnengekomen. Een toezichthouder bekijkt haar binnen drie werkdagen."
            }
            SignalStatus::InBehandeling => "Een toezichthouder van de GGD behandelt uw melding.",
            SignalStatus::Onderzoek => {
                "De GGD onderzoekt de situatie bij de aanbieder, bijvoorbeeld met een bezoek."
            }
            SignalStatus::Doorverwezen => {
                "Uw melding is doorgestuurd naar een organisatie die er beter over gaat."
            }
            SignalStatus::Afgesloten => "De GGD heeft de behandeling van uw melding afgerond.",
        }
    }
}

impl Priority {
    /// Sort key: most urgent first.
    pub fn rank(self) -> u8 {
        match self {
            Priority::Spoed => 0,
            Priority::Hoog => 1,
            Priority::Normaal => 2,
            Priority::Laag => 3,
        }
    }

    /// Every calamity report is urgent; other signals start as normal.
    pub fn initial(category: Category) -> Priority {
        if category == Category::Calamiteit {
            Priority::Spoed
        } else {
            Priority::Normaal
        }
    }
}

/// Whether `text` holds a citizen service number (BSN): nine digits in a row (spaces and dots
/// allowed between groups) that pass the "elfproef". The public form must never collect one.
pub fn contains_bsn(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        // Collect a run of digits, allowing single spaces or dots between them.
        let mut digits = Vec::new();
        let mut j = i;
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                digits.push(chars[j].to_digit(10).unwrap_or(0));
                j += 1;
            } else if (chars[j] == ' ' || chars[j] == '.')
                && j + 1 < chars.len()
                && chars[j + 1].is_ascii_digit()
                && !digits.is_empty()
            {
                j += 1;
            } else {
                break;
            }
        }
        if digits.len() == 9 && passes_elfproef(&digits) {
            return true;
        }
        i = j.max(i + 1);
    }
    false
}

fn passes_elfproef(digits: &[u32]) -> bool {
    let sum: i64 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let weight = if i == 8 { -1 } else { 9 - i as i64 };
            weight * i64::from(*d)
        })
        .sum();
    sum % 11 == 0 && digits.iter().any(|d| *d != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SignalStatus::*;

    #[test]
    fn the_transition_table_of_the_contract() {
        let allowed = [
            (Ontvangen, InBehandeling),
            (InBehandeling, Onderzoek),
            (InBehandeling, Doorverwezen),
            (InBehandeling, Afgesloten),
            (Onderzoek, Afgesloten),
        ];
        for from in SignalStatus::ALL {
            for to in SignalStatus::ALL {
                assert_eq!(
                    from.can_move_to(*to),
                    allowed.contains(&(*from, *to)),
                    "{from:?} → {to:?}"
                );
            }
        }
        assert_eq!(Ontvangen.next(), [InBehandeling]);
        assert!(Afgesloten.next().is_empty());
    }

    #[test]
    fn open_means_not_closed_and_not_referred() {
        assert!(Ontvangen.is_open() && InBehandeling.is_open() && Onderzoek.is_open());
        assert!(!Afgesloten.is_open() && !Doorverwezen.is_open());
    }

    #[test]
    fn calamities_are_urgent() {
        assert_eq!(Priority::initial(Category::Calamiteit), Priority::Spoed);
        assert_eq!(Priority::initial(Category::Geweld), Priority::Normaal);
        assert!(Priority::Spoed.rank() < Priority::Hoog.rank());
    }

    #[test]
    fn codes_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(*c));
        }
        assert_eq!(ReporterRole::parse("client"), Some(ReporterRole::Client));
        assert_eq!(Category::parse("klacht"), None);
    }

    #[test]
    fn a_bsn_is_recognised_in_its_usual_forms() {
        // 111222333 passes the elfproef (a well-known test number).
        for text in [
            "mijn BSN is 111222333",
            "bsn: 1112.22.333",
            "111 222 333 staat op de brief",
        ] {
            assert!(contains_bsn(text), "{text}");
        }
        for text in [
            "bel 0534801200",
            "kvk 61234570",
            "123456789 is geen bsn",
            "1112223334",
            "000000000",
        ] {
            assert!(!contains_bsn(text), "{text}");
        }
    }
}
