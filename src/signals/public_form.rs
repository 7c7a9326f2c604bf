//! `/melding`: the public signal form. No account, no JavaScript needed; what the person typed is
//! never lost on a mistake.
use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::error::{AppError, AppResult, FieldError};
use crate::providers::queries::public_search;
use crate::regions::queries::regions_with_municipalities;
use crate::signals::api::{client_key, file_signal};
use crate::signals::input::RawSignal;
use crate::signals::rules::{Category, ReporterRole};
use crate::web::client_addr::ClientAddr;
use crate::web::csrf::{self, CsrfToken, UncheckedForm};
use crate::web::templates::Layout;

#[derive(Debug, Default, Deserialize, Clone)]
pub struct SearchQuery {
    #[serde(default)]
    zoek: String,
    #[serde(default)]
    gemeente: String,
}

#[derive(Debug, Default, Deserialize, Clone)]
pub struct SignalForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    zoek: String,
    #[serde(default)]
    gemeente: String,
    #[serde(default)]
    provider_id: String,
    #[serde(default)]
    provider_name: String,
    #[serde(default)]
    municipality_code: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    occurred_on: String,
    #[serde(default)]
    reporter_role: String,
    #[serde(default)]
    anonymous: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_email: String,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    hint: Option<&'static str>,
    checked: bool,
}

#[derive(Serialize)]
struct FormPage {
    #[serde(flatten)]
    layout: Layout,
    form_zoek: String,
    form_gemeente: String,
    searched: bool,
    found: Vec<Choice>,
    municipalities: Vec<Choice>,
    search_municipalities: Vec<Choice>,
    provider_name: String,
    categories: Vec<Choice>,
    description: String,
    occurred_on: String,
    roles: Vec<Choice>,
    anonymous_yes: bool,
    anonymous_no: bool,
    contact_name: String,
    contact_email: String,
    errors: FieldErrors,
    summary: Vec<(String, String)>,
    has_errors: bool,
    message: Option<String>,
}

/// One message per field; every key present, so strict templates can ask for any of them.
#[derive(Serialize, Default)]
struct FieldErrors {
    provider_id: Option<String>,
    provider_name: Option<String>,
    municipality_code: Option<String>,
    category: Option<String>,
    description: Option<String>,
    occurred_on: Option<String>,
    reporter_role: Option<String>,
    anonymous: Option<String>,
    contact_name: Option<String>,
    contact_email: Option<String>,
}

impl FieldErrors {
    fn from_map(mut map: HashMap<String, String>) -> Self {
        FieldErrors {
            provider_id: map.remove("provider_id"),
            provider_name: map.remove("provider_name"),
            municipality_code: map.remove("municipality_code"),
            category: map.remove("category"),
            description: map.remove("description"),
            occurred_on: map.remove("occurred_on"),
            reporter_role: map.remove("reporter_role"),
            anonymous: map.remove("anonymous"),
            contact_name: map.remove("contact_name"),
            contact_email: map.remove("contact_email"),
        }
    }
}

fn category_hint(category: Category) -> Option<&'static str> {
    Some(match category {
        Category::KwaliteitZorg => "De hulp is slecht, te weinig of komt niet.",
        Category::Bejegening => "Hoe er met u of uw naaste wordt omgegaan.",
        Category::Veiligheid => "Er is gevaar, bijvoorbeeld door onveilige situaties of fouten.",
        Category::Geweld => "Lichamelijk, geestelijk of seksueel geweld, of dreiging daarmee.",
        Category::Financieel => "Problemen met geld, rekeningen of eigendommen.",
        Category::Calamiteit => "Een ernstige gebeurtenis met grote gevolgen voor een cliënt.",
        Category::Overig => "Iets anders dan hierboven.",
    })
}

async fn render(
    state: &AppState,
    csrf: &CsrfToken,
    form: &SignalForm,
    errors: Vec<FieldError>,
    message: Option<String>,
) -> AppResult<Html<String>> {
    let searched = !form.zoek.trim().is_empty();
    let found = if searched {
        let municipality = Some(form.gemeente.trim()).filter(|g| !g.is_empty());
        public_search(&state.db, Some(form.zoek.trim()), municipality)
            .await?
            .into_iter()
            .map(|p| Choice {
                checked: form.provider_id == p.id.to_string(),
                value: p.id.to_string(),
                label: format!("{} ({})", p.name, p.city),
                hint: None,
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut all: Vec<(String, String)> = regions_with_municipalities(&state.db)
        .await?
        .into_iter()
        .flat_map(|(_, ms)| ms.into_iter().map(|m| (m.code, m.name)))
        .collect();
    all.sort_by(|a, b| a.1.cmp(&b.1));
    let municipality_choices = |selected: &str| {
        all.iter()
            .map(|(code, name)| Choice {
                value: code.clone(),
                label: name.clone(),
                hint: None,
                checked: code == selected,
            })
            .collect::<Vec<_>>()
    };
    let order = [
        "provider_id",
        "provider_name",
        "municipality_code",
        "category",
        "description",
        "occurred_on",
        "reporter_role",
        "anonymous",
        "contact_name",
        "contact_email",
    ];
    let mut by_field: HashMap<String, String> = HashMap::new();
    for e in &errors {
        by_field
            .entry(e.field.clone())
            .or_insert_with(|| e.message.clone());
    }
    let summary = order
        .iter()
        .filter_map(|f| by_field.get(*f).map(|m| (format!("#{f}"), m.clone())))
        .collect::<Vec<_>>();
    let page = FormPage {
        layout: Layout::new("Melding doen", None, &csrf.value, "/melding"),
        form_zoek: form.zoek.clone(),
        form_gemeente: form.gemeente.clone(),
        searched,
        found,
        municipalities: municipality_choices(&form.municipality_code),
        search_municipalities: municipality_choices(&form.gemeente),
        provider_name: form.provider_name.clone(),
        categories: Category::ALL
            .iter()
            .map(|c| Choice {
                value: c.as_str().into(),
                label: c.label_nl().into(),
                hint: category_hint(*c),
                checked: form.category == c.as_str(),
            })
            .collect(),
        description: form.description.clone(),
        occurred_on: form.occurred_on.clone(),
        roles: ReporterRole::ALL
            .iter()
            .filter(|r| **r != ReporterRole::Aanbieder)
            .map(|r| Choice {
                value: r.as_str().into(),
                label: r.label_nl().into(),
                hint: None,
                checked: form.reporter_role == r.as_str(),
            })
            .collect(),
        anonymous_yes: form.anonymous == "ja",
        anonymous_no: form.anonymous == "nee",
        contact_name: form.contact_name.clone(),
        contact_email: form.contact_email.clone(),
        has_errors: !summary.is_empty() || message.is_some(),
        summary,
        errors: FieldErrors::from_map(by_field),
        message,
    };
    state.templates.page("signals/form", &page)
}

pub async fn form(
    State(state): State<AppState>,
    csrf: CsrfToken,
    Query(search): Query<SearchQuery>,
) -> AppResult<Response> {
    let form = SignalForm {
        zoek: search.zoek,
        gemeente: search.gemeente,
        ..Default::default()
    };
    let html = render(&state, &csrf, &form, Vec::new(), None).await?;
    Ok((csrf, html).into_response())
}

#[derive(Serialize)]
struct Confirmation {
    #[serde(flatten)]
    layout: Layout,
    reference: String,
    tracking_token: String,
    with_email: bool,
}

pub async fn submit(
    State(state): State<AppState>,
    addr: ClientAddr,
    headers: HeaderMap,
    csrf: CsrfToken,
    UncheckedForm(form): UncheckedForm<SignalForm>,
) -> AppResult<Response> {
    // A worried person must not lose a long story to an expired form: instead of the generic
    // refusal page, show the form again, filled in, with a fresh token.
    if csrf::verify(&headers, Some(form.csrf_token.as_str())).is_err() {
        let message = "Uw formulier was verlopen, daarom is uw melding nog niet verstuurd. Wat u hebt ingevuld staat er nog. Controleer het en verstuur het opnieuw.".to_string();
        let html = render(&state, &csrf, &form, Vec::new(), Some(message)).await?;
        return Ok((StatusCode::FORBIDDEN, csrf, html).into_response());
    }
    let mut errors = Vec::new();
    if form.anonymous.is_empty() {
        errors.push(FieldError::new(
            "anonymous",
            "Kies of u anoniem wilt melden.",
        ));
    }
    let raw = RawSignal {
        provider_id: Some(form.provider_id.clone()).filter(|p| !p.is_empty() && p != "anders"),
        provider_name: Some(form.provider_name.clone()),
        municipality_code: Some(form.municipality_code.clone()),
        category: form.category.clone(),
        description: form.description.clone(),
        occurred_on: Some(form.occurred_on.clone()),
        reporter_role: form.reporter_role.clone(),
        anonymous: form.anonymous == "ja",
        contact_name: Some(form.contact_name.clone()),
        contact_email: Some(form.contact_email.clone()),
    };
    let result = if errors.is_empty() {
        file_signal(&state, None, &client_key(&addr), raw, None).await
    } else {
        // Show every mistake at once, not one per attempt.
        let today = crate::domain::working_days::dutch_date(chrono::Utc::now());
        if let Err(more) = crate::signals::input::check(&raw, today) {
            errors.extend(more);
        }
        Err(AppError::Validation(errors))
    };
    match result {
        Ok(filed) => {
            let page = Confirmation {
                layout: Layout::new("Uw melding is ontvangen", None, &csrf.value, "/melding"),
                with_email: filed.signal.contact_email.is_some(),
                reference: filed.signal.reference,
                tracking_token: filed.tracking_token,
            };
            let html = state.templates.page("signals/confirmation", &page)?;
            Ok((csrf, html).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let html = render(&state, &csrf, &form, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, html).into_response())
        }
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            let message = format!(
                "Er zijn vanaf uw adres veel meldingen tegelijk gedaan. Wacht {} en verstuur het formulier dan opnieuw; wat u hebt ingevuld blijft staan.",
                crate::domain::text::duration_nl(retry_after_secs)
            );
            let html = render(&state, &csrf, &form, Vec::new(), Some(message)).await?;
            Ok((StatusCode::TOO_MANY_REQUESTS, csrf, html).into_response())
        }
        Err(other) => Err(other),
    }
}
