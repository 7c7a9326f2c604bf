//! The planning proposal: a pure function from candidates (risk and 3-year due date per provider)
//! to visits per week, so the rules can be read and tested without a database.
//!
//! Rules, in order:
//! 1. A provider with a planned visit in the window is left out ("al gepland").
//! 2. Every provider whose 3-year due date falls before the end of the window (or that was never
//!    visited) is *mandatory*. If there are more than the window holds, the ones with the latest
//!    deadlines go to `shortfall`, never silently dropped.
//! 3. Mandatory visits are placed earliest deadline first, each in the latest week with room that
//!    is not after its due week ("just in time"); that meets every deadline whenever capacity
//!    allows, and leaves the early weeks free for the riskiest providers. One that cannot make its
//!    deadline goes in the earliest week with room (late, but planned).
//! 4. The remaining room is filled highest risk first (ties by name), earliest week first.
use std::collections::HashSet;

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::local_time::week_number;
use crate::domain::text::date_nl;
use crate::risk::Factor;

/// The length of the visit cycle (DOMAIN.md "Deadlines").
pub const CYCLE: Months = Months::new(36);

/// A provider that could be visited.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub provider_id: Uuid,
    pub name: String,
    pub score: u32,
    pub level: String,
    pub factors: Vec<Factor>,
    /// The last completed visit plus 3 years; `None`: never visited, so due now.
    pub due: Option<NaiveDate>,
    /// Already has a planned (`gepland`) visit in the window.
    pub planned: bool,
}

/// The 3-year due date after a completed visit on `last_visit`.
pub fn due_after(last_visit: Option<NaiveDate>) -> Option<NaiveDate> {
    last_visit.map(|on| on.checked_add_months(CYCLE).unwrap_or(NaiveDate::MAX))
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RiskBrief {
    pub score: u32,
    pub level: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ProposedVisit {
    pub provider_id: Uuid,
    pub name: String,
    pub risk: RiskBrief,
    /// The 3-year due date; `null` when never visited.
    pub due: Option<NaiveDate>,
    /// Must be visited in this window (3-year cycle).
    pub mandatory: bool,
    /// Why, in Dutch: the cycle first, then the risk factors.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Week {
    /// The Monday.
    pub week_start: NaiveDate,
    /// ISO week number.
    pub week_number: u32,
    pub visits: Vec<ProposedVisit>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Proposal {
    pub weeks: Vec<Week>,
    pub already_planned: Vec<ProposedVisit>,
    /// Mandatory providers that do not fit in the window.
    pub shortfall: Vec<ProposedVisit>,
}

fn proposed(c: &Candidate, mandatory: bool) -> ProposedVisit {
    let mut reasons = Vec::with_capacity(c.factors.len() + 1);
    match c.due {
        None => reasons.push("Nog nooit bezocht".to_string()),
        Some(due) if mandatory => reasons.push(format!(
            "Bezoek verplicht vóór {} (3-jaarlijkse cyclus)",
            date_nl(due)
        )),
        Some(_) => {}
    }
    reasons.extend(
        c.factors
            .iter()
            .map(|f| format!("{}: {} ({} punten)", f.name, f.detail, f.points)),
    );
    ProposedVisit {
        provider_id: c.provider_id,
        name: c.name.clone(),
        risk: RiskBrief {
            score: c.score,
            level: c.level.clone(),
        },
        due: c.due,
        mandatory,
        reasons,
    }
}

fn by_risk(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    b.score
        .cmp(&a.score)
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.provider_id.cmp(&b.provider_id))
}

/// The proposal for `weeks` weeks from `first_monday` (any date is taken as the Monday of its
/// week), at most `capacity_per_week` visits a week.
pub fn propose(
    candidates: &[Candidate],
    first_monday: NaiveDate,
    weeks: u32,
    capacity_per_week: u32,
) -> Proposal {
    let first_monday =
        first_monday - Duration::days(i64::from(first_monday.weekday().num_days_from_monday()));
    let end = first_monday + Duration::weeks(i64::from(weeks));
    let is_mandatory = |c: &Candidate| c.due.is_none_or(|due| due < end);

    let mut already_planned: Vec<&Candidate> = candidates.iter().filter(|c| c.planned).collect();
    already_planned.sort_by(|a, b| by_risk(a, b));
    let open = candidates.iter().filter(|c| !c.planned);
    let (mut mandatory, mut optional): (Vec<&Candidate>, Vec<&Candidate>) =
        open.partition(|c| is_mandatory(c));
    // Never visited counts as due before any date: it is overdue since the provider started.
    mandatory.sort_by(|a, b| {
        a.due
            .unwrap_or(NaiveDate::MIN)
            .cmp(&b.due.unwrap_or(NaiveDate::MIN))
            .then_with(|| by_risk(a, b))
    });
    optional.sort_by(|a, b| by_risk(a, b));

    let capacity = capacity_per_week as usize;
    let total = capacity.saturating_mul(weeks as usize);
    let fits = mandatory.len().min(total);
    let shortfall = mandatory.split_off(fits);

    let mut slots: Vec<Vec<&Candidate>> = vec![Vec::new(); weeks as usize];
    let mut mandatory_ids = HashSet::with_capacity(mandatory.len());
    for c in &mandatory {
        mandatory_ids.insert(c.provider_id);
        // The last week whose Monday is not after the due date; a visit early in that week
        // (the one-click planning takes the first free working day) is then in time.
        let due_week =
            c.due
                .map_or(0, |due| (due - first_monday).num_days().max(0) / 7) as usize;
        let in_time = (0..=due_week.min(slots.len().saturating_sub(1)))
            .rev()
            .find(|w| slots[*w].len() < capacity);
        let week = in_time.or_else(|| slots.iter().position(|s| s.len() < capacity));
        if let Some(week) = week {
            slots[week].push(c);
        }
    }
    let mut rest = optional.into_iter();
    for slot in &mut slots {
        while slot.len() < capacity {
            match rest.next() {
                Some(c) => slot.push(c),
                None => break,
            }
        }
    }

    let weeks = slots
        .into_iter()
        .enumerate()
        .map(|(i, mut visits)| {
            let week_start = first_monday + Duration::weeks(i as i64);
            visits.sort_by(|a, b| by_risk(a, b));
            Week {
                week_start,
                week_number: week_number(week_start),
                visits: visits
                    .into_iter()
                    .map(|c| proposed(c, mandatory_ids.contains(&c.provider_id)))
                    .collect(),
            }
        })
        .collect();
    Proposal {
        weeks,
        already_planned: already_planned
            .into_iter()
            .map(|c| proposed(c, is_mandatory(c)))
            .collect(),
        shortfall: shortfall.into_iter().map(|c| proposed(c, true)).collect(),
    }
}

#[cfg(test)]
#[path = "propose_tests.rs"]
mod tests;
