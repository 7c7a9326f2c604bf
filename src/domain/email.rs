//! An email address, checked for the shape mail servers accept and stored lower-cased so that
//! sign-in and uniqueness do not depend on how someone typed it.
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let value = input.trim().to_lowercase();
        if value.is_empty() {
            return Err("Vul een e-mailadres in.");
        }
        if value.len() > 254 {
            return Err("Dit e-mailadres is te lang.");
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err("Een e-mailadres heeft de vorm naam@voorbeeld.nl.");
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| tld.len() >= 2);
        if local_ok && domain_ok {
            Ok(Email(value))
        } else {
            Err("Een e-mailadres heeft de vorm naam@voorbeeld.nl.")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn accepts_and_normalises_ordinary_addresses() {
        assert_eq!(
            Email::parse("  J.Jansen@GGDTwente.nl ").unwrap().as_str(),
            "j.jansen@ggdtwente.nl"
        );
        assert!(Email::parse("info+wmo@zorg-groep.example").is_ok());
    }

    #[test]
    fn rejects_what_no_mail_server_accepts() {
        for bad in [
            "",
            "geen-apenstaartje",
            "@ggd.nl",
            "jan@",
            "jan@localhost",
            "jan@ggd..nl",
            "jan @ggd.nl",
            "jan..piet@ggd.nl",
            "jan@-ggd.nl",
            "jan@ggd.n",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
