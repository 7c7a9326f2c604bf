//! Reference data shipped in `fixtures/` and compiled into the binary: the 25 GGD regions and 342
//! municipalities of CBS 2025, loaded on every start in one transaction and idempotent (names are
//! refreshed, an admin's override of the supervising region is never touched); then the seeded
//! assessment framework (`framework::seed`, added once, never overwritten).
use std::collections::BTreeMap;

use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, Set};

use super::entities::{municipality, region};

const MUNICIPALITIES_CSV: &str = include_str!("../../fixtures/gemeenten-ggd-2025.csv");

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct MunicipalityRow {
    pub gm_code: String,
    pub gemeente_naam: String,
    pub provincie: String,
    pub ggd_code: String,
    pub ggd_naam: String,
}

/// Parses and checks the fixture; a broken fixture is a build defect, reported by a unit test.
pub fn municipality_rows() -> Result<Vec<MunicipalityRow>, String> {
    let mut reader = csv::Reader::from_reader(MUNICIPALITIES_CSV.as_bytes());
    let mut rows = Vec::new();
    for (index, record) in reader.deserialize::<MunicipalityRow>().enumerate() {
        let row = record.map_err(|err| format!("regel {}: {err}", index + 2))?;
        let code_ok = |code: &str, prefix: &str| {
            code.len() == 6
                && code.starts_with(prefix)
                && code[2..].chars().all(|c| c.is_ascii_digit())
        };
        if !code_ok(&row.gm_code, "GM") || !code_ok(&row.ggd_code, "GG") {
            return Err(format!("regel {}: ongeldige code", index + 2));
        }
        rows.push(row);
    }
    Ok(rows)
}

pub async fn load_reference_data(db: &DatabaseConnection) -> Result<(), DbErr> {
    let rows = municipality_rows().map_err(DbErr::Custom)?;
    let regions: BTreeMap<&str, &str> = rows
        .iter()
        .map(|row| (row.ggd_code.as_str(), row.ggd_naam.as_str()))
        .collect();

    let txn = crate::db::begin_write(db).await?;
    region::Entity::insert_many(regions.iter().map(|(code, name)| region::ActiveModel {
        code: Set(code.to_string()),
        name: Set(name.to_string()),
    }))
    .on_conflict(
        OnConflict::column(region::Column::Code)
            .update_column(region::Column::Name)
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    municipality::Entity::insert_many(rows.iter().map(|row| municipality::ActiveModel {
        code: Set(row.gm_code.clone()),
        name: Set(row.gemeente_naam.clone()),
        province: Set(row.provincie.clone()),
        cbs_region_code: Set(row.ggd_code.clone()),
        supervising_region_code: Set(None),
    }))
    .on_conflict(
        OnConflict::column(municipality::Column::Code)
            .update_columns([
                municipality::Column::Name,
                municipality::Column::Province,
                municipality::Column::CbsRegionCode,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    crate::framework::seed::load(db).await
}

#[cfg(test)]
mod tests {
    use super::municipality_rows;
    use std::collections::BTreeSet;

    #[test]
    fn fixture_holds_342_municipalities_in_25_regions() {
        let rows = municipality_rows().expect("fixture parses");
        assert_eq!(rows.len(), 342);
        let regions: BTreeSet<_> = rows.iter().map(|r| r.ggd_code.as_str()).collect();
        assert_eq!(regions.len(), 25);
        let codes: BTreeSet<_> = rows.iter().map(|r| r.gm_code.as_str()).collect();
        assert_eq!(codes.len(), 342, "municipality codes are unique");
    }

    #[test]
    fn spot_checks_of_the_provenance_note_hold() {
        let rows = municipality_rows().unwrap();
        let count = |code: &str| rows.iter().filter(|r| r.ggd_code == code).count();
        assert_eq!(count("GG1106"), 14, "GGD Twente");
        assert_eq!(count("GG7014"), 9, "GGD Haaglanden");
        assert_eq!(count("GG3406"), 6, "GGD Amsterdam");
        let name_with_comma = rows.iter().find(|r| r.gm_code == "GM0820").unwrap();
        assert_eq!(
            name_with_comma.gemeente_naam,
            "Nuenen, Gerwen en Nederwetten"
        );
    }
}
