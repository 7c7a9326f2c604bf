//! `toezicht demo-data --scale small|national`: a large, realistic data set generated from a
//! seed, for load tests and for trying the application at the size of the whole country. Every
//! value comes from a seeded generator (`rng.rs`) and dates are counted back from `today`, so the
//! same seed on the same day gives the same rows. Written with batched multi-row inserts
//! (`batch.rs`), table by table, so that foreign keys always point at rows already written.
mod batch;
mod people;
mod providers;
mod reports;
mod rng;
mod signals;
mod visits;

use std::time::Instant;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::db::entities::{provider, provider_last_visit, signal, visit_theme_score};
use crate::error::{AppError, AppResult};

/// How many rows of each kind a scale writes. Ratings follow from the visits: every criterion of
/// the current framework for every completed visit (16 criteria: about 3,000,000 nationally).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub providers: usize,
    pub visits: usize,
    pub reports: usize,
    pub signals: usize,
    pub users: usize,
}

impl Scale {
    /// The national data set: 25 regions, ten years of supervision.
    pub const NATIONAL: Scale = Scale {
        providers: 20_000,
        visits: 200_000,
        reports: 150_000,
        signals: 1_000_000,
        users: 400,
    };

    /// 1/100 of national, for tests and CI; except the users: 4 would leave most regions
    /// without an inspector, so 40 (2 admins, 30 inspectors, 8 provider users).
    pub const SMALL: Scale = Scale {
        providers: 200,
        visits: 2_000,
        reports: 1_500,
        signals: 10_000,
        users: 40,
    };
}

/// Rows written per table, in the order written, and the time it took.
#[derive(Debug)]
pub struct Summary {
    pub rows: Vec<(&'static str, u64)>,
    pub seconds: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Demodata aangemaakt in {:.1} s:", self.seconds)?;
        for (table, rows) in &self.rows {
            writeln!(f, "  {table:<18} {rows:>10}")?;
        }
        write!(
            f,
            "Alle gebruikers hebben het wachtwoord {}.",
            crate::db::demo::DEMO_PASSWORD
        )
    }
}

/// The first and last day of the ten years the data set covers.
pub(crate) struct Span {
    pub today: NaiveDate,
    pub first: NaiveDate,
}

impl Span {
    pub fn days(&self) -> i64 {
        (self.today - self.first).num_days()
    }
}

/// Generates `scale` from `seed` into `db` (migrated, reference data loaded). Refuses a database
/// that already has providers or signals: generated rows would mix with real ones, and signal
/// references would collide.
pub async fn generate(
    db: &DatabaseConnection,
    scale: Scale,
    seed: u64,
    today: NaiveDate,
) -> AppResult<Summary> {
    if provider::Entity::find().count(db).await? > 0 || signal::Entity::find().count(db).await? > 0
    {
        return Err(AppError::Conflict(
            "De database bevat al aanbieders of meldingen; demodata worden alleen in een lege \
             database aangemaakt (the database already has providers or signals)."
                .into(),
        ));
    }
    let started = Instant::now();
    let span = Span {
        today,
        first: today - chrono::Duration::days(3652),
    };
    let mut rows = Vec::new();
    let register = providers::write(db, scale, seed, &span, &mut rows).await?;
    let staff = people::write(db, scale, seed, &register, &mut rows).await?;
    let done = visits::write(db, scale, seed, &span, &register, &staff, &mut rows).await?;
    reports::write(db, scale, seed, &span, &done, &mut rows).await?;
    // The visits were written as they are, not completed one by one: summarise them as the
    // migration did (`visits::summaries`).
    crate::visits::summaries::rebuild(db).await?;
    rows.push((
        "visit_theme_scores",
        visit_theme_score::Entity::find().count(db).await?,
    ));
    rows.push((
        "provider_last_visits",
        provider_last_visit::Entity::find().count(db).await?,
    ));
    signals::write(db, scale, seed, &span, &register, &staff, &mut rows).await?;
    // Every score once, with the built-in weights (`serve` computes them anew if its weights
    // differ), instead of working through the log of a million bulk-written signals.
    let kept = crate::risk::stored::compute_all(db, &crate::risk::RiskWeights::default()).await?;
    rows.push(("provider_risks", kept as u64));
    refresh_statistics(db).await?;
    Ok(Summary {
        rows,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Table statistics after a bulk load. Without them both planners guess: PostgreSQL's
/// autovacuum would analyse the new tables only minutes later (the national dashboard took 29 s
/// until then, 1 s after), and SQLite never gathers them by itself.
async fn refresh_statistics(db: &DatabaseConnection) -> AppResult<()> {
    let sql = if crate::db::is_postgres(db) {
        // VACUUM also sets the visibility map, which index-only scans need.
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    db.execute_unprepared(sql).await?;
    Ok(())
}
