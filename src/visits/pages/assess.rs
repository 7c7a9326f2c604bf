//! `/bezoeken/{id}/beoordeling`: the assessment on a tablet. Every criterion of the visit's
//! framework version with its rating, finding and the previous visit's rating. The page works
//! as one plain form; with JavaScript (`static/assessment.js`) each criterion is saved the moment
//! it changes, one request at a time, and kept on the device until the server has it, so a
//! dropped connection or a reload loses nothing. Saving the same criterion twice changes nothing.
use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::app::AppState;
use crate::audit::Actor;
use crate::db::entities::{improvement_point, provider, visit, visit_rating};
use crate::domain::text::{day_nl, percent_nl};
use crate::error::{AppError, AppResult, FieldError};
use crate::framework::domain::{FrameworkDoc, Rating};
use crate::visits::assessment::{self, AssessmentView, RatingInput, framework_of};
use crate::visits::pages::common::staff;
use crate::visits::queries;
use crate::visits::rules::VisitStatus;
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::current_user::CurrentUser;
use crate::web::parse_id;
use crate::web::templates::{Layout, SummaryItem};

#[derive(Serialize)]
struct Level {
    value: &'static str,
    label: String,
    checked: bool,
}

#[derive(Serialize)]
struct CriterionBlock {
    code: String,
    title: String,
    description: String,
    levels: Vec<Level>,
    finding: String,
    previous: Option<String>,
    /// An open improvement point this heronderzoek re-examines.
    follow_up: bool,
    error: Option<String>,
}

#[derive(Serialize)]
struct ThemeBlock {
    code: String,
    title: String,
    score: String,
    assessed: u32,
    criteria: Vec<CriterionBlock>,
}

#[derive(Serialize)]
struct AssessPage {
    #[serde(flatten)]
    layout: Layout,
    visit_id: String,
    user_id: String,
    provider: String,
    day: String,
    editable: bool,
    overall: String,
    themes: Vec<ThemeBlock>,
    previous_day: Option<String>,
    summary: Vec<SummaryItem>,
    has_errors: bool,
}

/// What the page shows for each criterion: the stored rating, or what was just typed.
type Entered = HashMap<String, (String, String)>;

async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<(visit::Model, FrameworkDoc)> {
    let scope = staff(user)?;
    let found = queries::find(&state.db, &scope, parse_id(id)?).await?;
    let framework = framework_of(&state.db, &found).await?;
    Ok((found, framework))
}

async fn stored(state: &AppState, visit_id: uuid::Uuid) -> AppResult<Entered> {
    Ok(visit_rating::Entity::find()
        .filter(visit_rating::Column::VisitId.eq(visit_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.criterion_code, (r.rating, r.finding.unwrap_or_default())))
        .collect())
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    found: &visit::Model,
    framework: &FrameworkDoc,
    entered: &Entered,
    errors: &HashMap<String, String>,
) -> AppResult<Response> {
    let scores = assessment::view(&state.db, framework, found.id).await?;
    let previous = queries::previous_completed(&state.db, found).await?;
    let before = match &previous {
        Some(p) => stored(state, p.id).await?,
        None => HashMap::new(),
    };
    let point_ids = queries::links(&state.db, &[found.id])
        .await?
        .remove(&found.id)
        .unwrap_or_default()
        .improvement_points;
    let follow_up: Vec<String> = if point_ids.is_empty() {
        Vec::new()
    } else {
        improvement_point::Entity::find()
            .filter(improvement_point::Column::Id.is_in(point_ids))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|p| p.criterion_code)
            .collect()
    };
    let label = |code: &str| {
        Rating::parse(code)
            .and_then(|r| framework.rating(r))
            .map(|l| l.label.clone())
    };
    let themes = framework
        .themes
        .iter()
        .map(|t| {
            let own = scores.theme_scores.iter().find(|s| s.theme == t.code);
            ThemeBlock {
                code: t.code.clone(),
                title: t.title.clone(),
                score: percent_nl(own.and_then(|s| s.score_pct)),
                assessed: own.map_or(0, |s| s.assessed),
                criteria: t
                    .criteria
                    .iter()
                    .map(|c| {
                        let (rating, finding) = entered.get(&c.code).cloned().unwrap_or_default();
                        CriterionBlock {
                            code: c.code.clone(),
                            title: c.title.clone(),
                            description: c.description.clone(),
                            levels: framework
                                .ratings
                                .iter()
                                .map(|l| Level {
                                    value: l.code.as_str(),
                                    label: l.label.clone(),
                                    checked: l.code.as_str() == rating,
                                })
                                .collect(),
                            finding,
                            previous: before.get(&c.code).and_then(|(r, f)| {
                                label(r).map(|l| {
                                    if f.is_empty() {
                                        l
                                    } else {
                                        format!("{l} — {f}")
                                    }
                                })
                            }),
                            follow_up: follow_up.contains(&c.code),
                            error: errors.get(&c.code).cloned(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let provider_name = provider::Entity::find_by_id(found.provider_id)
        .one(&state.db)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let mut summary: Vec<SummaryItem> = errors
        .iter()
        .map(|(code, message)| SummaryItem {
            href: format!("#finding-{code}"),
            message: format!("{code}: {message}"),
        })
        .collect();
    summary.sort_by(|a, b| a.href.cmp(&b.href));
    let page = AssessPage {
        layout: Layout::new(
            format!("Beoordeling {provider_name}"),
            Some(user),
            &csrf.value,
            "/bezoeken",
        )
        .with_script("assessment.js"),
        visit_id: found.id.to_string(),
        user_id: user.id.to_string(),
        provider: provider_name,
        day: day_nl(found.starts_at),
        editable: found.status == VisitStatus::Gepland.as_str(),
        overall: percent_nl(scores.overall_pct),
        themes,
        previous_day: previous.map(|p| day_nl(p.starts_at)),
        has_errors: !summary.is_empty(),
        summary,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        status,
        csrf.clone(),
        state.templates.page("visits/assess", &page)?,
    )
        .into_response())
}

pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (found, framework) = load(&state, &user, &id).await?;
    let entered = stored(&state, found.id).await?;
    render(
        &state,
        &user,
        &csrf,
        &found,
        &framework,
        &entered,
        &HashMap::new(),
    )
    .await
}

/// The ratings a submitted form holds: `rating_A1` and `finding_A1` per criterion.
fn read(framework: &FrameworkDoc, fields: &[(String, String)]) -> (Entered, Vec<RatingInput>) {
    let value = |name: String| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    };
    let mut entered = HashMap::new();
    let mut inputs = Vec::new();
    for (_, c) in framework.criteria() {
        let rating = value(format!("rating_{}", c.code)).unwrap_or_default();
        let finding = value(format!("finding_{}", c.code)).unwrap_or_default();
        if !rating.is_empty() {
            inputs.push(RatingInput {
                criterion: c.code.clone(),
                rating: rating.clone(),
                finding: Some(finding.clone()),
            });
        }
        entered.insert(c.code.clone(), (rating, finding));
    }
    (entered, inputs)
}

/// The plain form's submit: all ratings at once, all or nothing.
pub async fn save_all(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (found, framework) = load(&state, &user, &id).await?;
    let (entered, inputs) = read(&framework, &fields);
    // A finding typed without a rating would otherwise vanish without a word.
    let unrated: HashMap<String, String> = entered
        .iter()
        .filter(|(_, (rating, finding))| rating.is_empty() && !finding.trim().is_empty())
        .map(|(code, _)| {
            let message = "Kies een oordeel bij deze bevinding.".to_string();
            (code.clone(), message)
        })
        .collect();
    if !unrated.is_empty() {
        return render(&state, &user, &csrf, &found, &framework, &entered, &unrated).await;
    }
    let scope = queries::Scope::of(&user);
    match assessment::save(&state.db, &scope, &Actor::from(&user), found.id, &inputs).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/bezoeken/{}?melding=opgeslagen", found.id)).into_response())
        }
        Err(AppError::Validation(problems)) => {
            let errors = by_criterion(&inputs, &problems);
            render(&state, &user, &csrf, &found, &framework, &entered, &errors).await
        }
        Err(other) => Err(other),
    }
}

/// `ratings[3].finding` → the criterion of the fourth input.
fn by_criterion(inputs: &[RatingInput], problems: &[FieldError]) -> HashMap<String, String> {
    problems
        .iter()
        .filter_map(|p| {
            let index: usize = p
                .field
                .strip_prefix("ratings[")?
                .split(']')
                .next()?
                .parse()
                .ok()?;
            Some((inputs.get(index)?.criterion.clone(), p.message.clone()))
        })
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct OneRating {
    #[serde(default)]
    criterion: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    finding: String,
}

#[derive(Serialize)]
struct Saved {
    criterion: String,
    overall: String,
    themes: Vec<serde_json::Value>,
}

fn scores_json(criterion: String, view: &AssessmentView) -> Saved {
    Saved {
        criterion,
        overall: percent_nl(view.overall_pct),
        themes: view
            .theme_scores
            .iter()
            .map(|t| json!({"theme": t.theme, "score": percent_nl(t.score_pct), "assessed": t.assessed}))
            .collect(),
    }
}

/// One criterion from the page's script: JSON back with the new scores, or the problem.
pub async fn save_one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(one): CsrfForm<OneRating>,
) -> AppResult<Response> {
    let scope = staff(&user)?;
    let visit_id = parse_id(&id)?;
    let input = RatingInput {
        criterion: one.criterion.clone(),
        rating: one.rating,
        finding: Some(one.finding),
    };
    match assessment::save(
        &state.db,
        &scope,
        &Actor::from(&user),
        visit_id,
        std::slice::from_ref(&input),
    )
    .await
    {
        Ok(view) => Ok(Json(scores_json(one.criterion, &view)).into_response()),
        Err(AppError::Validation(problems)) => {
            let message = problems
                .first()
                .map(|p| p.message.clone())
                .unwrap_or_default();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({"criterion": one.criterion, "message": message})),
            )
                .into_response())
        }
        Err(AppError::Conflict(message)) => Ok((
            StatusCode::CONFLICT,
            Json(json!({"criterion": one.criterion, "message": message})),
        )
            .into_response()),
        Err(other) => Err(other),
    }
}
