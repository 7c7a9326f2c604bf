//! What the report spreadsheets need besides the reports themselves, loaded in a few queries for
//! the whole list: visits, providers, and the scores — computed from the ratings exactly as the
//! API does (`assessment::scores_of`), so the numbers in a file equal those of `GET /reports/{id}`.
use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::db::entities::{provider, report, visit, visit_rating};
use crate::error::AppResult;
use crate::framework::domain::FrameworkDoc;
use crate::framework::queries as frameworks;
use crate::visits::assessment::scores_of;
use crate::visits::scoring::Scores;

pub struct Table {
    pub visits: HashMap<Uuid, visit::Model>,
    pub providers: HashMap<Uuid, provider::Model>,
    /// By visit id.
    pub scores: HashMap<Uuid, Scores>,
    /// The frameworks the visits were scored against, by id.
    pub frameworks: HashMap<Uuid, FrameworkDoc>,
}

impl Table {
    pub async fn load<C: ConnectionTrait>(db: &C, reports: &[report::Model]) -> AppResult<Table> {
        let visit_ids: Vec<Uuid> = reports.iter().map(|r| r.visit_id).collect();
        let provider_ids: Vec<Uuid> = reports.iter().map(|r| r.provider_id).collect();
        if reports.is_empty() {
            return Ok(Table {
                visits: HashMap::new(),
                providers: HashMap::new(),
                scores: HashMap::new(),
                frameworks: HashMap::new(),
            });
        }
        let visits: HashMap<Uuid, visit::Model> = visit::Entity::find()
            .filter(visit::Column::Id.is_in(visit_ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
        let providers = provider::Entity::find()
            .filter(provider::Column::Id.is_in(provider_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut ratings: HashMap<Uuid, Vec<visit_rating::Model>> = HashMap::new();
        for r in visit_rating::Entity::find()
            .filter(visit_rating::Column::VisitId.is_in(visit_ids))
            .all(db)
            .await?
        {
            ratings.entry(r.visit_id).or_default().push(r);
        }
        // Few versions exist; each is read once however many visits used it.
        let versions: HashSet<Uuid> = visits.values().map(|v| v.framework_version_id).collect();
        let mut frameworks: HashMap<Uuid, FrameworkDoc> = HashMap::new();
        for version in versions {
            if let Some(doc) = frameworks::by_id(db, version).await? {
                frameworks.insert(version, doc);
            }
        }
        let mut scores = HashMap::new();
        for v in visits.values() {
            if let Some(doc) = frameworks.get(&v.framework_version_id) {
                let stored = ratings.remove(&v.id).unwrap_or_default();
                scores.insert(v.id, scores_of(doc, &stored));
            }
        }
        Ok(Table {
            visits,
            providers,
            scores,
            frameworks,
        })
    }

    pub fn scores_of(&self, report: &report::Model) -> Option<&Scores> {
        self.scores.get(&report.visit_id)
    }
}
