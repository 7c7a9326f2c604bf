//! Each provider's risk score, kept (issue 8). The region dashboard ranks all of a region's
//! providers; computing every score from its inputs on each request read a region's signals of the
//! year, its providers and their last visits: most of a dashboard's cost at national scale.
//!
//! - `provider_risks`: per provider its score and factors as last computed (`risk::stored`), with
//!   `valid_until`, the moment the passing of time alone would change them (a signal leaving the
//!   12 months, a point passing its due date, another year since the last visit), and `weights`,
//!   the fingerprint of the weights used. Region, name and the active flag are copied from the
//!   provider by a trigger, so a region's ranking is read from one index.
//! - `provider_risk_changes`: a log, written by the triggers below in the same transaction as
//!   every change to an input of a provider's score: a signal about it (filed, moved,
//!   recategorised, marked duplicate, deleted), its last completed visit, an improvement point of
//!   one of its reports or that report's status, its own services, region, name or active flag.
//!
//! A kept score is used only while `valid_until` lies ahead, the weights are the reader's own and
//! the log holds no change for the provider; any other provider's score is computed on the spot.
//! A background task computes the changed and expired scores anew and removes the log entries it
//! has seen. So no read ever shows a score its inputs no longer give.
//!
//! The log is only ever appended to by the triggers, so they take no lock that a concurrent
//! transaction could wait for: filing signals stays free of deadlocks. The triggers are in the
//! database rather than in the application so that every write counts, also one made by hand or
//! by a future code path. SQLite has row triggers only; on PostgreSQL inserted and deleted signals
//! are logged once per statement.
use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `valid_until` of a score not computed yet: long past.
pub const NEVER: &str = "1970-01-01T00:00:00+00:00";

/// A row per provider, to be computed (also `risk::stored::ensure_rows`).
pub const BACKFILL: &str = "
INSERT INTO provider_risks (provider_id, region_code, active, name, score, factors, valid_until, weights)
SELECT providers.id, providers.region_code, providers.active, providers.name, 0, '[]', '1970-01-01T00:00:00+00:00', ''
FROM providers
WHERE NOT EXISTS (SELECT 1 FROM provider_risks WHERE provider_risks.provider_id = providers.id)";

/// Logs a change for the provider `id` (an SQL expression).
fn log(id: &str) -> String {
    format!("INSERT INTO provider_risk_changes (provider_id) SELECT {id} WHERE {id} IS NOT NULL;")
}

fn via_report(side: &str) -> String {
    log(&format!(
        "(SELECT provider_id FROM reports WHERE reports.id = {side}.report_id)"
    ))
}

const PROVIDER_ROW: &str = "INSERT INTO provider_risks (provider_id, region_code, active, name, \
    score, factors, valid_until, weights) VALUES (NEW.id, NEW.region_code, NEW.active, NEW.name, \
    0, '[]', '1970-01-01T00:00:00+00:00', '');";
const PROVIDER_SYNC: &str = "UPDATE provider_risks SET region_code = NEW.region_code, \
    active = NEW.active, name = NEW.name WHERE provider_id = NEW.id;";

/// `(name, table, event, statements)`, as SQLite row triggers.
fn sqlite_triggers() -> Vec<(&'static str, &'static str, &'static str, String)> {
    let both = |old: String, new: String| format!("{old}{new}");
    vec![
        (
            "signals_risk_insert",
            "signals",
            "INSERT",
            log("NEW.provider_id"),
        ),
        (
            "signals_risk_delete",
            "signals",
            "DELETE",
            log("OLD.provider_id"),
        ),
        (
            "signals_risk_update",
            "signals",
            "UPDATE OF provider_id, category, duplicate_of, received_at",
            both(log("OLD.provider_id"), log("NEW.provider_id")),
        ),
        (
            "last_visits_risk_insert",
            "provider_last_visits",
            "INSERT",
            log("NEW.provider_id"),
        ),
        (
            "last_visits_risk_update",
            "provider_last_visits",
            "UPDATE",
            both(log("OLD.provider_id"), log("NEW.provider_id")),
        ),
        (
            "last_visits_risk_delete",
            "provider_last_visits",
            "DELETE",
            log("OLD.provider_id"),
        ),
        (
            "points_risk_insert",
            "improvement_points",
            "INSERT",
            via_report("NEW"),
        ),
        (
            "points_risk_update",
            "improvement_points",
            "UPDATE OF report_id, status, due_date",
            both(via_report("OLD"), via_report("NEW")),
        ),
        (
            "points_risk_delete",
            "improvement_points",
            "DELETE",
            via_report("OLD"),
        ),
        (
            "reports_risk_update",
            "reports",
            "UPDATE OF provider_id, status",
            both(log("OLD.provider_id"), log("NEW.provider_id")),
        ),
        (
            "reports_risk_delete",
            "reports",
            "DELETE",
            log("OLD.provider_id"),
        ),
        (
            "providers_risk_insert",
            "providers",
            "INSERT",
            format!("{PROVIDER_ROW}{}", log("NEW.id")),
        ),
        (
            "providers_risk_update",
            "providers",
            "UPDATE OF region_code, active, name, services",
            format!("{PROVIDER_SYNC}{}", log("NEW.id")),
        ),
    ]
}

/// The PostgreSQL functions and triggers: per statement for inserted and deleted signals, per
/// row for the rest.
const POSTGRES: &str = r#"
CREATE FUNCTION signals_risk_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO provider_risk_changes (provider_id)
  SELECT DISTINCT provider_id FROM inserted_signals WHERE provider_id IS NOT NULL;
  RETURN NULL;
END $$;
CREATE TRIGGER signals_risk_insert AFTER INSERT ON signals
  REFERENCING NEW TABLE AS inserted_signals FOR EACH STATEMENT EXECUTE FUNCTION signals_risk_inserted();

CREATE FUNCTION signals_risk_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO provider_risk_changes (provider_id)
  SELECT DISTINCT provider_id FROM deleted_signals WHERE provider_id IS NOT NULL;
  RETURN NULL;
END $$;
CREATE TRIGGER signals_risk_delete AFTER DELETE ON signals
  REFERENCING OLD TABLE AS deleted_signals FOR EACH STATEMENT EXECUTE FUNCTION signals_risk_deleted();

CREATE FUNCTION risk_of_provider() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.provider_id IS NOT NULL THEN
    INSERT INTO provider_risk_changes (provider_id) VALUES (OLD.provider_id);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.provider_id IS NOT NULL THEN
    INSERT INTO provider_risk_changes (provider_id) VALUES (NEW.provider_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER signals_risk_update AFTER UPDATE OF provider_id, category, duplicate_of, received_at
  ON signals FOR EACH ROW EXECUTE FUNCTION risk_of_provider();
CREATE TRIGGER reports_risk AFTER DELETE OR UPDATE OF provider_id, status
  ON reports FOR EACH ROW EXECUTE FUNCTION risk_of_provider();
CREATE TRIGGER last_visits_risk AFTER INSERT OR UPDATE OR DELETE
  ON provider_last_visits FOR EACH ROW EXECUTE FUNCTION risk_of_provider();

CREATE FUNCTION points_risk() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO provider_risk_changes (provider_id)
    SELECT provider_id FROM reports WHERE id = OLD.report_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO provider_risk_changes (provider_id)
    SELECT provider_id FROM reports WHERE id = NEW.report_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER points_risk AFTER INSERT OR DELETE OR UPDATE OF report_id, status, due_date
  ON improvement_points FOR EACH ROW EXECUTE FUNCTION points_risk();

CREATE FUNCTION providers_risk() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO provider_risks (provider_id, region_code, active, name, score, factors, valid_until, weights)
    VALUES (NEW.id, NEW.region_code, NEW.active, NEW.name, 0, '[]', '1970-01-01T00:00:00+00:00', '');
  ELSE
    UPDATE provider_risks SET region_code = NEW.region_code, active = NEW.active, name = NEW.name
    WHERE provider_id = NEW.id;
  END IF;
  INSERT INTO provider_risk_changes (provider_id) VALUES (NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER providers_risk AFTER INSERT OR UPDATE OF region_code, active, name, services
  ON providers FOR EACH ROW EXECUTE FUNCTION providers_risk();
"#;

const POSTGRES_DOWN: &str = r#"
DROP TRIGGER IF EXISTS signals_risk_insert ON signals;
DROP TRIGGER IF EXISTS signals_risk_delete ON signals;
DROP TRIGGER IF EXISTS signals_risk_update ON signals;
DROP TRIGGER IF EXISTS reports_risk ON reports;
DROP TRIGGER IF EXISTS last_visits_risk ON provider_last_visits;
DROP TRIGGER IF EXISTS points_risk ON improvement_points;
DROP TRIGGER IF EXISTS providers_risk ON providers;
DROP FUNCTION IF EXISTS signals_risk_inserted();
DROP FUNCTION IF EXISTS signals_risk_deleted();
DROP FUNCTION IF EXISTS risk_of_provider();
DROP FUNCTION IF EXISTS points_risk();
DROP FUNCTION IF EXISTS providers_risk();
"#;
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("provider_risks")
                    .col(pk_uuid("provider_id"))
                    .col(string_len("region_code", 6))
                    .col(boolean("active"))
                    .col(string("name"))
                    .col(integer("score"))
                    .col(text("factors"))
                    .col(timestamp_with_time_zone("valid_until"))
                    .col(string_len("weights", 32))
                    .foreign_key(
                        ForeignKey::create()
                            .from("provider_risks", "provider_id")
                            .to("providers", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // No foreign key: a log entry may outlive what it names (the background task skips a
        // provider that is gone), and checking one would cost every signal filed a lookup.
        manager
            .create_table(
                Table::create()
                    .table("provider_risk_changes")
                    .col(big_pk_auto("id"))
                    .col(uuid("provider_id"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for statement in [
            // A region's ranking: its active providers by score, with what the ranking shows and
            // what decides whether a score may be used, from the index alone.
            "CREATE INDEX provider_risks_rank_idx ON provider_risks \
             (region_code, active, score, valid_until, weights, name, provider_id)",
            // The background task's work: the expired scores.
            "CREATE INDEX provider_risks_valid_until_idx ON provider_risks (valid_until)",
            "CREATE INDEX provider_risk_changes_provider_idx ON provider_risk_changes (provider_id)",
            BACKFILL,
        ] {
            db.execute_unprepared(statement).await?;
        }
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(POSTGRES).await?;
            }
            _ => {
                for (name, table, event, statements) in sqlite_triggers() {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {statements} END"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(POSTGRES_DOWN).await?;
            }
            _ => {
                for (name, ..) in sqlite_triggers() {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}"))
                        .await?;
                }
            }
        }
        for table in ["provider_risk_changes", "provider_risks"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
