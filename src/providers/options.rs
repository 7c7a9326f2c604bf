//! Choices offered in the provider pages: municipalities grouped by region, services.
use sea_orm::DatabaseConnection;
use serde::Serialize;

use crate::domain::service::Service;
use crate::error::AppResult;
use crate::providers::queries::Scope;
use crate::regions::queries::regions_with_municipalities;

#[derive(Debug, Serialize)]
pub struct Choice {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Debug, Serialize)]
pub struct Group {
    pub region: String,
    /// Shown unfolded: the user's own region, or a group with a chosen municipality.
    pub open: bool,
    pub options: Vec<Choice>,
}

/// The municipalities a user may pick, grouped by supervising region: an inspector only its own
/// region's, an admin all.
pub async fn municipality_groups(
    db: &DatabaseConnection,
    scope: &Scope,
    selected: Vec<&str>,
) -> AppResult<Vec<Group>> {
    let regions = regions_with_municipalities(db).await?;
    Ok(regions
        .into_iter()
        .filter(|(region, _)| match scope {
            Scope::Region(own) => &region.code == own,
            _ => true,
        })
        .map(|(region, members)| {
            let options: Vec<Choice> = members
                .into_iter()
                .map(|m| Choice {
                    selected: selected.contains(&m.code.as_str()),
                    code: m.code,
                    name: m.name,
                })
                .collect();
            Group {
                open: matches!(scope, Scope::Region(_)) || options.iter().any(|o| o.selected),
                region: region.name,
                options,
            }
        })
        .collect())
}

pub fn service_choices(selected: &[String]) -> Vec<Choice> {
    Service::ALL
        .iter()
        .map(|s| Choice {
            code: s.code().to_string(),
            name: s.label_nl().to_string(),
            selected: selected.iter().any(|v| Service::parse(v) == Some(*s)),
        })
        .collect()
}
