//! Provider input as people type it (API, forms, spreadsheets), checked in one place so that all
//! three give the same answers. Field names in errors are the API's (`address.postcode`).
use crate::domain::address::{Postcode, parse_house_number};
use crate::domain::email::Email;
use crate::domain::identifiers::{AgbCode, KvkNumber};
use crate::domain::phone::parse_phone;
use crate::domain::service::Service;
use crate::error::FieldError;
use crate::regions::queries::MunicipalityIndex;

/// Every field as text, the way it arrived.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawProvider {
    pub name: String,
    pub kvk_number: String,
    pub agb_code: String,
    pub email: String,
    pub phone: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub municipality: String,
    pub services: Vec<String>,
    /// Empty: contracted by its own municipality only.
    pub contract_municipalities: Vec<String>,
    pub active: bool,
}

/// A provider that passed every check, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderData {
    pub name: String,
    pub kvk_number: KvkNumber,
    pub agb_code: Option<AgbCode>,
    pub email: Email,
    pub phone: Option<String>,
    pub street: String,
    pub house_number: String,
    pub postcode: Postcode,
    pub city: String,
    pub municipality_code: String,
    pub region_code: String,
    pub services: Vec<Service>,
    pub contract_municipalities: Vec<String>,
    pub active: bool,
}

fn required_text(
    value: &str,
    field: &str,
    what: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.push(FieldError::new(field, format!("Vul {what} in.")));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("Dit is te lang (hoogstens {max} tekens)."),
        ));
    }
    value.to_string()
}

pub fn validate(
    raw: &RawProvider,
    municipalities: &MunicipalityIndex,
) -> Result<ProviderData, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = required_text(&raw.name, "name", "de naam", 200, &mut errors);
    let kvk = KvkNumber::parse(&raw.kvk_number)
        .map_err(|m| errors.push(FieldError::new("kvk_number", m)))
        .ok();
    let agb = if raw.agb_code.trim().is_empty() {
        None
    } else {
        AgbCode::parse(&raw.agb_code)
            .map_err(|m| errors.push(FieldError::new("agb_code", m)))
            .ok()
    };
    let email = Email::parse(&raw.email)
        .map_err(|m| errors.push(FieldError::new("email", m)))
        .ok();
    let phone = if raw.phone.trim().is_empty() {
        None
    } else {
        parse_phone(&raw.phone)
            .map_err(|m| errors.push(FieldError::new("phone", m)))
            .ok()
    };
    let street = required_text(&raw.street, "address.street", "de straat", 200, &mut errors);
    let house_number = parse_house_number(&raw.house_number)
        .map_err(|m| errors.push(FieldError::new("address.house_number", m)))
        .unwrap_or_default();
    let postcode = Postcode::parse(&raw.postcode)
        .map_err(|m| errors.push(FieldError::new("address.postcode", m)))
        .ok();
    let city = required_text(&raw.city, "address.city", "de plaats", 100, &mut errors);
    let municipality = if raw.municipality.trim().is_empty() {
        errors.push(FieldError::new(
            "municipality_code",
            "Kies de gemeente waar de aanbieder gevestigd is.",
        ));
        None
    } else {
        let found = municipalities.resolve(&raw.municipality);
        if found.is_none() {
            errors.push(FieldError::new(
                "municipality_code",
                format!(
                    "Onbekende gemeente '{}'. Gebruik de CBS-code (GM0153) of de naam.",
                    raw.municipality.trim()
                ),
            ));
        }
        found
    };

    let mut services = Vec::new();
    for (i, text) in raw.services.iter().enumerate() {
        match Service::parse(text) {
            Some(service) if !services.contains(&service) => services.push(service),
            Some(_) => {}
            None => errors.push(FieldError::new(
                format!("services[{i}]"),
                format!("Onbekende dienst '{}'.", text.trim()),
            )),
        }
    }
    if raw.services.is_empty() {
        errors.push(FieldError::new("services", "Kies minstens één dienst."));
    }
    services.sort();

    let mut contracts: Vec<String> = Vec::new();
    for (i, text) in raw.contract_municipalities.iter().enumerate() {
        match municipalities.resolve(text) {
            Some(m) if !contracts.contains(&m.code) => contracts.push(m.code.clone()),
            Some(_) => {}
            None => errors.push(FieldError::new(
                format!("contract_municipalities[{i}]"),
                format!("Onbekende gemeente '{}'.", text.trim()),
            )),
        }
    }

    match (kvk, email, postcode, municipality) {
        (Some(kvk_number), Some(email), Some(postcode), Some(municipality))
            if errors.is_empty() =>
        {
            if contracts.is_empty() {
                contracts.push(municipality.code.clone());
            }
            contracts.sort();
            Ok(ProviderData {
                name,
                kvk_number,
                agb_code: agb,
                email,
                phone,
                street,
                house_number,
                postcode,
                city,
                municipality_code: municipality.code.clone(),
                region_code: municipality.region_code().to_string(),
                services,
                contract_municipalities: contracts,
                active: raw.active,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::entities::municipality;

    fn index() -> MunicipalityIndex {
        let m = |code: &str, name: &str, region: &str| municipality::Model {
            code: code.into(),
            name: name.into(),
            province: "Overijssel".into(),
            cbs_region_code: region.into(),
            supervising_region_code: None,
        };
        MunicipalityIndex::new(vec![
            m("GM0153", "Enschede", "GG1106"),
            m("GM0164", "Hengelo", "GG1106"),
        ])
    }

    fn valid() -> RawProvider {
        RawProvider {
            name: " Zorggroep De Linde ".into(),
            kvk_number: "6123 4570".into(),
            agb_code: "".into(),
            email: "Info@DeLinde.example".into(),
            phone: "053-4801200".into(),
            street: "Lindenlaan".into(),
            house_number: "12a".into(),
            postcode: "7522ab".into(),
            city: "Enschede".into(),
            municipality: "enschede".into(),
            services: vec![
                "Begeleiding".into(),
                "dagbesteding".into(),
                "begeleiding".into(),
            ],
            contract_municipalities: vec![],
            active: true,
        }
    }

    #[test]
    fn normalises_a_valid_provider_and_derives_its_region() {
        let data = validate(&valid(), &index()).unwrap();
        assert_eq!(data.name, "Zorggroep De Linde");
        assert_eq!(data.kvk_number.as_str(), "61234570");
        assert_eq!(data.email.as_str(), "info@delinde.example");
        assert_eq!(data.phone.as_deref(), Some("0534801200"));
        assert_eq!(data.postcode.as_str(), "7522 AB");
        assert_eq!(data.municipality_code, "GM0153");
        assert_eq!(data.region_code, "GG1106");
        assert_eq!(data.services, [Service::Begeleiding, Service::Dagbesteding]);
        assert_eq!(
            data.contract_municipalities,
            ["GM0153"],
            "contracted by its own municipality"
        );
        assert_eq!(data.agb_code, None);
    }

    #[test]
    fn reports_every_problem_at_once_on_its_field() {
        let raw = RawProvider {
            name: "".into(),
            kvk_number: "123".into(),
            agb_code: "12".into(),
            email: "geen-email".into(),
            phone: "12345".into(),
            street: "".into(),
            house_number: "x".into(),
            postcode: "0123 AB".into(),
            city: "".into(),
            municipality: "Atlantis".into(),
            services: vec!["begeleiding".into(), "thuiszorg".into()],
            contract_municipalities: vec!["GM0164".into(), "GM9999".into()],
            active: true,
        };
        let errors = validate(&raw, &index()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "kvk_number",
                "agb_code",
                "email",
                "phone",
                "address.street",
                "address.house_number",
                "address.postcode",
                "address.city",
                "municipality_code",
                "services[1]",
                "contract_municipalities[1]"
            ]
        );
    }

    #[test]
    fn at_least_one_service_is_needed() {
        let raw = RawProvider {
            services: vec![],
            ..valid()
        };
        let errors = validate(&raw, &index()).unwrap_err();
        assert_eq!(errors[0].field, "services");
    }
}
