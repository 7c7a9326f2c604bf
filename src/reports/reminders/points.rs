//! Improvement points due soon: found per provider, claimed one by one, and announced in one
//! email per provider with only the points this run claimed.
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::job::{actor, provider_of, visit_start};
use super::{
    DUE_SOON_DAYS, DuePoint, DueReport, ImprovementDue, improvement_subject, point_due_soon,
    portal_url,
};
use crate::audit;
use crate::db::entities::{improvement_point, report};
use crate::domain::text::{date_nl, day_nl};
use crate::error::AppResult;
use crate::mail;
use crate::web::templates::Templates;

/// The statuses in which the provider has received the report, and so knows its points.
const RECEIVED: [&str; 3] = ["verzonden", "zienswijze_ontvangen", "definitief"];
const OPEN: &str = "open";

type Item = (report::Model, improvement_point::Model);

/// The open, not yet announced points due soon on `today`, of reports the provider received,
/// per provider (a BTreeMap, so the emails go in a stable order).
pub(super) async fn due_per_provider(
    db: &DatabaseConnection,
    today: NaiveDate,
) -> AppResult<BTreeMap<Uuid, Vec<Item>>> {
    let points = improvement_point::Entity::find()
        .filter(improvement_point::Column::Status.eq(OPEN))
        .filter(improvement_point::Column::DueReminderSentAt.is_null())
        // Reported done by the provider: it is waiting for the inspector, not for the provider.
        .filter(improvement_point::Column::ProviderDoneAt.is_null())
        .filter(improvement_point::Column::DueDate.gte(today))
        .filter(improvement_point::Column::DueDate.lte(today + Duration::days(DUE_SOON_DAYS)))
        .all(db)
        .await?;
    let report_ids: Vec<Uuid> = points.iter().map(|p| p.report_id).collect();
    let reports: HashMap<Uuid, report::Model> = report::Entity::find()
        .filter(report::Column::Id.is_in(report_ids))
        .filter(report::Column::Status.is_in(RECEIVED))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut per_provider: BTreeMap<Uuid, Vec<Item>> = BTreeMap::new();
    for point in points {
        // The query narrows by the same window; the pure rule has the last word.
        if !point_due_soon(point.due_date, today) {
            continue;
        }
        if let Some(found) = reports.get(&point.report_id) {
            per_provider
                .entry(found.provider_id)
                .or_default()
                .push((found.clone(), point));
        }
    }
    Ok(per_provider)
}

/// One email for a provider's due points: only those this run managed to claim.
pub(super) async fn announce(
    db: &DatabaseConnection,
    templates: &Templates,
    base_url: &str,
    provider_id: Uuid,
    mut items: Vec<Item>,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let the_provider = provider_of(db, provider_id).await?;
    let mut visit_starts = HashMap::new();
    let mut titles: HashMap<(Uuid, String), String> = HashMap::new();
    for (found, point) in &items {
        if let Entry::Vacant(slot) = visit_starts.entry(found.id) {
            slot.insert(visit_start(db, found).await?);
        }
        let key = (found.framework_version_id, point.criterion_code.clone());
        if let Entry::Vacant(slot) = titles.entry(key) {
            let framework =
                crate::framework::queries::by_id(db, found.framework_version_id).await?;
            let title = framework
                .and_then(|f| f.criterion(&point.criterion_code).map(|c| c.title.clone()))
                .unwrap_or_default();
            slot.insert(title);
        }
    }
    // Claimed in id order, so two instances lock the rows in the same order (no deadlock).
    items.sort_by_key(|(_, point)| point.id);
    let txn = crate::db::begin_write(db).await?;
    let mut claimed = Vec::new();
    for (found, point) in items {
        let result = improvement_point::Entity::update_many()
            .col_expr(
                improvement_point::Column::DueReminderSentAt,
                Expr::value(now),
            )
            .filter(improvement_point::Column::Id.eq(point.id))
            .filter(improvement_point::Column::Status.eq(OPEN))
            .filter(improvement_point::Column::DueReminderSentAt.is_null())
            .exec(&txn)
            .await?;
        if result.rows_affected == 1 {
            claimed.push((found, point));
        }
    }
    if claimed.is_empty() {
        txn.rollback().await?;
        return Ok(false);
    }
    let due_dates: Vec<NaiveDate> = claimed.iter().map(|(_, p)| p.due_date).collect();
    let reports = group(claimed, &visit_starts, &titles, base_url);
    let context = ImprovementDue {
        subject: improvement_subject(&due_dates),
        provider: the_provider.name.clone(),
        reports: reports.iter().map(|(_, group)| group.clone()).collect(),
    };
    mail::enqueue(
        &txn,
        templates,
        &the_provider.email,
        "improvement_due",
        &context,
    )
    .await?;
    for (report_id, point_ids) in reports.iter().map(|(ids, _)| ids) {
        let changes = BTreeMap::from([("due_reminder_sent".to_string(), json!(point_ids))]);
        audit::record(
            &txn,
            &actor(),
            "report.improvement_due_sent",
            "report",
            &report_id.to_string(),
            changes,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// The claimed points per report, reports in the order of their visits and points by due date
/// and criterion; with each group the report id and point ids (for the audit log).
fn group(
    mut claimed: Vec<Item>,
    visit_starts: &HashMap<Uuid, DateTime<Utc>>,
    titles: &HashMap<(Uuid, String), String>,
    base_url: &str,
) -> Vec<((Uuid, Vec<Uuid>), DueReport)> {
    claimed.sort_by_key(|(r, p)| {
        let start = visit_starts.get(&r.id).copied();
        (start, r.id, p.due_date, p.criterion_code.clone())
    });
    let mut groups: Vec<((Uuid, Vec<Uuid>), DueReport)> = Vec::new();
    for (found, point) in claimed {
        if groups.last().map(|((id, _), _)| *id) != Some(found.id) {
            groups.push((
                (found.id, Vec::new()),
                DueReport {
                    visit_day: visit_starts
                        .get(&found.id)
                        .map(|at| day_nl(*at))
                        .unwrap_or_default(),
                    portal_url: portal_url(base_url, found.id),
                    points: Vec::new(),
                },
            ));
        }
        if let Some(((_, ids), group)) = groups.last_mut() {
            ids.push(point.id);
            // The criterion's title, never the point's own text: that quotes the inspector's
            // findings, which may mention clients; the full text sits behind the portal login.
            let title = titles
                .get(&(found.framework_version_id, point.criterion_code.clone()))
                .cloned()
                .unwrap_or_default();
            group.points.push(DuePoint {
                criterion: point.criterion_code,
                description: title,
                due: date_nl(point.due_date),
            });
        }
    }
    groups
}
