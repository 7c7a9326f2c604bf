//! Scoring a visit against its framework version: each save sets the ratings it names and keeps
//! the others (a tablet that saves one criterion at a time loses nothing), so saving twice is the
//! same as saving once.
use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::audit::{self, Actor};
use crate::db::entities::{visit, visit_rating};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult, FieldError, Problem};
use crate::framework::domain::{FrameworkDoc, Rating};
use crate::visits::queries::{self, Scope};
use crate::visits::rules::VisitStatus;
use crate::visits::scoring::{self, ThemeScore};
use crate::web::current_user::CurrentUser;
use crate::web::json::ApiJson;
use crate::web::parse_id;

/// Every criterion may carry a finding of up to 5000 characters, so a whole assessment can be
/// larger than the 64 KiB other requests get.
pub const MAX_BODY: usize = 512 * 1024;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct RatingInput {
    /// Criterion code of the visit's framework version, e.g. `A1`.
    pub criterion: String,
    /// `voldoet`, `voldoet_deels`, `voldoet_niet`, `niet_beoordeeld` or `nvt`.
    pub rating: String,
    /// Required for `voldoet_deels` and `voldoet_niet`: what the inspector saw.
    pub finding: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AssessmentRequest {
    pub ratings: Vec<RatingInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentView {
    pub ratings: Vec<RatingInput>,
    pub theme_scores: Vec<ThemeScore>,
    pub overall_pct: Option<f64>,
}

/// A rating that passed the checks, its criterion code normalised.
pub struct CheckedRating {
    pub criterion: String,
    pub rating: Rating,
    pub finding: Option<String>,
}

/// The checked ratings, or every problem with its `ratings[i].field`.
pub fn check(
    framework: &FrameworkDoc,
    ratings: &[RatingInput],
) -> Result<Vec<CheckedRating>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut seen = HashMap::new();
    let mut checked = Vec::new();
    for (i, input) in ratings.iter().enumerate() {
        let code = input.criterion.trim().to_uppercase();
        if framework.criterion(&code).is_none() {
            errors.push(FieldError::new(
                format!("ratings[{i}].criterion"),
                format!(
                    "Criterium '{}' bestaat niet in dit toetsingskader.",
                    input.criterion.trim()
                ),
            ));
            continue;
        }
        if let Some(first) = seen.insert(code.clone(), i) {
            errors.push(FieldError::new(
                format!("ratings[{i}].criterion"),
                format!("Criterium {code} staat ook al op plaats {first}."),
            ));
            continue;
        }
        let Some(rating) = Rating::parse(input.rating.trim()) else {
            errors.push(FieldError::new(
                format!("ratings[{i}].rating"),
                "Kies voldoet, voldoet_deels, voldoet_niet, niet_beoordeeld of nvt.",
            ));
            continue;
        };
        let finding = input
            .finding
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::to_string);
        if matches!(rating, Rating::VoldoetDeels | Rating::VoldoetNiet) && finding.is_none() {
            errors.push(FieldError::new(format!("ratings[{i}].finding"), "Beschrijf wat u zag: bij 'voldoet deels' en 'voldoet niet' is een bevinding verplicht."));
            continue;
        }
        if finding.as_deref().is_some_and(|f| f.chars().count() > 5000) {
            errors.push(FieldError::new(
                format!("ratings[{i}].finding"),
                "De bevinding is te lang (hoogstens 5000 tekens).",
            ));
            continue;
        }
        checked.push(CheckedRating {
            criterion: code,
            rating,
            finding,
        });
    }
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(errors)
    }
}

/// The visit's ratings in framework order, with its scores.
pub async fn view<C: ConnectionTrait>(
    db: &C,
    framework: &FrameworkDoc,
    visit_id: Uuid,
) -> AppResult<AssessmentView> {
    let stored = visit_rating::Entity::find()
        .filter(visit_rating::Column::VisitId.eq(visit_id))
        .order_by_asc(visit_rating::Column::CriterionCode)
        .all(db)
        .await?;
    let mut by_code: HashMap<String, visit_rating::Model> = stored
        .into_iter()
        .map(|r| (r.criterion_code.clone(), r))
        .collect();
    let scores = scores_of(framework, by_code.values());
    let mut ratings = Vec::new();
    for (_, criterion) in framework.criteria() {
        if let Some(r) = by_code.remove(&criterion.code) {
            ratings.push(RatingInput {
                criterion: r.criterion_code,
                rating: r.rating,
                finding: r.finding,
            });
        }
    }
    Ok(AssessmentView {
        ratings,
        theme_scores: scores.theme_scores,
        overall_pct: scores.overall_pct,
    })
}

/// The scores of a visit's stored ratings against its framework: the one computation behind the
/// API, the pages, the report export and the open data. Ratings of criteria outside the framework
/// do not count.
pub fn scores_of<'a>(
    framework: &FrameworkDoc,
    stored: impl IntoIterator<Item = &'a visit_rating::Model>,
) -> scoring::Scores {
    let by_code: HashMap<&str, &str> = stored
        .into_iter()
        .map(|r| (r.criterion_code.as_str(), r.rating.as_str()))
        .collect();
    let for_scoring: Vec<(String, Rating)> = framework
        .criteria()
        .filter_map(|(theme, criterion)| {
            let rating = Rating::parse(by_code.get(criterion.code.as_str())?)?;
            Some((theme.code.clone(), rating))
        })
        .collect();
    let themes: Vec<String> = framework.themes.iter().map(|t| t.code.clone()).collect();
    scoring::score(&themes, &for_scoring)
}

pub async fn framework_of<C: ConnectionTrait>(
    db: &C,
    visit: &visit::Model,
) -> AppResult<FrameworkDoc> {
    crate::framework::queries::by_id(db, visit.framework_version_id)
        .await?
        .ok_or_else(|| AppError::internal("visit refers to a missing framework version"))
}

pub async fn save(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: &Actor,
    id: Uuid,
    ratings: &[RatingInput],
) -> AppResult<AssessmentView> {
    let txn = crate::db::begin_write(db).await?;
    let found = queries::find(&txn, scope, id).await?;
    if found.status != VisitStatus::Gepland.as_str() {
        return Err(AppError::Conflict(
            "Een geannuleerd of afgerond bezoek kan niet meer worden beoordeeld.".into(),
        ));
    }
    let framework = framework_of(&txn, &found).await?;
    let checked = check(&framework, ratings).map_err(AppError::Validation)?;
    let now = Utc::now();
    if !checked.is_empty() {
        visit_rating::Entity::insert_many(checked.iter().map(|c| visit_rating::ActiveModel {
            visit_id: Set(found.id),
            criterion_code: Set(c.criterion.clone()),
            rating: Set(c.rating.as_str().into()),
            finding: Set(c.finding.clone()),
            updated_at: Set(now),
        }))
        .on_conflict(
            OnConflict::columns([
                visit_rating::Column::VisitId,
                visit_rating::Column::CriterionCode,
            ])
            .update_columns([
                visit_rating::Column::Rating,
                visit_rating::Column::Finding,
                visit_rating::Column::UpdatedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        let changes = checked
            .iter()
            .map(|c| (c.criterion.clone(), serde_json::json!(c.rating.as_str())))
            .collect();
        audit::record(
            &txn,
            actor,
            "visit.assessed",
            "visit",
            &found.id.to_string(),
            changes,
        )
        .await?;
    }
    let result = view(&txn, &framework, found.id).await?;
    txn.commit().await?;
    Ok(result)
}

fn assessor(user: &CurrentUser) -> AppResult<Scope> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    Ok(Scope::of(user))
}

/// Record ratings and findings (inspector of the region); returns all ratings and the scores.
#[utoipa::path(put, path = "/visits/{id}/assessment", tag = "visits", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = AssessmentRequest,
    responses((status = 200, body = AssessmentView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, description = "Cancelled or completed", body = Problem), (status = 422, body = Problem)))]
pub async fn put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AssessmentRequest>,
) -> AppResult<Json<AssessmentView>> {
    let scope = assessor(&user)?;
    Ok(Json(
        save(
            &state.db,
            &scope,
            &Actor::from(&user),
            parse_id(&id)?,
            &body.ratings,
        )
        .await?,
    ))
}

/// The ratings recorded so far, with the scores.
#[utoipa::path(get, path = "/visits/{id}/assessment", tag = "visits", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = AssessmentView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<AssessmentView>> {
    let scope = assessor(&user)?;
    let found = queries::find(&state.db, &scope, parse_id(&id)?).await?;
    let framework = framework_of(&state.db, &found).await?;
    Ok(Json(view(&state.db, &framework, found.id).await?))
}
