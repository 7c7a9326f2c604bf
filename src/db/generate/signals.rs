//! Ten years of signals in every category and status: the recent ones still open, the older ones
//! mostly closed, reporters' contact details erased a year after closing as the daily job does.
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, Set};

use super::batch::Batches;
use super::people::Staff;
use super::providers::Registered;
use super::rng::Rng;
use super::{Scale, Span};
use crate::auth::tokens::hash_token;
use crate::db::entities::signal;
use crate::error::AppResult;
use crate::signals::queries::triage_due;
use crate::signals::rules::{Category, Priority, ReporterRole, SignalStatus as S};

const DESCRIPTIONS: [&str; 4] = [
    "De afgesproken begeleiding komt regelmatig niet opdagen, zonder bericht vooraf.",
    "Mijn moeder wordt door een medewerker kleinerend toegesproken.",
    "De nooduitgang van de woonvoorziening is 's nachts afgesloten.",
    "Er wordt geld van de bewoners beheerd zonder dat iemand kan zien waaraan het opgaat.",
];
const RESOLUTIONS: [&str; 3] = [
    "Besproken met de aanbieder; maatregelen genomen.",
    "Meegenomen in het eerstvolgende toezichtbezoek.",
    "Geen aanwijzingen voor tekortkomingen gevonden.",
];

pub async fn write(
    db: &DatabaseConnection,
    scale: Scale,
    seed: u64,
    span: &Span,
    register: &[Registered],
    staff: &Staff,
    rows: &mut Vec<(&'static str, u64)>,
) -> AppResult<()> {
    let mut rng = Rng::new(seed, 5);
    let start = Utc.from_utc_datetime(&span.first.and_hms_opt(0, 0, 0).expect("midnight"));
    let seconds = span.days() * 86_400;
    let mut counters: BTreeMap<i32, i64> = BTreeMap::new();
    // Working days per received date: computing holidays a million times is needless.
    let mut triage: HashMap<NaiveDate, NaiveDate> = HashMap::new();
    let mut writer = Batches::new(db, "signals", 27);
    for i in 0..scale.signals {
        let received_at = start + Duration::seconds(i as i64 * seconds / scale.signals as i64);
        let age = (span.today - received_at.date_naive()).num_days();
        let counter = counters.entry(received_at.year()).or_default();
        *counter += 1;
        let status = status(&mut rng, age);
        let category = rng.weighted(&[
            (30, Category::KwaliteitZorg),
            (20, Category::Bejegening),
            (15, Category::Veiligheid),
            (10, Category::Geweld),
            (10, Category::Financieel),
            (5, Category::Calamiteit),
            (10, Category::Overig),
        ]);
        let priority = if matches!(category, Category::Calamiteit | Category::Geweld) {
            *rng.pick(&[Priority::Hoog, Priority::Spoed])
        } else {
            rng.weighted(&[
                (20, Priority::Laag),
                (70, Priority::Normaal),
                (10, Priority::Hoog),
            ])
        };
        let target = rng.pick(register);
        let known = !rng.chance(80);
        let closed_at = (status == S::Afgesloten).then(|| {
            (received_at + Duration::days(5 + rng.below(60) as i64))
                .min(start + Duration::seconds(seconds))
        });
        let anonymous = rng.chance(350);
        let erased = closed_at
            .map(|at| at + Duration::days(365))
            .filter(|at| at.date_naive() < span.today);
        let with_contact = !anonymous && erased.is_none();
        let day = received_at.date_naive();
        let due = *triage.entry(day).or_insert_with(|| triage_due(received_at));
        writer
            .push(signal::ActiveModel {
                id: Set(rng.uuid()),
                reference: Set(format!("M-{}-{counter:06}", received_at.year())),
                tracking_token_hash: Set(hash_token(&format!("demo-data-{seed}-{i}"))),
                status: Set(status.as_str().into()),
                priority: Set(priority.as_str().into()),
                category: Set(category.as_str().into()),
                description: Set(rng.pick(&DESCRIPTIONS).to_string()),
                occurred_on: Set(Some(day - Duration::days(rng.below(14) as i64))),
                reporter_role: Set(rng.pick(ReporterRole::ALL).as_str().into()),
                anonymous: Set(anonymous),
                contact_name: Set(with_contact.then(|| format!("Melder {i}"))),
                contact_email: Set(with_contact.then(|| format!("melder{i}@voorbeeld.example"))),
                provider_id: Set(known.then_some(target.id)),
                provider_name: Set(Some(if known {
                    target.name.clone()
                } else {
                    format!("Onbekende aanbieder {}", i % 997)
                })),
                municipality_code: Set(Some(target.municipality.clone())),
                region_code: Set(target.region.clone()),
                assignee_id: Set((status != S::Ontvangen)
                    .then(|| staff.inspector(&target.region, &mut rng))
                    .flatten()),
                visit_id: Set(None),
                resolution: Set(closed_at.map(|_| rng.pick(&RESOLUTIONS).to_string())),
                duplicate_of: Set(None),
                filed_by: Set(None),
                calamity: Set(None),
                received_at: Set(received_at),
                triage_due: Set(due),
                closed_at: Set(closed_at),
                contact_erased_at: Set(erased.filter(|_| !anonymous)),
                updated_at: Set(erased.or(closed_at).unwrap_or(received_at)),
            })
            .await?;
    }
    rows.push(("signals", writer.finish().await?));
    // New signals continue the numbering after the generated ones.
    for (year, last) in counters {
        let sql = format!(
            "INSERT INTO reference_counters (name, last_value) VALUES ('M-{year}', {last}) \
             ON CONFLICT (name) DO UPDATE SET last_value = excluded.last_value"
        );
        db.execute_unprepared(&sql).await?;
        if db.get_database_backend() == sea_orm::DbBackend::Postgres {
            // PostgreSQL numbers from a sequence per year (`signals::reference`); one that
            // already exists must continue after the generated numbers too.
            db.execute_unprepared(&format!(
                "SELECT setval(c.oid::regclass, {last}) FROM pg_class c \
                 WHERE c.relname = 'signal_reference_{year}' AND c.relkind = 'S'"
            ))
            .await?;
        }
    }
    Ok(())
}

/// Recent signals are still being handled; older ones are mostly closed.
fn status(rng: &mut Rng, age: i64) -> S {
    let table: &[(u64, S)] = match age {
        ..3 => &[(70, S::Ontvangen), (30, S::InBehandeling)],
        3..30 => &[
            (10, S::Ontvangen),
            (40, S::InBehandeling),
            (20, S::Onderzoek),
            (10, S::Doorverwezen),
            (20, S::Afgesloten),
        ],
        30..120 => &[
            (10, S::InBehandeling),
            (15, S::Onderzoek),
            (15, S::Doorverwezen),
            (60, S::Afgesloten),
        ],
        _ => &[(15, S::Doorverwezen), (85, S::Afgesloten)],
    };
    rng.weighted(table)
}
