//! Triage: status moves (and only the contract's), priority, assignee, the provider record and
//! duplicates. Signals linked as duplicates move together. Every change is in the history and
//! the audit log, in one transaction.
use chrono::Utc;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::db::WriteTxn;
use crate::db::entities::{provider, signal, user};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult, FieldError};
use crate::signals::notify::{self, Notifier};
use crate::signals::queries::{self, Scope};
use crate::signals::rules::{Priority, SignalStatus};

#[derive(Debug, Default, Clone)]
pub struct Change {
    pub status: Option<SignalStatus>,
    pub priority: Option<Priority>,
    /// `Some(None)` clears.
    pub assignee_id: Option<Option<Uuid>>,
    pub visit_id: Option<Option<Uuid>>,
    pub resolution: Option<Option<String>>,
    pub provider_id: Option<Option<Uuid>>,
    pub duplicate_of: Option<Option<Uuid>>,
}

/// A status move made (each reporter with an email address was sent a message about it).
pub struct Moved {
    pub signal: signal::Model,
    pub status: SignalStatus,
}

pub struct Outcome {
    pub signal: signal::Model,
    pub moved: Vec<Moved>,
}

fn status_of(model: &signal::Model) -> AppResult<SignalStatus> {
    SignalStatus::parse(&model.status)
        .ok_or_else(|| AppError::internal("unknown signal status stored"))
}

async fn check_fields(
    txn: &WriteTxn,
    scope: &Scope,
    current: &signal::Model,
    change: &Change,
) -> AppResult<()> {
    let mut errors = Vec::new();
    if let Some(Some(assignee)) = change.assignee_id {
        let ok = user::Entity::find_by_id(assignee)
            .filter(user::Column::Active.eq(true))
            .one(txn)
            .await?
            .is_some_and(|u| {
                u.role == Role::Admin.as_str()
                    || (u.role == Role::Inspector.as_str()
                        && u.region_code.as_deref() == Some(current.region_code.as_str()))
            });
        if !ok {
            errors.push(FieldError::new(
                "assignee_id",
                "Kies een toezichthouder van de regio van deze melding.",
            ));
        }
    }
    if let Some(Some(id)) = change.visit_id {
        let ok = crate::db::entities::visit::Entity::find_by_id(id)
            .one(txn)
            .await?
            .is_some_and(|v| v.region_code == current.region_code);
        if !ok {
            errors.push(FieldError::new(
                "visit_id",
                "Kies een bezoek uit de regio van deze melding.",
            ));
        }
    }
    if let Some(Some(id)) = change.provider_id {
        let ok = provider::Entity::find_by_id(id)
            .one(txn)
            .await?
            .is_some_and(|p| p.region_code == current.region_code);
        if !ok {
            errors.push(FieldError::new(
                "provider_id",
                "Kies een aanbieder uit het register van deze regio.",
            ));
        }
    }
    if let Some(Some(other)) = change.duplicate_of {
        if other == current.id {
            errors.push(FieldError::new(
                "duplicate_of",
                "Een melding kan niet aan zichzelf gekoppeld worden.",
            ));
        } else {
            // Only signals of one region form a group: a move must never reach another region.
            match queries::find(txn, scope, other).await {
                Ok(found) if found.region_code == current.region_code => {}
                _ => errors.push(FieldError::new(
                    "duplicate_of",
                    "Deze melding bestaat niet in de regio van deze melding.",
                )),
            }
        }
    }
    if let Some(Some(text)) = &change.resolution
        && text.chars().count() > 5000
    {
        errors.push(FieldError::new(
            "resolution",
            "De afhandeling is te lang (hoogstens 5000 tekens).",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// The group a signal belongs to: its primary and every signal linked to that primary.
async fn group(txn: &WriteTxn, model: &signal::Model) -> AppResult<Vec<signal::Model>> {
    let primary = model.duplicate_of.unwrap_or(model.id);
    Ok(signal::Entity::find()
        .filter(signal::Column::RegionCode.eq(model.region_code.as_str()))
        .filter(
            signal::Column::Id
                .eq(primary)
                .or(signal::Column::DuplicateOf.eq(primary)),
        )
        .all(txn)
        .await?)
}

async fn set_status(
    txn: &WriteTxn,
    model: signal::Model,
    to: SignalStatus,
    resolution: Option<String>,
    actor: &Actor,
) -> AppResult<signal::Model> {
    let now = Utc::now();
    let mut active = model.into_active_model();
    active.status = Set(to.as_str().into());
    if to == SignalStatus::Afgesloten {
        active.closed_at = Set(Some(now));
        if let Some(text) = resolution {
            active.resolution = Set(Some(text));
        }
    }
    active.updated_at = Set(now);
    let updated = active.update(txn).await?;
    queries::record_event(txn, updated.id, to, now, actor.id).await?;
    Ok(updated)
}

pub async fn apply(
    db: &DatabaseConnection,
    notifier: &Notifier<'_>,
    scope: &Scope,
    actor: &Actor,
    id: Uuid,
    change: Change,
) -> AppResult<Outcome> {
    let txn = crate::db::begin_write(db).await?;
    let current = queries::find(&txn, scope, id).await?;
    check_fields(&txn, scope, &current, &change).await?;
    let before = json!({
        "status": current.status, "priority": current.priority, "assignee_id": current.assignee_id,
        "visit_id": current.visit_id, "resolution": current.resolution, "provider_id": current.provider_id,
        "duplicate_of": current.duplicate_of,
    });

    let mut updated = current.clone().into_active_model();
    if let Some(priority) = change.priority {
        updated.priority = Set(priority.as_str().into());
    }
    if let Some(assignee) = change.assignee_id {
        updated.assignee_id = Set(assignee);
    }
    if let Some(visit) = change.visit_id {
        updated.visit_id = Set(visit);
    }
    if let Some(resolution) = &change.resolution {
        updated.resolution = Set(resolution
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string));
    }
    if let Some(provider) = change.provider_id {
        updated.provider_id = Set(provider);
    }
    let mut moved = Vec::new();
    if let Some(link) = change.duplicate_of {
        if link.is_some() {
            let has_own_duplicates = signal::Entity::find()
                .filter(signal::Column::DuplicateOf.eq(current.id))
                .one(&txn)
                .await?
                .is_some();
            if has_own_duplicates {
                return Err(AppError::Conflict(
                    "Aan deze melding zijn al andere meldingen gekoppeld. Koppel die andere meldingen hieraan.".into(),
                ));
            }
        }
        // Link to the other's primary, so a group is always one level deep.
        let primary = match link {
            Some(other) => {
                let other = queries::find(&txn, scope, other).await?;
                Some(other.duplicate_of.unwrap_or(other.id))
            }
            None => None,
        };
        updated.duplicate_of = Set(primary.filter(|p| *p != current.id));
    }
    updated.updated_at = Set(Utc::now());
    let mut saved = updated.update(&txn).await?;

    // A new link takes over the primary's status, so the group stands in one place.
    if let (Some(Some(_)), Some(primary)) = (change.duplicate_of, saved.duplicate_of) {
        let primary = signal::Entity::find_by_id(primary)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        if primary.status != saved.status {
            let to = status_of(&primary)?;
            let from = status_of(&saved)?;
            if !from.can_move_to(to) {
                return Err(AppError::Conflict(format!(
                    "Koppelen zou deze melding van '{}' naar '{}' zetten, en die stap bestaat niet. Koppel meldingen met dezelfde status, of breng ze eerst gelijk.",
                    from.label_nl(),
                    to.label_nl()
                )));
            }
            saved = set_status(&txn, saved, to, primary.resolution.clone(), actor).await?;
            moved.push(Moved {
                signal: saved.clone(),
                status: to,
            });
        }
    }

    if let Some(to) = change.status {
        let from = status_of(&saved)?;
        if !from.can_move_to(to) {
            return Err(AppError::Conflict(format!(
                "Een melding met status '{}' kan niet naar '{}'.",
                from.label_nl(),
                to.label_nl()
            )));
        }
        let resolution = saved.resolution.clone();
        if to == SignalStatus::Afgesloten && resolution.is_none() {
            return Err(AppError::validation(
                "resolution",
                "Beschrijf hoe de melding is afgehandeld.",
            ));
        }
        for member in group(&txn, &saved).await? {
            let member_status = status_of(&member)?;
            if member_status == to {
                continue;
            }
            let is_target = member.id == saved.id;
            let member = set_status(&txn, member, to, resolution.clone(), actor).await?;
            if is_target {
                saved = member.clone();
            }
            moved.push(Moved {
                signal: member,
                status: to,
            });
        }
    }

    let after = json!({
        "status": saved.status, "priority": saved.priority, "assignee_id": saved.assignee_id,
        "visit_id": saved.visit_id, "resolution": saved.resolution, "provider_id": saved.provider_id,
        "duplicate_of": saved.duplicate_of,
    });
    for step in &moved {
        notify::status_changed(&txn, notifier, &step.signal, step.status).await?;
    }
    let changes = audit::diff(&before, &after);
    if !changes.is_empty() {
        audit::record(
            &txn,
            actor,
            "signal.updated",
            "signal",
            &saved.id.to_string(),
            changes,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Outcome {
        signal: saved,
        moved,
    })
}
