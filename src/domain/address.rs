//! Dutch postcodes and house numbers.
use std::fmt;

/// `1234 AB`: four digits not starting with 0, a space, two capitals other than SA, SD and SS
/// (PostNL never issues those).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if compact.is_empty() {
            return Err("Vul de postcode in.");
        }
        // ASCII first: slicing at byte 4 must never cut a character in two.
        let shape_ok = compact.is_ascii()
            && compact.len() == 6
            && compact[..4].chars().all(|c| c.is_ascii_digit())
            && compact[4..].chars().all(|c| c.is_ascii_uppercase());
        if !shape_ok {
            return Err("Een postcode heeft de vorm 1234 AB.");
        }
        if compact.starts_with('0') {
            return Err("Een postcode begint niet met een 0.");
        }
        if matches!(&compact[4..], "SA" | "SD" | "SS") {
            return Err("Postcodes met de letters SA, SD of SS bestaan niet.");
        }
        Ok(Postcode(format!("{} {}", &compact[..4], &compact[4..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A house number with an optional addition: `12`, `12a`, `12 A`, `12-3`, `101 bis`.
pub fn parse_house_number(input: &str) -> Result<String, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        return Err("Vul het huisnummer in.");
    }
    let digits = value.chars().take_while(char::is_ascii_digit).count();
    let rest = &value[digits..];
    let ok = (1..=5).contains(&digits)
        && !value.starts_with('0')
        && value.len() <= 16
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    if ok {
        Ok(value.to_string())
    } else {
        Err("Een huisnummer begint met een getal, eventueel met een toevoeging (12a).")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_normalised() {
        for input in ["1234AB", "1234 ab", " 1234  Ab ", "1234ab"] {
            assert_eq!(
                Postcode::parse(input).unwrap().as_str(),
                "1234 AB",
                "{input:?}"
            );
        }
    }

    #[test]
    fn impossible_postcodes_are_refused_with_the_reason() {
        assert_eq!(
            Postcode::parse("0123 AB"),
            Err("Een postcode begint niet met een 0.")
        );
        for letters in ["SA", "SD", "SS", "sa"] {
            assert!(
                Postcode::parse(&format!("1234 {letters}"))
                    .unwrap_err()
                    .contains("SA, SD of SS")
            );
        }
        for bad in [
            "", "123 AB", "12345 AB", "1234 A", "1234 A1", "ABCD 12", "123€", "1234ÄB",
        ] {
            assert!(Postcode::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Postcode::parse("1234 SB").is_ok());
    }

    #[test]
    fn house_numbers_allow_additions() {
        for ok in ["1", "12a", "12 A", "12-3", "101 bis", "99999"] {
            assert!(parse_house_number(ok).is_ok(), "{ok:?}");
        }
        for bad in ["", "a12", "0", "123456", "12/3", "12 a b c d e f g h"] {
            assert!(parse_house_number(bad).is_err(), "{bad:?}");
        }
    }
}
