//! Counts per region and Dutch calendar month (issue 8), kept by triggers, for the dashboard's
//! charts: its signals per month and per category over the last 12 months read at most 12 × 9
//! counts instead of the region's 4,000 signals of the year twice, and its scores per theme over
//! the last 365 days read 11 months of totals and only the visits of the two months at the edges.
//!
//! - `calendar_months`: the first moment (UTC) of every Dutch calendar month from 2000 to 2099,
//!   computed here with the Europe/Amsterdam time zone, so both databases put a moment in the same
//!   month without knowing about time zones;
//! - `signal_months`: signals per region, month of `received_at` and category;
//! - `theme_months`: the summed points and assessed criteria of the completed visits
//!   (`visit_theme_scores`) per region, month of `starts_at` and theme.
//!
//! The triggers count every insert, delete and change of the columns counted, in the same
//! transaction, also when made by hand. On PostgreSQL the signals are counted per statement and
//! each statement adds to its counts in one order, so transactions filing signals at the same time
//! wait for each other's counts instead of deadlocking.
use chrono::{Datelike, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The Dutch month of the moment `at` (an SQL expression), `''` outside the calendar.
pub fn month_of(at: &str) -> String {
    format!(
        "COALESCE((SELECT month FROM calendar_months WHERE starts_at <= {at} \
         ORDER BY starts_at DESC LIMIT 1), '')"
    )
}

/// `(month, first moment in UTC as stored by the application)` for 2000-01 … 2099-12.
fn calendar() -> Vec<(String, String)> {
    let mut months = Vec::new();
    let mut first = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date");
    while first.year() < 2100 {
        let midnight = first.and_hms_opt(0, 0, 0).expect("midnight");
        // Dutch midnight exists on every first of the month (the clocks change at night).
        let starts = Amsterdam
            .from_local_datetime(&midnight)
            .earliest()
            .map(|at| at.with_timezone(&Utc))
            .unwrap_or_else(|| midnight.and_utc());
        months.push((
            first.format("%Y-%m").to_string(),
            starts.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
        ));
        first = first + Months::new(1);
    }
    months
}

fn signal_count(region: &str, at: &str, category: &str, n: i32) -> String {
    format!(
        "INSERT INTO signal_months (region_code, month, category, n) \
         VALUES ({region}, {}, {category}, {n}) \
         ON CONFLICT (region_code, month, category) DO UPDATE SET n = signal_months.n + {n};",
        month_of(at)
    )
}

fn theme_count(side: &str, sign: &str) -> String {
    format!(
        "INSERT INTO theme_months (region_code, month, theme_code, points, assessed) \
         VALUES ({side}.region_code, {month}, {side}.theme_code, {sign}{side}.points, {sign}{side}.assessed) \
         ON CONFLICT (region_code, month, theme_code) DO UPDATE SET \
         points = theme_months.points + {sign}{side}.points, \
         assessed = theme_months.assessed + {sign}{side}.assessed;",
        month = month_of(&format!("{side}.starts_at"))
    )
}

/// `(name, table, event, statements)`: row triggers, on SQLite for everything, on PostgreSQL for
/// the visits' totals (written once per completed visit).
fn row_triggers() -> Vec<(&'static str, &'static str, &'static str, String)> {
    let mut triggers = vec![
        (
            "theme_months_insert",
            "visit_theme_scores",
            "INSERT",
            theme_count("NEW", ""),
        ),
        (
            "theme_months_delete",
            "visit_theme_scores",
            "DELETE",
            theme_count("OLD", "-"),
        ),
        (
            "theme_months_update",
            "visit_theme_scores",
            "UPDATE",
            format!("{}{}", theme_count("OLD", "-"), theme_count("NEW", "")),
        ),
    ];
    triggers.extend([
        (
            "signal_months_insert",
            "signals",
            "INSERT",
            signal_count("NEW.region_code", "NEW.received_at", "NEW.category", 1),
        ),
        (
            "signal_months_delete",
            "signals",
            "DELETE",
            signal_count("OLD.region_code", "OLD.received_at", "OLD.category", -1),
        ),
        (
            "signal_months_update",
            "signals",
            "UPDATE OF region_code, received_at, category",
            format!(
                "{}{}",
                signal_count("OLD.region_code", "OLD.received_at", "OLD.category", -1),
                signal_count("NEW.region_code", "NEW.received_at", "NEW.category", 1)
            ),
        ),
    ]);
    triggers
}

/// PostgreSQL: the signals per statement, from the transition tables, in key order.
const POSTGRES_SIGNALS: &str = r#"
CREATE FUNCTION signal_months_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO signal_months (region_code, month, category, n)
  SELECT s.region_code, MONTH_OF_S, s.category, COUNT(*) FROM inserted_signals s
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (region_code, month, category) DO UPDATE SET n = signal_months.n + EXCLUDED.n;
  RETURN NULL;
END $$;
CREATE TRIGGER signal_months_insert AFTER INSERT ON signals
  REFERENCING NEW TABLE AS inserted_signals FOR EACH STATEMENT EXECUTE FUNCTION signal_months_inserted();

CREATE FUNCTION signal_months_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO signal_months (region_code, month, category, n)
  SELECT s.region_code, MONTH_OF_S, s.category, -COUNT(*) FROM deleted_signals s
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (region_code, month, category) DO UPDATE SET n = signal_months.n + EXCLUDED.n;
  RETURN NULL;
END $$;
CREATE TRIGGER signal_months_delete AFTER DELETE ON signals
  REFERENCING OLD TABLE AS deleted_signals FOR EACH STATEMENT EXECUTE FUNCTION signal_months_deleted();

CREATE FUNCTION signal_months_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO signal_months (region_code, month, category, n)
  SELECT region_code, month, category, SUM(n) FROM (
    SELECT s.region_code, MONTH_OF_S AS month, s.category, -1 AS n
    FROM old_signals s JOIN new_signals t ON t.id = s.id
    WHERE (s.region_code, s.received_at, s.category) IS DISTINCT FROM (t.region_code, t.received_at, t.category)
    UNION ALL
    SELECT s.region_code, MONTH_OF_S AS month, s.category, 1 AS n
    FROM new_signals s JOIN old_signals t ON t.id = s.id
    WHERE (s.region_code, s.received_at, s.category) IS DISTINCT FROM (t.region_code, t.received_at, t.category)
  ) moved
  GROUP BY 1, 2, 3 HAVING SUM(n) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT (region_code, month, category) DO UPDATE SET n = signal_months.n + EXCLUDED.n;
  RETURN NULL;
END $$;
CREATE TRIGGER signal_months_update AFTER UPDATE ON signals
  REFERENCING OLD TABLE AS old_signals NEW TABLE AS new_signals
  FOR EACH STATEMENT EXECUTE FUNCTION signal_months_updated();
"#;

const POSTGRES_DOWN: &str = "
DROP TRIGGER IF EXISTS signal_months_insert ON signals;
DROP TRIGGER IF EXISTS signal_months_delete ON signals;
DROP TRIGGER IF EXISTS signal_months_update ON signals;
DROP FUNCTION IF EXISTS signal_months_inserted();
DROP FUNCTION IF EXISTS signal_months_deleted();
DROP FUNCTION IF EXISTS signal_months_updated();
";

/// The counts of the data already there.
fn backfill() -> [String; 2] {
    [
        format!(
            "INSERT INTO signal_months (region_code, month, category, n) \
             SELECT region_code, month, category, COUNT(*) FROM \
             (SELECT region_code, {} AS month, category FROM signals) counted \
             GROUP BY region_code, month, category",
            month_of("signals.received_at")
        ),
        format!(
            "INSERT INTO theme_months (region_code, month, theme_code, points, assessed) \
             SELECT region_code, month, theme_code, SUM(points), SUM(assessed) FROM \
             (SELECT region_code, {} AS month, theme_code, points, assessed \
              FROM visit_theme_scores) summed \
             GROUP BY region_code, month, theme_code",
            month_of("visit_theme_scores.starts_at")
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("calendar_months")
                    .col(string_len("month", 7).primary_key())
                    .col(timestamp_with_time_zone("starts_at").unique_key())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("signal_months")
                    .col(string_len("region_code", 6))
                    .col(string_len("month", 7))
                    .col(string_len("category", 32))
                    .col(integer("n"))
                    .primary_key(
                        Index::create()
                            .col("region_code")
                            .col("month")
                            .col("category"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("theme_months")
                    .col(string_len("region_code", 6))
                    .col(string_len("month", 7))
                    .col(string_len("theme_code", 32))
                    .col(integer("points"))
                    .col(integer("assessed"))
                    .primary_key(
                        Index::create()
                            .col("region_code")
                            .col("month")
                            .col("theme_code"),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        for chunk in calendar().chunks(200) {
            let values: Vec<String> = chunk
                .iter()
                .map(|(month, starts)| {
                    if postgres {
                        format!("('{month}', '{starts}'::timestamptz)")
                    } else {
                        format!("('{month}', '{starts}')")
                    }
                })
                .collect();
            db.execute_unprepared(&format!(
                "INSERT INTO calendar_months (month, starts_at) VALUES {}",
                values.join(", ")
            ))
            .await?;
        }
        for statement in backfill() {
            db.execute_unprepared(&statement).await?;
        }
        for (name, table, event, statements) in row_triggers() {
            if postgres && table == "signals" {
                continue;
            }
            if postgres {
                db.execute_unprepared(&format!(
                    "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN {statements} RETURN NULL; END $$; \
                     CREATE TRIGGER {name} AFTER {event} ON {table} \
                     FOR EACH ROW EXECUTE FUNCTION {name}();"
                ))
                .await?;
            } else {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {statements} END"
                ))
                .await?;
            }
        }
        if postgres {
            db.execute_unprepared(
                &POSTGRES_SIGNALS.replace("MONTH_OF_S", &month_of("s.received_at")),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        if postgres {
            db.execute_unprepared(POSTGRES_DOWN).await?;
        }
        for (name, table, ..) in row_triggers() {
            if postgres {
                if table != "signals" {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"
                    ))
                    .await?;
                }
            } else {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}"))
                    .await?;
            }
        }
        for table in ["theme_months", "signal_months", "calendar_months"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
