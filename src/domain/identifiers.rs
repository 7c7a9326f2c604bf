//! Dutch registry numbers, normalised at the edge: spaces and dots that people type are dropped.

/// Chamber of Commerce (KvK) number: 8 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KvkNumber(String);

/// AGB code (healthcare provider register, Vektis): 8 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgbCode(String);

fn eight_digits(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    (digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

impl KvkNumber {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        if input.trim().is_empty() {
            return Err("Vul het KvK-nummer in.");
        }
        eight_digits(input)
            .map(KvkNumber)
            .ok_or("Een KvK-nummer bestaat uit 8 cijfers.")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AgbCode {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        eight_digits(input)
            .map(AgbCode)
            .ok_or("Een AGB-code bestaat uit 8 cijfers.")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kvk_takes_eight_digits_as_people_write_them() {
        assert_eq!(KvkNumber::parse("61234570").unwrap().as_str(), "61234570");
        assert_eq!(
            KvkNumber::parse(" 6123 4570 ").unwrap().as_str(),
            "61234570"
        );
        assert_eq!(
            KvkNumber::parse("61.23.45.70").unwrap().as_str(),
            "61234570"
        );
        for bad in ["", "1234567", "123456789", "6123457a", "61-234570"] {
            assert!(KvkNumber::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn agb_takes_eight_digits() {
        assert_eq!(AgbCode::parse("98 01 23 45").unwrap().as_str(), "98012345");
        assert!(AgbCode::parse("9801234").is_err());
        assert!(AgbCode::parse("").is_err());
    }
}
