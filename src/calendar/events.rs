//! Which visits an inspector's calendar shows, and how each one reads there.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::calendar::ics::Event;
use crate::db::entities::{provider, visit, visit_inspector};
use crate::error::AppResult;
use crate::visits::rules::{Reason, VisitStatus};

/// Every non-cancelled visit the inspector takes part in, past and future, in time order.
/// A cancelled visit is left out, so a calendar app removes it at its next poll.
///
/// No time bound: a subscribed calendar shows exactly what the feed holds, so a bound would
/// erase past visits from the inspector's agenda. At a few hundred visits a year the feed stays
/// well under a megabyte for many years; should it grow too large, drop visits older than two
/// years here.
pub async fn of_inspector<C: ConnectionTrait>(
    db: &C,
    inspector_id: Uuid,
    base_url: &str,
) -> AppResult<Vec<Event>> {
    let visits = visit::Entity::find()
        .filter(visit::Column::Status.ne(VisitStatus::Geannuleerd.as_str()))
        .filter(
            visit::Column::Id.in_subquery(
                Query::select()
                    .column(visit_inspector::Column::VisitId)
                    .from(visit_inspector::Entity)
                    .and_where(visit_inspector::Column::InspectorId.eq(inspector_id))
                    .to_owned(),
            ),
        )
        .order_by_asc(visit::Column::StartsAt)
        .order_by_asc(visit::Column::Id)
        .all(db)
        .await?;
    let providers: HashMap<Uuid, provider::Model> = provider::Entity::find()
        .filter(provider::Column::Id.is_in(visits.iter().map(|v| v.provider_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(visits
        .iter()
        .filter_map(|v| providers.get(&v.provider_id).map(|p| event(v, p, base_url)))
        .collect())
}

/// A visit as a calendar event, in Dutch.
pub fn event(visit: &visit::Model, provider: &provider::Model, base_url: &str) -> Event {
    let link = format!("{base_url}/bezoeken/{}", visit.id);
    let kind = if visit.announced {
        "aangekondigd"
    } else {
        "onaangekondigd"
    };
    let reason = Reason::parse(&visit.reason).map_or(visit.reason.as_str(), |r| r.label_nl());
    let mut description = format!("Reden: {reason}\n");
    if visit.status == VisitStatus::Uitgevoerd.as_str() {
        description.push_str("Dit bezoek is uitgevoerd.\n");
    }
    description.push_str(&format!("Bezoek in Toezicht: {link}"));
    Event {
        uid: format!("{}@toezicht", visit.id),
        last_modified: visit.updated_at,
        sequence: sequence(visit.updated_at),
        starts_at: visit.starts_at,
        ends_at: visit.ends_at,
        summary: format!("Inspectiebezoek {} ({kind})", provider.name),
        location: format!(
            "{} {}, {} {}",
            provider.street, provider.house_number, provider.postcode, provider.city
        ),
        description,
        url: link,
    }
}

/// SEQUENCE must grow when a visit is rescheduled; every change moves `updated_at`, so its
/// seconds do. Counted from 2024 rather than 1970 because SEQUENCE is an INTEGER (32 bits,
/// RFC 5545 3.3.8) and Unix seconds pass that limit in 2038.
pub fn sequence(updated_at: DateTime<Utc>) -> i64 {
    const EPOCH_2024: i64 = 1_704_067_200;
    (updated_at.timestamp() - EPOCH_2024).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(value: &str) -> DateTime<Utc> {
        value.parse().unwrap()
    }

    #[test]
    fn sequence_grows_with_every_change_and_fits_32_bits() {
        assert_eq!(sequence(at("2024-01-01T00:00:00Z")), 0);
        assert!(sequence(at("2026-11-22T10:00:01Z")) > sequence(at("2026-11-22T10:00:00Z")));
        assert!(sequence(at("2080-01-01T00:00:00Z")) < i64::from(i32::MAX));
        assert_eq!(sequence(at("2000-01-01T00:00:00Z")), 0);
    }

    #[test]
    fn an_event_names_the_provider_the_kind_of_visit_and_the_reason() {
        let now = at("2026-11-20T08:30:00Z");
        let id = Uuid::nil();
        let visit = visit::Model {
            id,
            provider_id: id,
            region_code: "GG1106".into(),
            framework_version_id: id,
            starts_at: at("2026-12-01T09:00:00Z"),
            ends_at: at("2026-12-01T11:00:00Z"),
            announced: false,
            reason: "signaal".into(),
            status: "gepland".into(),
            created_by: None,
            created_at: now,
            updated_at: now,
        };
        let provider = provider::Model {
            id,
            name: "Zorggroep De Linde".into(),
            kvk_number: "12345678".into(),
            agb_code: None,
            email: "info@delinde.example".into(),
            phone: None,
            street: "Hengelosestraat".into(),
            house_number: "12a".into(),
            postcode: "7514 AE".into(),
            city: "Enschede".into(),
            municipality_code: "GM0153".into(),
            region_code: "GG1106".into(),
            services: "[]".into(),
            active: true,
            created_at: now,
            updated_at: now,
            last_visit_at: None,
        };
        let e = event(&visit, &provider, "https://toezicht.example");
        assert_eq!(e.uid, format!("{id}@toezicht"));
        assert_eq!(
            e.summary,
            "Inspectiebezoek Zorggroep De Linde (onaangekondigd)"
        );
        assert_eq!(e.location, "Hengelosestraat 12a, 7514 AE Enschede");
        assert_eq!(
            e.description,
            format!(
                "Reden: Naar aanleiding van een melding\nBezoek in Toezicht: https://toezicht.example/bezoeken/{id}"
            )
        );
        assert_eq!(e.url, format!("https://toezicht.example/bezoeken/{id}"));
    }
}
