//! Provider lists as spreadsheets. Municipalities hand their contracted providers to the GGD as
//! CSV exported from Excel: `;`-separated (Dutch Excel) or `,`-separated, often with a BOM. The
//! whole file is checked before anything is stored; export writes the same columns back.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::audit::Actor;
use crate::db::entities::provider;
use crate::error::{AppResult, FieldError};
use crate::providers::input::{self, ProviderData, RawProvider};
use crate::providers::queries;
use crate::regions::queries::{MunicipalityIndex, municipality_index};
use crate::web::csv::Sheet;

/// The columns, in export order: (header, accepted aliases, required).
const COLUMNS: [(&str, &[&str], bool); 13] = [
    ("naam", &["name", "aanbieder"], true),
    (
        "kvk_nummer",
        &["kvk", "kvk-nummer", "kvknummer", "kvk_number"],
        true,
    ),
    ("agb_code", &["agb", "agb-code"], false),
    ("email", &["e-mail", "e-mailadres", "emailadres"], true),
    ("telefoon", &["telefoonnummer", "phone"], false),
    ("straat", &["street"], true),
    ("huisnummer", &["house_number"], true),
    ("postcode", &[], true),
    ("plaats", &["woonplaats", "city"], true),
    ("gemeente", &["gemeentecode", "municipality_code"], true),
    ("diensten", &["services"], true),
    ("contractgemeenten", &["contract_municipalities"], false),
    ("actief", &["active", "status"], false),
];

/// Dutch column name for an input field (for messages about a row).
fn column_of(field: &str) -> &'static str {
    let base = field.split('[').next().unwrap_or(field);
    match base {
        "name" => "naam",
        "kvk_number" => "kvk_nummer",
        "agb_code" => "agb_code",
        "email" => "email",
        "phone" => "telefoon",
        "address.street" => "straat",
        "address.house_number" => "huisnummer",
        "address.postcode" => "postcode",
        "address.city" => "plaats",
        "municipality_code" => "gemeente",
        "services" => "diensten",
        "contract_municipalities" => "contractgemeenten",
        _ => "actief",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub messages: Vec<String>,
}

#[derive(Debug, Default)]
pub struct CheckedFile {
    pub rows: usize,
    pub valid: Vec<(u64, ProviderData)>,
    pub errors: Vec<RowError>,
    /// A problem with the file as a whole (no header, missing column, not UTF-8).
    pub file_error: Option<String>,
}

#[derive(Debug)]
pub struct ImportOutcome {
    pub checked: CheckedFile,
    pub stored: usize,
}

fn delimiter_of(header_line: &str) -> u8 {
    let count = |c: char| header_line.matches(c).count();
    [(b';', count(';')), (b',', count(',')), (b'\t', count('\t'))]
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(d, _)| d)
        .unwrap_or(b';')
}

fn split_list(value: &str) -> Vec<String> {
    value
        .split([',', '|', ';'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_active(value: &str) -> Option<bool> {
    match value.trim().to_lowercase().as_str() {
        "" | "ja" | "j" | "true" | "1" | "actief" | "yes" => Some(true),
        "nee" | "n" | "false" | "0" | "beëindigd" | "beeindigd" | "no" => Some(false),
        _ => None,
    }
}

/// Checks a whole file against the rules and the register; stores nothing.
pub async fn check<C: ConnectionTrait>(db: &C, bytes: &[u8]) -> AppResult<CheckedFile> {
    let index = municipality_index(db).await?;
    let mut checked = check_rows(bytes, &index);
    // Rows that are valid on their own may still be in the register already.
    let mut still_valid = Vec::new();
    for (line, data) in std::mem::take(&mut checked.valid) {
        let exists = provider::Entity::find()
            .filter(provider::Column::KvkNumber.eq(data.kvk_number.as_str()))
            .filter(provider::Column::Postcode.eq(data.postcode.as_str()))
            .one(db)
            .await?
            .is_some();
        if exists {
            checked.errors.push(RowError {
                line,
                messages: vec![format!(
                    "kvk_nummer: KvK-nummer {} op postcode {} staat al in het register.",
                    data.kvk_number.as_str(),
                    data.postcode.as_str()
                )],
            });
        } else {
            still_valid.push((line, data));
        }
    }
    checked.valid = still_valid;
    checked.errors.sort_by_key(|e| e.line);
    Ok(checked)
}

/// The pure part of checking: the file's shape and each row on its own and against earlier rows.
pub fn check_rows(bytes: &[u8], index: &MunicipalityIndex) -> CheckedFile {
    let mut checked = CheckedFile::default();
    let Ok(text) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) else {
        checked.file_error =
            Some("Het bestand is geen UTF-8-tekst. Sla het op als 'CSV UTF-8'.".into());
        return checked;
    };
    let header_line = text.lines().next().unwrap_or_default();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter_of(header_line))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(_) => {
            checked.file_error =
                Some("De eerste regel met kolomnamen kon niet worden gelezen.".into());
            return checked;
        }
    };
    let mut positions: HashMap<&str, usize> = HashMap::new();
    let mut missing = Vec::new();
    for (name, aliases, required) in COLUMNS {
        match headers
            .iter()
            .position(|h| h == name || aliases.contains(&h.as_str()))
        {
            Some(i) => {
                positions.insert(name, i);
            }
            None if required => missing.push(name),
            None => {}
        }
    }
    if !missing.is_empty() {
        checked.file_error = Some(format!(
            "Deze kolommen ontbreken in de eerste regel: {}. Verwachte kolommen: {}.",
            missing.join(", "),
            COLUMNS
                .iter()
                .map(|(n, _, _)| *n)
                .collect::<Vec<_>>()
                .join(";")
        ));
        return checked;
    }
    // The csv crate's own line count skips blank lines; people look lines up in their editor.
    // A record's position is where parsing began, before any blank lines it skipped.
    let line_at = |byte: u64| {
        let bytes = text.as_bytes();
        let mut start = (byte as usize).min(bytes.len());
        while start < bytes.len() && (bytes[start] == b'\n' || bytes[start] == b'\r') {
            start += 1;
        }
        bytes[..start].iter().filter(|b| **b == b'\n').count() as u64 + 1
    };
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(err) => {
                let line = err.position().map_or(0, |p| line_at(p.byte()));
                checked.rows += 1;
                checked.errors.push(RowError {
                    line,
                    messages: vec!["Deze regel kon niet worden gelezen.".into()],
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        checked.rows += 1;
        let get = |name: &str| {
            let cell = positions
                .get(name)
                .and_then(|i| record.get(*i))
                .unwrap_or_default();
            // Undo the export's protection against spreadsheet formulas.
            match cell.strip_prefix('\'') {
                Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
                _ => cell.to_string(),
            }
        };
        let mut messages = Vec::new();
        let active = parse_active(&get("actief")).unwrap_or_else(|| {
            messages.push("actief: Gebruik ja of nee.".to_string());
            true
        });
        let raw = RawProvider {
            name: get("naam"),
            kvk_number: get("kvk_nummer"),
            agb_code: get("agb_code"),
            email: get("email"),
            phone: get("telefoon"),
            street: get("straat"),
            house_number: get("huisnummer"),
            postcode: get("postcode"),
            city: get("plaats"),
            municipality: get("gemeente"),
            services: split_list(&get("diensten")),
            contract_municipalities: split_list(&get("contractgemeenten")),
            active,
        };
        match input::validate(&raw, index) {
            Ok(data) if messages.is_empty() => {
                let key = (
                    data.kvk_number.as_str().to_string(),
                    data.postcode.as_str().to_string(),
                );
                if let Some(first) = seen.get(&key) {
                    checked.errors.push(RowError {
                        line,
                        messages: vec![format!(
                            "Dezelfde aanbieder (KvK-nummer en postcode) als op regel {first}."
                        )],
                    });
                } else {
                    seen.insert(key, line);
                    checked.valid.push((line, data));
                }
            }
            Ok(_) => checked.errors.push(RowError { line, messages }),
            Err(errors) => {
                messages.extend(
                    errors
                        .iter()
                        .map(|e: &FieldError| format!("{}: {}", column_of(&e.field), e.message)),
                );
                checked.errors.push(RowError { line, messages });
            }
        }
    }
    if checked.rows == 0 && checked.file_error.is_none() {
        checked.file_error =
            Some("Het bestand bevat geen aanbieders (alleen een kopregel).".into());
    }
    checked
}

/// Checks the file; stores all rows when all are valid, or only the valid ones when
/// `valid_only`. Everything stored is stored in one transaction.
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    bytes: &[u8],
    valid_only: bool,
) -> AppResult<ImportOutcome> {
    let checked = check(db, bytes).await?;
    let may_store = checked.file_error.is_none() && (checked.errors.is_empty() || valid_only);
    if !may_store || checked.valid.is_empty() {
        return Ok(ImportOutcome { checked, stored: 0 });
    }
    let txn = crate::db::begin_write(db).await?;
    for (_, data) in &checked.valid {
        queries::create_in(&txn, actor, data).await?;
    }
    txn.commit().await?;
    let stored = checked.valid.len();
    Ok(ImportOutcome { checked, stored })
}

/// The filtered list as CSV in the import format (`;`, UTF-8 with BOM, so Excel opens it).
pub async fn export(db: &DatabaseConnection, providers: &[provider::Model]) -> AppResult<Vec<u8>> {
    let ids: Vec<_> = providers.iter().map(|p| p.id).collect();
    let mut contracts = queries::contracts(db, &ids).await?;
    let header: Vec<&str> = COLUMNS.iter().map(|(name, _, _)| *name).collect();
    let mut sheet = Sheet::new(&header)?;
    for p in providers {
        let services: Vec<&str> = queries::services_of(p).iter().map(|s| s.code()).collect();
        let row = [
            p.name.clone(),
            p.kvk_number.clone(),
            p.agb_code.clone().unwrap_or_default(),
            p.email.clone(),
            p.phone.clone().unwrap_or_default(),
            p.street.clone(),
            p.house_number.clone(),
            p.postcode.clone(),
            p.city.clone(),
            p.municipality_code.clone(),
            services.join(", "),
            contracts.remove(&p.id).unwrap_or_default().join(", "),
            if p.active { "ja" } else { "nee" }.to_string(),
        ];
        sheet.row(&row)?;
    }
    sheet.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::entities::municipality;
    use crate::web::csv::spreadsheet_safe;

    fn index() -> MunicipalityIndex {
        let m = |code: &str, name: &str| municipality::Model {
            code: code.into(),
            name: name.into(),
            province: "Overijssel".into(),
            cbs_region_code: "GG1106".into(),
            supervising_region_code: None,
        };
        MunicipalityIndex::new(vec![m("GM0153", "Enschede"), m("GM0164", "Hengelo")])
    }

    const HEADER: &str = "Naam;KvK-nummer;AGB-code;E-mail;Telefoon;Straat;Huisnummer;Postcode;Plaats;Gemeente;Diensten;Contractgemeenten;Actief";

    #[test]
    fn a_semicolon_file_with_bom_and_dutch_headers_is_read() {
        let file = format!(
            "\u{feff}{HEADER}\nDe Linde;61234570;;info@delinde.example;053 480 1200;Lindenlaan;12a;7522ab;Enschede;Enschede;begeleiding, dagbesteding;GM0153|Hengelo;ja\n"
        );
        let checked = check_rows(file.as_bytes(), &index());
        assert_eq!(checked.file_error, None);
        assert_eq!(checked.errors, []);
        assert_eq!(checked.rows, 1);
        let (line, data) = &checked.valid[0];
        assert_eq!(*line, 2);
        assert_eq!(data.contract_municipalities, ["GM0153", "GM0164"]);
        assert_eq!(data.services.len(), 2);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_column() {
        let file = "naam,kvk_nummer,email,straat,huisnummer,postcode,plaats,gemeente,diensten\n\
                    Goed,11112222,a@b.nl,Straat,1,7511 AA,Enschede,GM0153,begeleiding\n\
                    Fout,123,a@b.nl,Straat,1,0511 AA,Enschede,GM0153,begeleiding\n\
                    \n\
                    Dubbel,11112222,c@d.nl,Weg,2,7511AA,Enschede,GM0153,vervoer\n";
        let checked = check_rows(file.as_bytes(), &index());
        assert_eq!(checked.rows, 3);
        assert_eq!(checked.valid.len(), 1);
        assert_eq!(checked.errors.len(), 2);
        assert_eq!(checked.errors[0].line, 3);
        assert!(
            checked.errors[0]
                .messages
                .iter()
                .any(|m| m.starts_with("kvk_nummer: "))
        );
        assert!(
            checked.errors[0]
                .messages
                .iter()
                .any(|m| m.starts_with("postcode: "))
        );
        assert_eq!(checked.errors[1].line, 5);
        assert!(checked.errors[1].messages[0].contains("regel 2"));
    }

    #[test]
    fn formulas_are_neutralised_on_export_and_restored_on_import() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("Zorg & Co"), "Zorg & Co");
        let file = format!(
            "{HEADER}\n'=Zorg;61234570;;info@z.example;;Markt;1;7511 AA;Enschede;Enschede;begeleiding;;ja\n"
        );
        let checked = check_rows(file.as_bytes(), &index());
        assert_eq!(checked.valid[0].1.name, "=Zorg");
    }

    #[test]
    fn missing_columns_and_empty_files_are_file_errors() {
        let checked = check_rows(b"naam;kvk_nummer\nX;11112222\n", &index());
        assert!(checked.file_error.unwrap().contains("postcode"));
        let checked = check_rows(HEADER.as_bytes(), &index());
        assert!(checked.file_error.unwrap().contains("geen aanbieders"));
        let checked = check_rows(b"\xff\xfe n a a m", &index());
        assert!(checked.file_error.unwrap().contains("UTF-8"));
    }
}
