//! The seeded framework, "Model toetsingskader Wmo v1" (DOMAIN.md), compiled into the binary in
//! the same JSON shape the API serves and checked by the same rules as an upload. Loaded on every
//! start: inserted only when no version of that name exists, and current only when no other
//! version is, so a version an admin published later stays current.
use chrono::Utc;
use sea_orm::{DatabaseConnection, DbErr};

use super::queries;
use super::rules::validate;
use super::upload::{FrameworkUpload, NewFramework};

const SEED_JSON: &str = include_str!("../../fixtures/framework/model-toetsingskader-wmo-v1.json");

/// The seed as a validated framework; a broken fixture is a build defect, caught by a unit test.
pub fn seed_framework() -> Result<NewFramework, String> {
    let upload: FrameworkUpload = crate::web::json::parse(SEED_JSON.as_bytes())
        .map_err(|err| format!("framework fixture: {err:?}"))?;
    validate(upload).map_err(|errors| format!("framework fixture: {errors:?}"))
}

pub async fn load(db: &DatabaseConnection) -> Result<(), DbErr> {
    let framework = seed_framework().map_err(DbErr::Custom)?;
    let txn = crate::db::begin_write(db).await?;
    if !queries::name_taken(&txn, &framework.version).await? {
        let is_current = !queries::any_current(&txn).await?;
        queries::insert(&txn, &framework, None, Utc::now(), is_current).await?;
        tracing::info!(version = %framework.version, "framework seeded");
    }
    txn.commit().await
}

#[cfg(test)]
mod tests {
    use super::seed_framework;

    #[test]
    fn the_seed_holds_the_domain_framework() {
        let seed = seed_framework().expect("fixture is valid");
        assert_eq!(seed.version, "Model toetsingskader Wmo v1");
        let themes: Vec<_> = seed.themes.iter().map(|t| t.code.as_str()).collect();
        assert_eq!(themes, ["A", "B", "C", "D", "E", "F"]);
        let criteria: Vec<_> = seed
            .themes
            .iter()
            .flat_map(|t| t.criteria.iter().map(|c| c.code.as_str()))
            .collect();
        assert_eq!(
            criteria,
            [
                "A1", "A2", "A3", "A4", "B1", "B2", "C1", "C2", "C3", "D1", "D2", "E1", "E2", "F1",
                "F2", "F3"
            ]
        );
        assert!(
            seed.themes
                .iter()
                .all(|t| t.legal_basis.starts_with("Wmo 2015 art. 3."))
        );
        assert!(
            seed.themes
                .iter()
                .flat_map(|t| &t.criteria)
                .all(|c| !c.description.is_empty()),
            "every criterion explains what the inspector looks at"
        );
    }
}
