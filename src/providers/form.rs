//! Adding and editing a provider on a page: the same checks as the API, the message beside each
//! field and in a summary at the top, and everything typed kept.
use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::app::AppState;
use crate::audit::Actor;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult, FieldError};
use crate::providers::api::{checked, raw_from_model};
use crate::providers::input::RawProvider;
use crate::providers::options::{self, Choice, Group};
use crate::providers::queries::{self, Scope};
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::current_user::CurrentUser;
use crate::web::parse_id;
use crate::web::templates::{Layout, SummaryItem};

#[derive(Serialize)]
struct TextField {
    id: &'static str,
    label: &'static str,
    value: String,
    error: Option<String>,
    hint: Option<&'static str>,
    optional: bool,
    input_type: &'static str,
    autocomplete: &'static str,
    width: &'static str,
}

#[derive(Serialize)]
struct FormPage {
    #[serde(flatten)]
    layout: Layout,
    heading: String,
    action: String,
    submit_label: &'static str,
    cancel_href: String,
    contact_only: bool,
    organisation: Vec<TextField>,
    contact: Vec<TextField>,
    address: Vec<TextField>,
    municipality_groups: Vec<Group>,
    municipality_error: Option<String>,
    services: Vec<Choice>,
    services_error: Option<String>,
    contract_groups: Vec<Group>,
    contracts_error: Option<String>,
    active: bool,
    summary: Vec<SummaryItem>,
    has_errors: bool,
}

/// The form's field for an error of the API (`address.postcode` → `postcode`, `services[1]` → `services`).
fn key_of(field: &str) -> String {
    let base = field.split('[').next().unwrap_or(field);
    base.strip_prefix("address.").unwrap_or(base).to_string()
}

fn parse_form(fields: Vec<(String, String)>) -> RawProvider {
    let mut raw = RawProvider::default();
    for (name, value) in fields {
        match name.as_str() {
            "name" => raw.name = value,
            "kvk_number" => raw.kvk_number = value,
            "agb_code" => raw.agb_code = value,
            "email" => raw.email = value,
            "phone" => raw.phone = value,
            "street" => raw.street = value,
            "house_number" => raw.house_number = value,
            "postcode" => raw.postcode = value,
            "city" => raw.city = value,
            "municipality_code" => raw.municipality = value,
            "services" => raw.services.push(value),
            "contract_municipalities" => raw.contract_municipalities.push(value),
            "active" => raw.active = value == "ja",
            _ => {}
        }
    }
    raw
}

struct Target {
    heading: String,
    action: String,
    submit_label: &'static str,
    cancel_href: String,
    contact_only: bool,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    target: Target,
    raw: &RawProvider,
    errors: &[FieldError],
) -> AppResult<axum::response::Html<String>> {
    let mut by_key: HashMap<String, String> = HashMap::new();
    for e in errors {
        by_key
            .entry(key_of(&e.field))
            .or_insert_with(|| e.message.clone());
    }
    let take = |key: &str| by_key.get(key).cloned();
    let field =
        |id: &'static str, label: &'static str, value: &str, error: Option<String>| TextField {
            id,
            label,
            value: value.to_string(),
            error,
            hint: None,
            optional: false,
            input_type: "text",
            autocomplete: "off",
            width: "",
        };
    let organisation = vec![
        TextField {
            autocomplete: "organization",
            ..field("name", "Naam", &raw.name, take("name"))
        },
        TextField {
            hint: Some("8 cijfers"),
            width: "w-10",
            ..field(
                "kvk_number",
                "KvK-nummer",
                &raw.kvk_number,
                take("kvk_number"),
            )
        },
        TextField {
            hint: Some("8 cijfers"),
            optional: true,
            width: "w-10",
            ..field("agb_code", "AGB-code", &raw.agb_code, take("agb_code"))
        },
    ];
    let contact = vec![
        TextField {
            input_type: "email",
            autocomplete: "email",
            hint: Some("Hierheen gaan de rapporten en adviezen."),
            ..field("email", "E-mailadres", &raw.email, take("email"))
        },
        TextField {
            input_type: "tel",
            autocomplete: "tel",
            optional: true,
            width: "w-20",
            ..field("phone", "Telefoonnummer", &raw.phone, take("phone"))
        },
    ];
    let address = vec![
        TextField {
            autocomplete: "address-line1",
            ..field("street", "Straat", &raw.street, take("street"))
        },
        TextField {
            hint: Some("Met toevoeging, bijvoorbeeld 12a"),
            width: "w-5",
            ..field(
                "house_number",
                "Huisnummer",
                &raw.house_number,
                take("house_number"),
            )
        },
        TextField {
            autocomplete: "postal-code",
            hint: Some("Bijvoorbeeld 7522 AB"),
            width: "w-5",
            ..field("postcode", "Postcode", &raw.postcode, take("postcode"))
        },
        TextField {
            autocomplete: "address-level2",
            width: "w-20",
            ..field("city", "Plaats", &raw.city, take("city"))
        },
    ];
    let scope = Scope::of(user);
    let summary_order = [
        "name",
        "kvk_number",
        "agb_code",
        "email",
        "phone",
        "street",
        "house_number",
        "postcode",
        "city",
        "municipality_code",
        "services",
        "contract_municipalities",
    ];
    let summary = summary_order
        .iter()
        .filter_map(|key| {
            by_key.get(*key).map(|message| SummaryItem {
                href: format!("#{key}"),
                message: message.clone(),
            })
        })
        .collect::<Vec<_>>();
    let municipality = raw.municipality.trim().to_uppercase();
    let page = FormPage {
        layout: Layout::new(
            target.heading.clone(),
            Some(user),
            &csrf.value,
            "/aanbieders",
        ),
        heading: target.heading,
        action: target.action,
        submit_label: target.submit_label,
        cancel_href: target.cancel_href,
        contact_only: target.contact_only,
        organisation,
        contact,
        address,
        municipality_groups: options::municipality_groups(
            &state.db,
            &scope,
            vec![municipality.as_str()],
        )
        .await?,
        municipality_error: take("municipality_code"),
        services: options::service_choices(&raw.services),
        services_error: take("services"),
        contract_groups: options::municipality_groups(
            &state.db,
            &scope,
            raw.contract_municipalities
                .iter()
                .map(String::as_str)
                .collect(),
        )
        .await?,
        contracts_error: take("contract_municipalities"),
        active: raw.active,
        has_errors: !summary.is_empty(),
        summary,
    };
    state.templates.page("providers/form", &page)
}

fn staff_only(user: &CurrentUser) -> AppResult<()> {
    user.require_role(&[Role::Admin, Role::Inspector])
}

pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
) -> AppResult<Response> {
    staff_only(&user)?;
    let raw = RawProvider {
        active: true,
        ..Default::default()
    };
    let target = Target {
        heading: "Aanbieder toevoegen".into(),
        action: "/aanbieders".into(),
        submit_label: "Aanbieder toevoegen",
        cancel_href: "/aanbieders".into(),
        contact_only: false,
    };
    let html = render(&state, &user, &csrf, target, &raw, &[]).await?;
    Ok((csrf, html).into_response())
}

/// A refused save: the form again, with the reasons, as 422.
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    csrf: CsrfToken,
    target: Target,
    raw: &RawProvider,
    err: AppError,
) -> AppResult<Response> {
    let errors = match err {
        AppError::Validation(errors) => errors,
        AppError::Conflict(detail) => vec![FieldError::new("kvk_number", detail)],
        other => return Err(other),
    };
    let html = render(state, user, &csrf, target, raw, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, html).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    staff_only(&user)?;
    let raw = parse_form(fields);
    let saved = match checked(&state, &Scope::of(&user), &raw).await {
        Ok(data) => queries::create(&state.db, &Actor::from(&user), &data).await,
        Err(err) => Err(err),
    };
    match saved {
        Ok(created) => {
            Ok(Redirect::to(&format!("/aanbieders/{}?aangemaakt=1", created.id)).into_response())
        }
        Err(err) => {
            let target = Target {
                heading: "Aanbieder toevoegen".into(),
                action: "/aanbieders".into(),
                submit_label: "Aanbieder toevoegen",
                cancel_href: "/aanbieders".into(),
                contact_only: false,
            };
            refused(&state, &user, csrf, target, &raw, err).await
        }
    }
}

fn edit_target(id: &str, name: &str, contact_only: bool) -> Target {
    Target {
        heading: if contact_only {
            format!("Contactgegevens van {name} wijzigen")
        } else {
            format!("{name} wijzigen")
        },
        action: format!("/aanbieders/{id}"),
        submit_label: "Wijzigingen opslaan",
        cancel_href: format!("/aanbieders/{id}"),
        contact_only,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let existing = queries::find(&state.db, &Scope::of(&user), parse_id(&id)?).await?;
    let contracts = queries::contracts(&state.db, &[existing.id])
        .await?
        .remove(&existing.id)
        .unwrap_or_default();
    let raw = raw_from_model(&existing, contracts);
    let target = edit_target(&id, &existing.name, user.role == Role::Provider);
    let html = render(&state, &user, &csrf, target, &raw, &[]).await?;
    Ok((csrf, html).into_response())
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let scope = Scope::of(&user);
    let existing = queries::find(&state.db, &scope, parse_id(&id)?).await?;
    let contracts = queries::contracts(&state.db, &[existing.id])
        .await?
        .remove(&existing.id)
        .unwrap_or_default();
    let contact_only = user.role == Role::Provider;
    let raw = if contact_only {
        // A provider user's form has only these two fields; the rest stays as stored.
        let sent = parse_form(fields);
        RawProvider {
            email: sent.email,
            phone: sent.phone,
            ..raw_from_model(&existing, contracts)
        }
    } else {
        parse_form(fields)
    };
    let write_scope = if contact_only { Scope::All } else { scope };
    let saved = match checked(&state, &write_scope, &raw).await {
        Ok(data) => queries::update(&state.db, &Actor::from(&user), &existing, &data).await,
        Err(err) => Err(err),
    };
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("/aanbieders/{id}?gewijzigd=1")).into_response()),
        Err(err) => {
            refused(
                &state,
                &user,
                csrf,
                edit_target(&id, &existing.name, contact_only),
                &raw,
                err,
            )
            .await
        }
    }
}
