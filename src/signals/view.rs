//! Signals as the API returns them: to staff every key (null when empty), to the public only
//! the status of its own signal.
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::entities::{signal, signal_event};
use crate::signals::create::CalamityDetails;
use crate::signals::queries::is_overdue;

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub status: String,
    pub at: DateTime<Utc>,
}

impl HistoryEntry {
    pub fn list(events: Vec<signal_event::Model>) -> Vec<HistoryEntry> {
        events
            .into_iter()
            .map(|e| HistoryEntry {
                status: e.status,
                at: e.at,
            })
            .collect()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignalView {
    pub id: Uuid,
    pub reference: String,
    pub status: String,
    pub priority: String,
    pub category: String,
    pub description: String,
    pub occurred_on: Option<NaiveDate>,
    pub reporter_role: String,
    pub anonymous: bool,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub provider_id: Option<Uuid>,
    pub provider_name: Option<String>,
    pub municipality_code: Option<String>,
    pub region_code: String,
    pub assignee_id: Option<Uuid>,
    pub visit_id: Option<Uuid>,
    pub resolution: Option<String>,
    pub received_at: DateTime<Utc>,
    pub triage_due: NaiveDate,
    pub overdue: bool,
    pub history: Vec<HistoryEntry>,
    /// The signal this one was linked to as a duplicate (they move together).
    pub duplicate_of: Option<Uuid>,
    /// A provider's calamity report details.
    pub calamity: Option<CalamityDetails>,
}

impl SignalView {
    pub fn new(model: signal::Model, events: Vec<signal_event::Model>, today: NaiveDate) -> Self {
        SignalView {
            overdue: is_overdue(&model, today),
            calamity: model
                .calamity
                .as_deref()
                .and_then(|c| serde_json::from_str(c).ok()),
            history: HistoryEntry::list(events),
            id: model.id,
            reference: model.reference,
            status: model.status,
            priority: model.priority,
            category: model.category,
            description: model.description,
            occurred_on: model.occurred_on,
            reporter_role: model.reporter_role,
            anonymous: model.anonymous,
            contact_name: model.contact_name,
            contact_email: model.contact_email,
            provider_id: model.provider_id,
            provider_name: model.provider_name,
            municipality_code: model.municipality_code,
            region_code: model.region_code,
            assignee_id: model.assignee_id,
            visit_id: model.visit_id,
            resolution: model.resolution,
            received_at: model.received_at,
            triage_due: model.triage_due,
            duplicate_of: model.duplicate_of,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FiledView {
    pub reference: String,
    /// Keep this: with the reference it shows the status of your signal. It is shown only once.
    pub tracking_token: String,
    pub status: String,
    pub received_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicStatusView {
    pub reference: String,
    pub status: String,
    pub category: String,
    pub received_at: DateTime<Utc>,
    pub history: Vec<HistoryEntry>,
}
