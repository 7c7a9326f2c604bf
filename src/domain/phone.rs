//! Dutch phone numbers in their usual written forms (`053 480 1200`, `06-12345678`,
//! `+31 (0)6 1234 5678`, `0031 53 4801200`, `0800-1234`), stored as the national digits
//! (`0534801200`), which every Dutch reader recognises and which compare equal however typed.

pub fn parse_phone(input: &str) -> Result<String, &'static str> {
    const MESSAGE: &str =
        "Vul een Nederlands telefoonnummer in, bijvoorbeeld 053 480 1200 of 06 1234 5678.";
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(MESSAGE);
    }
    if !trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || " -.()+".contains(c))
    {
        return Err(MESSAGE);
    }
    let without_trunk = trimmed.replace("(0)", "");
    let mut digits: String = without_trunk.chars().filter(char::is_ascii_digit).collect();
    if trimmed.starts_with('+') {
        if !digits.starts_with("31") {
            return Err(MESSAGE);
        }
        digits = format!("0{}", &digits[2..]);
    } else if let Some(rest) = digits.strip_prefix("0031") {
        digits = format!("0{rest}");
    }
    let service =
        digits.starts_with("0800") || digits.starts_with("0900") || digits.starts_with("0909");
    let ok = if service {
        digits.len() == 8 || digits.len() == 11
    } else {
        digits.len() == 10 && digits.starts_with('0') && !digits.starts_with("00")
    };
    if ok { Ok(digits) } else { Err(MESSAGE) }
}

/// Area codes with two digits after the 0 (the big cities); all other areas have three.
const SHORT_AREAS: [&str; 30] = [
    "10", "13", "15", "20", "23", "24", "26", "30", "33", "35", "36", "38", "40", "43", "45", "46",
    "50", "53", "55", "58", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79",
];

/// Stored digits as people write them: `053 480 1200`, `0546 81 2345`, `06 1234 5678`, `0800 1234`.
pub fn format_phone(digits: &str) -> String {
    if digits.len() != 10 || !digits.starts_with('0') {
        return match digits.len() {
            8 | 11 => format!("{} {}", &digits[..4], &digits[4..]),
            _ => digits.to_string(),
        };
    }
    if digits.starts_with("06") {
        format!("06 {} {}", &digits[2..6], &digits[6..])
    } else if SHORT_AREAS.contains(&&digits[1..3]) {
        format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..])
    } else {
        format!("{} {} {}", &digits[..4], &digits[4..6], &digits[6..])
    }
}

#[cfg(test)]
mod tests {
    use super::{format_phone, parse_phone};

    #[test]
    fn stored_numbers_are_shown_in_their_usual_groups() {
        assert_eq!(format_phone("0534801200"), "053 480 1200");
        assert_eq!(format_phone("0546812345"), "0546 81 2345");
        assert_eq!(format_phone("0612345678"), "06 1234 5678");
        assert_eq!(format_phone("08001234"), "0800 1234");
        assert_eq!(format_phone("09001234567"), "0900 1234567");
    }

    #[test]
    fn usual_written_forms_normalise_to_national_digits() {
        for (input, expected) in [
            ("053 480 1200", "0534801200"),
            ("053-4801200", "0534801200"),
            ("(053) 480 12 00", "0534801200"),
            ("06-12345678", "0612345678"),
            ("06 1234 5678", "0612345678"),
            ("+31 6 12345678", "0612345678"),
            ("+31 (0)6 1234 5678", "0612345678"),
            ("0031 53 4801200", "0534801200"),
            ("0800-1234", "08001234"),
            ("0900 123 4567", "09001234567"),
            ("070.123.45.67", "0701234567"),
        ] {
            assert_eq!(parse_phone(input).as_deref(), Ok(expected), "{input:?}");
        }
    }

    #[test]
    fn other_numbers_are_refused() {
        for bad in [
            "",
            "12345",
            "053 480 120",
            "053 480 12000",
            "+32 2 123 45 67",
            "bel me",
            "0053 480 1200",
            "0800 12",
        ] {
            assert!(parse_phone(bad).is_err(), "{bad:?}");
        }
    }
}
