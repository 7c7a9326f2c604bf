//! `/beheer/gemeenten`: the admin's page to let another GGD region supervise a municipality.
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use crate::regions::queries;
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::current_user::CurrentUser;
use crate::web::templates::Layout;

const PATH: &str = "/beheer/gemeenten";
/// The select option that returns a municipality to its CBS region.
const CBS_DEFAULT: &str = "cbs";

#[derive(Debug, Default, Deserialize)]
pub struct OverrideForm {
    #[serde(default)]
    municipality_code: String,
    #[serde(default)]
    region_code: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    gewijzigd: Option<String>,
}

#[derive(Serialize)]
struct SelectOption {
    code: String,
    name: String,
    selected: bool,
}

#[derive(Serialize)]
struct OverrideRow {
    municipality: String,
    cbs_region: String,
    supervising_region: String,
}

#[derive(Serialize)]
struct MunicipalitiesPage {
    #[serde(flatten)]
    layout: Layout,
    municipalities: Vec<SelectOption>,
    regions: Vec<SelectOption>,
    overrides: Vec<OverrideRow>,
    changed: Option<String>,
    municipality_error: Option<String>,
    region_error: Option<String>,
    has_errors: bool,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    form: &OverrideForm,
    changed: Option<String>,
    errors: (Option<String>, Option<String>),
) -> AppResult<Html<String>> {
    let all = queries::regions_with_municipalities(&state.db).await?;
    let region_name = |code: &str| {
        all.iter()
            .find(|(r, _)| r.code == code)
            .map(|(r, _)| r.name.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let mut municipalities: Vec<_> = all.iter().flat_map(|(_, ms)| ms.iter()).collect();
    municipalities.sort_by(|a, b| a.name.cmp(&b.name));
    let overrides = municipalities
        .iter()
        .filter(|m| m.supervising_region_code.is_some())
        .map(|m| OverrideRow {
            municipality: m.name.clone(),
            cbs_region: region_name(&m.cbs_region_code),
            supervising_region: region_name(m.region_code()),
        })
        .collect();
    let page = MunicipalitiesPage {
        layout: Layout::new("Gemeenten en GGD-regio's", Some(user), &csrf.value, PATH),
        municipalities: municipalities
            .iter()
            .map(|m| SelectOption {
                code: m.code.clone(),
                name: format!("{} ({})", m.name, region_name(m.region_code())),
                selected: m.code == form.municipality_code,
            })
            .collect(),
        regions: all
            .iter()
            .map(|(r, _)| SelectOption {
                code: r.code.clone(),
                name: r.name.clone(),
                selected: r.code == form.region_code,
            })
            .collect(),
        overrides,
        changed,
        has_errors: errors.0.is_some() || errors.1.is_some(),
        municipality_error: errors.0,
        region_error: errors.1,
    };
    state.templates.page("regions/municipalities", &page)
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Query(query): Query<PageQuery>,
) -> AppResult<(CsrfToken, Html<String>)> {
    user.require_role(&[Role::Admin])?;
    let html = render(
        &state,
        &user,
        &csrf,
        &OverrideForm::default(),
        query.gewijzigd,
        (None, None),
    )
    .await?;
    Ok((csrf, html))
}

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<OverrideForm>,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let region = match form.region_code.as_str() {
        CBS_DEFAULT => None,
        code => Some(code),
    };
    let failure = if form.municipality_code.is_empty() {
        (Some("Kies een gemeente.".to_string()), None)
    } else if form.region_code.is_empty() {
        (None, Some("Kies een GGD-regio.".to_string()))
    } else {
        match queries::set_supervising_region(
            &state.db,
            &crate::audit::Actor::from(&user),
            &form.municipality_code,
            region,
        )
        .await
        {
            Ok(updated) => {
                tracing::info!(user_id = %user.id, municipality = %updated.code, region = %updated.region_code(), "supervising region set");
                let target = format!(
                    "{PATH}?gewijzigd={}",
                    crate::web::form_urlencode(&updated.name)
                );
                return Ok(Redirect::to(&target).into_response());
            }
            Err(AppError::NotFound) => (Some("Deze gemeente bestaat niet.".to_string()), None),
            Err(AppError::Validation(_)) => {
                (None, Some("Deze GGD-regio bestaat niet.".to_string()))
            }
            Err(other) => return Err(other),
        }
    };
    let html = render(&state, &user, &csrf, &form, None, failure).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, html).into_response())
}
