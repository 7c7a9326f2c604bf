//! Filing a signal: where it belongs, its reference and secret token; the intake writer
//! (`intake.rs`) stores it with its first history entry in one transaction.
use chrono::{Datelike, Utc};
use sea_orm::{DatabaseConnection, EntityTrait};
use serde::Serialize;
use uuid::Uuid;

use crate::auth::tokens;
use crate::db::entities::{municipality, provider, signal};
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult};
use crate::signals::input::CheckedSignal;
use crate::signals::intake::{Attempt, Intake, Pending};
use crate::signals::queries::triage_due;
use crate::signals::rules::{Priority, SignalStatus};

/// The details a GGD asks of a provider's mandatory calamity report (Wmo art. 3.4).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CalamityDetails {
    /// What the consequences for the client were.
    pub client_harm: String,
    pub board_informed: bool,
    pub measures_taken: String,
    pub aftercare: String,
}

pub struct Filed {
    pub signal: signal::Model,
    /// Shown to the reporter once; only its hash is stored.
    pub tracking_token: String,
}

/// Who filed it, when a signed-in provider user did.
pub struct FiledBy {
    pub user_id: Uuid,
    pub provider_id: Uuid,
}

pub async fn file(
    db: &DatabaseConnection,
    intake: &Intake,
    checked: CheckedSignal,
    filed_by: Option<FiledBy>,
    calamity: Option<CalamityDetails>,
    attempt: Option<Attempt>,
) -> AppResult<Filed> {
    // The reads come first, by this request, so that the intake writer only inserts.
    let place = locate(db, &checked).await?;
    let now = Utc::now();
    let tracking_token = tokens::new_token();
    let signal = signal::Model {
        // Time-ordered (UUIDv7), so that a batch of filings adds to the end of the indexes on
        // the id (the table's key, the history's signal_id) instead of to one random page of
        // each per filing: random keys had every filing of the national benchmark write some
        // six index pages of its own, and the disk, not the processor, set the pace. The time
        // it shows is the receipt time every staff member sees anyway; the public never sees
        // an id (it follows its signal by reference and token).
        id: Uuid::now_v7(),
        reference: String::new(),
        tracking_token_hash: tokens::hash_token(&tracking_token),
        status: SignalStatus::Ontvangen.as_str().into(),
        priority: Priority::initial(checked.category).as_str().into(),
        category: checked.category.as_str().into(),
        description: checked.description,
        occurred_on: checked.occurred_on,
        reporter_role: checked.reporter_role.as_str().into(),
        anonymous: checked.anonymous,
        contact_name: checked.contact_name,
        contact_email: checked.contact_email.map(|e| e.as_str().to_string()),
        provider_id: place.provider_id,
        provider_name: place.provider_name,
        municipality_code: Some(place.municipality_code),
        region_code: place.region_code,
        assignee_id: None,
        visit_id: None,
        resolution: None,
        duplicate_of: None,
        filed_by: filed_by.map(|f| f.user_id),
        calamity: calamity
            .map(|c| serde_json::to_string(&c))
            .transpose()
            .map_err(AppError::internal)?,
        received_at: now,
        triage_due: triage_due(now),
        closed_at: None,
        contact_erased_at: None,
        updated_at: now,
    };
    let signal = intake
        .file(Pending {
            signal,
            year: dutch_date(now).year(),
            attempt,
        })
        .await?;
    Ok(Filed {
        signal,
        tracking_token,
    })
}

/// Where a signal belongs: its provider when named from the register, else the municipality the
/// reporter chose.
struct Place {
    provider_id: Option<Uuid>,
    provider_name: Option<String>,
    municipality_code: String,
    region_code: String,
}

async fn locate(db: &DatabaseConnection, checked: &CheckedSignal) -> AppResult<Place> {
    if let Some(id) = checked.provider_id {
        let found = provider::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::validation("provider_id", "Deze aanbieder kennen we niet."))?;
        return Ok(Place {
            provider_id: Some(found.id),
            provider_name: Some(found.name),
            municipality_code: found.municipality_code,
            region_code: found.region_code,
        });
    }
    let code = checked.municipality_code.clone().unwrap_or_default();
    let found = municipality::Entity::find_by_id(code)
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::validation("municipality_code", "Deze gemeente kennen we niet.")
        })?;
    Ok(Place {
        provider_id: None,
        provider_name: checked.provider_name.clone(),
        region_code: found.region_code().to_string(),
        municipality_code: found.code,
    })
}
