//! The agenda's address read into a visit filter, shared by `/bezoeken` and its CSV export so
//! that a download holds exactly the visits the page shows (without paging).
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::local_time::{monday_of, parse_date, week_bounds};
use crate::domain::role::Role;
use crate::domain::working_days::dutch_date;
use crate::visits::queries::ListFilter;
use crate::visits::rules::VisitStatus;
use crate::web::current_user::CurrentUser;
use crate::web::query;

#[derive(Debug, Default, Deserialize)]
struct AgendaQuery {
    view: Option<String>,
    week: Option<String>,
    /// An inspector's id, or `all` for the whole region.
    inspector_id: Option<String>,
    provider_id: Option<String>,
    status: Option<String>,
    /// `past` lists earlier visits, latest first.
    period: Option<String>,
    page: Option<u64>,
}

/// What the address asks for, with the defaults filled in.
pub struct Agenda {
    pub week_view: bool,
    pub monday: NaiveDate,
    pub all_inspectors: bool,
    pub inspector_id: Option<Uuid>,
    pub provider_id: Option<Uuid>,
    pub status: Option<VisitStatus>,
    pub past: bool,
    pub page: Option<u64>,
    pub filter: ListFilter,
}

fn parse_uuid(value: Option<&str>) -> Option<Uuid> {
    value.and_then(|v| Uuid::parse_str(v.trim()).ok())
}

impl Agenda {
    pub fn read(raw: &str, user: &CurrentUser, now: DateTime<Utc>) -> Agenda {
        // A hand-edited address with a bad value falls back to the default view instead of an error.
        let query: AgendaQuery = query::parse(raw).unwrap_or_default();
        let week_view = query.view.as_deref() != Some("list");
        let monday = monday_of(
            query
                .week
                .as_deref()
                .and_then(|w| parse_date(w).ok())
                .unwrap_or(dutch_date(now)),
        );
        // An inspector's agenda starts with its own visits; admins have none and see everything.
        let all_inspectors = match query.inspector_id.as_deref() {
            Some("all") => true,
            Some(id) if Uuid::parse_str(id.trim()).is_ok() => false,
            _ => user.role == Role::Admin,
        };
        let inspector_id = if all_inspectors {
            None
        } else {
            parse_uuid(query.inspector_id.as_deref()).or(Some(user.id))
        };
        let provider_id = parse_uuid(query.provider_id.as_deref());
        let status = query.status.as_deref().and_then(VisitStatus::parse);
        let past = query.period.as_deref() == Some("past");
        let (from, to) = if week_view {
            let (start, end) = week_bounds(monday);
            (Some(start), Some(end))
        } else if past {
            (None, Some(now))
        } else {
            (Some(now), None)
        };
        Agenda {
            week_view,
            monday,
            all_inspectors,
            inspector_id,
            provider_id,
            status,
            past,
            page: query.page,
            filter: ListFilter {
                from,
                to,
                provider_id,
                inspector_id,
                status,
                newest_first: !week_view && past,
            },
        }
    }
}
