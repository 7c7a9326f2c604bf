//! The GGD's visits as the provider sees them in its portal: only through the visits' provider
//! scope, so an unannounced visit appears here only once it has taken place.
use chrono::Utc;
use serde::Serialize;

use crate::db::entities::visit;
use crate::domain::local_time::clock_nl;
use crate::domain::text::day_nl;
use crate::error::AppResult;
use crate::visits::queries::{self, ListFilter, Scope};
use crate::visits::rules::{Reason, VisitStatus};
use crate::web::current_user::CurrentUser;
use crate::web::pagination::Paging;

#[derive(Serialize)]
pub struct PortalVisit {
    day: String,
    time: String,
    reason: &'static str,
}

fn row(v: &visit::Model) -> PortalVisit {
    PortalVisit {
        day: day_nl(v.starts_at),
        time: format!("{}–{}", clock_nl(v.starts_at), clock_nl(v.ends_at)),
        reason: Reason::parse(&v.reason).map_or("", Reason::label_for_provider),
    }
}

/// The coming announced visits, soonest first, and the last five that took place, latest first.
pub async fn for_portal(
    db: &sea_orm::DatabaseConnection,
    user: &CurrentUser,
) -> AppResult<(Vec<PortalVisit>, Vec<PortalVisit>)> {
    let scope = Scope::of(user);
    let upcoming = ListFilter {
        from: Some(Utc::now()),
        status: Some(VisitStatus::Gepland),
        ..ListFilter::default()
    };
    let (coming, _) = queries::list(db, &scope, &upcoming, Paging::new(None, Some(20))?).await?;
    let done = ListFilter {
        status: Some(VisitStatus::Uitgevoerd),
        newest_first: true,
        ..ListFilter::default()
    };
    let (past, _) = queries::list(db, &scope, &done, Paging::new(None, Some(5))?).await?;
    Ok((
        coming.iter().map(row).collect(),
        past.iter().map(row).collect(),
    ))
}
