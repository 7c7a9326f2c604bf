//! Filing a signal: where it belongs, its reference and secret token, and its first history
//! entry, all in one transaction.
use chrono::{Datelike, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::auth::tokens;
use crate::db::entities::{municipality, provider, signal};
use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult};
use crate::signals::input::CheckedSignal;
use crate::signals::notify::{self, Notifier};
use crate::signals::queries::{record_event, triage_due};
use crate::signals::reference;
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

/// The rate limit's record of this attempt, written in the filing's transaction.
pub struct Attempt<'a> {
    pub key: &'a str,
    pub at: chrono::DateTime<Utc>,
}

/// Who filed it, when a signed-in provider user did.
pub struct FiledBy {
    pub user_id: Uuid,
    pub provider_id: Uuid,
}

pub async fn file(
    db: &DatabaseConnection,
    notifier: &Notifier<'_>,
    checked: CheckedSignal,
    filed_by: Option<FiledBy>,
    calamity: Option<CalamityDetails>,
    attempt: Option<Attempt<'_>>,
) -> AppResult<Filed> {
    // The reads and the reference come first, on the pool, so that the write transaction (on
    // SQLite: the one writer's turn) holds nothing but the inserts.
    let place = locate(db, &checked).await?;
    let now = Utc::now();
    let reserved = reference::reserve(db, dutch_date(now).year()).await?;
    let txn = crate::db::begin_write(db).await?;
    if let Some(attempt) = attempt {
        crate::signals::queries::record_submission(&txn, attempt.key, attempt.at).await?;
    }
    let reference = reserved.take(&txn).await?;
    let tracking_token = tokens::new_token();
    let model = signal::ActiveModel {
        id: Set(Uuid::new_v4()),
        reference: Set(reference),
        tracking_token_hash: Set(tokens::hash_token(&tracking_token)),
        status: Set(SignalStatus::Ontvangen.as_str().into()),
        priority: Set(Priority::initial(checked.category).as_str().into()),
        category: Set(checked.category.as_str().into()),
        description: Set(checked.description),
        occurred_on: Set(checked.occurred_on),
        reporter_role: Set(checked.reporter_role.as_str().into()),
        anonymous: Set(checked.anonymous),
        contact_name: Set(checked.contact_name),
        contact_email: Set(checked.contact_email.map(|e| e.as_str().to_string())),
        provider_id: Set(place.provider_id),
        provider_name: Set(place.provider_name),
        municipality_code: Set(Some(place.municipality_code)),
        region_code: Set(place.region_code),
        assignee_id: Set(None),
        visit_id: Set(None),
        resolution: Set(None),
        duplicate_of: Set(None),
        filed_by: Set(filed_by.as_ref().map(|f| f.user_id)),
        calamity: Set(calamity
            .map(|c| serde_json::to_string(&c))
            .transpose()
            .map_err(AppError::internal)?),
        received_at: Set(now),
        triage_due: Set(triage_due(now)),
        closed_at: Set(None),
        contact_erased_at: Set(None),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    record_event(
        &txn,
        model.id,
        SignalStatus::Ontvangen,
        now,
        filed_by.map(|f| f.user_id),
    )
    .await?;
    notify::confirmation(&txn, notifier, &model).await?;
    txn.commit().await?;
    Ok(Filed {
        signal: model,
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
