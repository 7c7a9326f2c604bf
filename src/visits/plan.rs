//! Planning, rescheduling and cancelling visits. Every check that depends on other visits runs
//! inside the write transaction, so two simultaneous requests cannot double-book an inspector:
//! on PostgreSQL the inspectors' rows are locked first; on SQLite the transaction holds the
//! database's one write lock from its start.
use chrono::{DateTime, Datelike, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::db::WriteTxn;
use crate::db::entities::{
    improvement_point, provider, report, signal, user, visit, visit_improvement_point,
    visit_inspector, visit_signal,
};
use crate::domain::role::Role;
use crate::domain::text::datetime_nl;
use crate::error::{AppError, AppResult, FieldError};
use crate::visits::notify::{self, Change, Notifier};
use crate::visits::queries;
use crate::visits::rules::{Reason, VisitStatus};

pub struct Plan {
    pub inspector_ids: Vec<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The checks on times and people that do not depend on other visits.
async fn check(txn: &WriteTxn, region: &str, plan: &Plan, signal_ids: &[Uuid]) -> AppResult<()> {
    let mut errors = Vec::new();
    let (first, last) = crate::domain::local_time::YEARS;
    if !(first..=last).contains(&plan.starts_at.year()) {
        errors.push(FieldError::new(
            "starts_at",
            format!("Kies een moment tussen {first} en {last}."),
        ));
    }
    if plan.ends_at <= plan.starts_at {
        errors.push(FieldError::new(
            "ends_at",
            "Het einde moet na het begin liggen.",
        ));
    }
    if plan.inspector_ids.is_empty() {
        errors.push(FieldError::new(
            "inspector_ids",
            "Kies minstens één toezichthouder.",
        ));
    } else {
        let mut select = user::Entity::find()
            .filter(user::Column::Id.is_in(plan.inspector_ids.iter().copied()))
            .filter(user::Column::Role.eq(Role::Inspector.as_str()))
            .filter(user::Column::RegionCode.eq(region))
            .filter(user::Column::Active.eq(true));
        if crate::db::is_postgres_txn(txn) {
            // Serialises planning per inspector: a second request waits here until the first commits.
            select = select.lock_exclusive();
        }
        let found = select.all(txn).await?;
        let mut wanted = plan.inspector_ids.clone();
        wanted.sort();
        wanted.dedup();
        if found.len() != wanted.len() {
            errors.push(FieldError::new(
                "inspector_ids",
                "Kies toezichthouders van de GGD-regio van deze aanbieder.",
            ));
        }
    }
    if !signal_ids.is_empty() {
        let found = signal::Entity::find()
            .filter(signal::Column::Id.is_in(signal_ids.iter().copied()))
            .filter(signal::Column::RegionCode.eq(region))
            .all(txn)
            .await?;
        if found.len() != signal_ids.len() {
            errors.push(FieldError::new(
                "signal_ids",
                "Koppel alleen meldingen uit de regio van deze aanbieder.",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

async fn no_double_booking(txn: &WriteTxn, plan: &Plan, except: Option<Uuid>) -> AppResult<()> {
    if let Some((other, provider_name)) = queries::conflicting(
        txn,
        &plan.inspector_ids,
        plan.starts_at,
        plan.ends_at,
        except,
    )
    .await?
    {
        return Err(AppError::Conflict(format!(
            "Een toezichthouder heeft dan al een bezoek: bij {provider_name} op {} (bezoek {}).",
            datetime_nl(other.starts_at),
            other.id
        )));
    }
    Ok(())
}

async fn set_links(
    txn: &WriteTxn,
    visit_id: Uuid,
    inspectors: &[Uuid],
    signals: Option<&[Uuid]>,
) -> AppResult<()> {
    visit_inspector::Entity::delete_many()
        .filter(visit_inspector::Column::VisitId.eq(visit_id))
        .exec(txn)
        .await?;
    let mut unique = inspectors.to_vec();
    unique.sort();
    unique.dedup();
    visit_inspector::Entity::insert_many(unique.into_iter().map(|id| {
        visit_inspector::ActiveModel {
            visit_id: Set(visit_id),
            inspector_id: Set(id),
        }
    }))
    .exec_without_returning(txn)
    .await?;
    if let Some(signals) = signals.filter(|s| !s.is_empty()) {
        visit_signal::Entity::insert_many(signals.iter().map(|id| visit_signal::ActiveModel {
            visit_id: Set(visit_id),
            signal_id: Set(*id),
        }))
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// A visit to plan: when and with whom, and why.
pub struct NewVisit {
    pub plan: Plan,
    pub announced: bool,
    pub reason: Reason,
    pub signal_ids: Vec<Uuid>,
    /// A heronderzoek of this report: the visit re-examines its open improvement points.
    pub report_id: Option<Uuid>,
}

/// The open improvement points of the report a heronderzoek follows up.
async fn follow_up_points(
    txn: &WriteTxn,
    provider: &provider::Model,
    report_id: Uuid,
    reason: Reason,
) -> AppResult<Vec<Uuid>> {
    if reason != Reason::Heronderzoek {
        return Err(AppError::validation(
            "reason",
            "Een bezoek om verbeterpunten te controleren is een heronderzoek.",
        ));
    }
    let found = report::Entity::find_by_id(report_id)
        .filter(report::Column::ProviderId.eq(provider.id))
        .one(txn)
        .await?;
    let Some(found) = found else {
        return Err(AppError::validation(
            "report_id",
            "Kies een rapport van deze aanbieder.",
        ));
    };
    // The provider only knows the points once the report has been sent to it.
    if found.status == "concept" {
        return Err(AppError::validation(
            "report_id",
            "Dit rapport is nog een concept. Plan een heronderzoek nadat het rapport aan de aanbieder is verzonden.",
        ));
    }
    let points: Vec<Uuid> = improvement_point::Entity::find()
        .filter(improvement_point::Column::ReportId.eq(report_id))
        .filter(improvement_point::Column::Status.eq("open"))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    if points.is_empty() {
        return Err(AppError::validation(
            "report_id",
            "Dit rapport heeft geen open verbeterpunten meer.",
        ));
    }
    Ok(points)
}

pub async fn create(
    db: &DatabaseConnection,
    notifier: &Notifier<'_>,
    actor: &Actor,
    provider: &provider::Model,
    new: NewVisit,
) -> AppResult<visit::Model> {
    let NewVisit {
        plan,
        announced,
        reason,
        signal_ids,
        report_id,
    } = new;
    let txn = crate::db::begin_write(db).await?;
    check(&txn, &provider.region_code, &plan, &signal_ids).await?;
    let points = match report_id {
        Some(report_id) => follow_up_points(&txn, provider, report_id, reason).await?,
        None => Vec::new(),
    };
    no_double_booking(&txn, &plan, None).await?;
    let framework = crate::framework::queries::current(&txn).await?;
    let now = Utc::now();
    let created = visit::ActiveModel {
        id: Set(Uuid::new_v4()),
        provider_id: Set(provider.id),
        region_code: Set(provider.region_code.clone()),
        framework_version_id: Set(framework.id),
        starts_at: Set(plan.starts_at),
        ends_at: Set(plan.ends_at),
        announced: Set(announced),
        reason: Set(reason.as_str().into()),
        status: Set(VisitStatus::Gepland.as_str().into()),
        created_by: Set(actor.id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    set_links(&txn, created.id, &plan.inspector_ids, Some(&signal_ids)).await?;
    if !points.is_empty() {
        visit_improvement_point::Entity::insert_many(points.iter().map(|id| {
            visit_improvement_point::ActiveModel {
                visit_id: Set(created.id),
                improvement_point_id: Set(*id),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    notify::visit_changed(&txn, notifier, provider, &created, Change::Planned).await?;
    let snapshot = json!({"provider_id": provider.id, "starts_at": plan.starts_at, "ends_at": plan.ends_at, "announced": announced, "reason": reason.as_str(), "inspector_ids": plan.inspector_ids, "report_id": report_id});
    audit::record(
        &txn,
        actor,
        "visit.created",
        "visit",
        &created.id.to_string(),
        audit::diff(&serde_json::Value::Null, &snapshot),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Reschedules a planned visit (times, inspectors) or cancels it.
pub async fn update(
    db: &DatabaseConnection,
    notifier: &Notifier<'_>,
    scope: &queries::Scope,
    actor: &Actor,
    id: Uuid,
    plan: Option<Plan>,
    cancel: bool,
) -> AppResult<visit::Model> {
    let txn = crate::db::begin_write(db).await?;
    let current = queries::find(&txn, scope, id).await?;
    if current.status != VisitStatus::Gepland.as_str() {
        return Err(AppError::Conflict(
            "Alleen een gepland bezoek kan nog worden gewijzigd of geannuleerd.".into(),
        ));
    }
    let before = json!({"starts_at": current.starts_at, "ends_at": current.ends_at, "status": current.status});
    let mut active = current.clone().into_active_model();
    if let Some(plan) = &plan {
        check(&txn, &current.region_code, plan, &[]).await?;
        if !cancel {
            no_double_booking(&txn, plan, Some(current.id)).await?;
        }
        active.starts_at = Set(plan.starts_at);
        active.ends_at = Set(plan.ends_at);
        set_links(&txn, current.id, &plan.inspector_ids, None).await?;
    }
    if cancel {
        active.status = Set(VisitStatus::Geannuleerd.as_str().into());
    }
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    let change = if cancel {
        Some(Change::Cancelled)
    } else if (updated.starts_at, updated.ends_at) != (current.starts_at, current.ends_at) {
        Some(Change::Moved)
    } else {
        None
    };
    if let Some(change) = change {
        let the_provider = provider::Entity::find_by_id(updated.provider_id)
            .one(&txn)
            .await?
            .ok_or_else(|| AppError::internal("visit without provider"))?;
        notify::visit_changed(&txn, notifier, &the_provider, &updated, change).await?;
    }
    let after = json!({"starts_at": updated.starts_at, "ends_at": updated.ends_at, "status": updated.status});
    let changes = audit::diff(&before, &after);
    if !changes.is_empty() {
        audit::record(
            &txn,
            actor,
            "visit.updated",
            "visit",
            &updated.id.to_string(),
            changes,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(updated)
}
