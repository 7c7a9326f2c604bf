//! Summaries of completed visits (issue 8). A completed visit's ratings never change again, so
//! what the dashboard and the risk ranking read of them is written once, at completion, instead of
//! being counted from the ratings on every read:
//! - `visit_theme_scores`: per completed visit and theme, the points and the assessed criteria
//!   (the region's scores per theme read ~5,000 of these rows instead of joining 13,000 ratings
//!   with the framework);
//! - `provider_last_visits`: per provider its last completed visit with the ratings counted per
//!   outcome (the risk ranking and "never / too long ago visited" read one narrow row per
//!   provider instead of finding the last visit among ten years of visits and counting its
//!   ratings).
//!
//! The application writes them in `visits::summaries`; the backfill below is the same
//! computation in plain SQL, for the visits completed before this migration.
//!
//! It also adds an index on the providers of a region with the columns the risk ranking reads,
//! and widens the index on signals (region, received, category) with the provider and
//! `duplicate_of`, so the risk ranking counts a region's signals of the last 12 months from that
//! index alone (a signal's region is its provider's: `providers::queries::update` moves them).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SIGNALS_OLD: (&str, &[&str]) = (
    "signals_region_received_idx",
    &["region_code", "received_at", "category"],
);
const SIGNALS_NEW: (&str, &[&str]) = (
    "signals_region_received_provider_idx",
    &[
        "region_code",
        "received_at",
        "category",
        "provider_id",
        "duplicate_of",
    ],
);

const PROVIDERS: (&str, &[&str]) = (
    "providers_region_active_idx",
    &["region_code", "active", "id", "name", "services"],
);

/// Every completed visit's points per theme (also `visits::summaries::rebuild`).
pub const BACKFILL_THEME_SCORES: &str = "
INSERT INTO visit_theme_scores (visit_id, theme_code, region_code, starts_at, points, assessed)
SELECT visits.id, framework_themes.code, visits.region_code, visits.starts_at,
       SUM(CASE visit_ratings.rating WHEN 'voldoet' THEN 2 WHEN 'voldoet_deels' THEN 1 ELSE 0 END),
       SUM(CASE WHEN visit_ratings.rating IN ('voldoet', 'voldoet_deels', 'voldoet_niet') THEN 1 ELSE 0 END)
FROM visit_ratings
JOIN visits ON visits.id = visit_ratings.visit_id
JOIN framework_criteria ON framework_criteria.version_id = visits.framework_version_id
                       AND framework_criteria.code = visit_ratings.criterion_code
JOIN framework_themes ON framework_themes.id = framework_criteria.theme_id
WHERE visits.status = 'uitgevoerd'
GROUP BY visits.id, framework_themes.code, visits.region_code, visits.starts_at";

/// Every provider's last completed visit (also `visits::summaries::rebuild`).
pub const BACKFILL_LAST_VISITS: &str = "
INSERT INTO provider_last_visits (provider_id, visit_id, starts_at, met, partly_met, not_met)
SELECT visits.provider_id, visits.id, visits.starts_at,
       SUM(CASE WHEN visit_ratings.rating = 'voldoet' THEN 1 ELSE 0 END),
       SUM(CASE WHEN visit_ratings.rating = 'voldoet_deels' THEN 1 ELSE 0 END),
       SUM(CASE WHEN visit_ratings.rating = 'voldoet_niet' THEN 1 ELSE 0 END)
FROM visits
LEFT JOIN visit_ratings ON visit_ratings.visit_id = visits.id
WHERE visits.status = 'uitgevoerd'
  AND visits.id = (SELECT latest.id FROM visits latest
                   WHERE latest.provider_id = visits.provider_id AND latest.status = 'uitgevoerd'
                   ORDER BY latest.starts_at DESC, latest.id ASC LIMIT 1)
GROUP BY visits.provider_id, visits.id, visits.starts_at";

fn index((name, columns): (&str, &[&str]), table: &str) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(Alias::new(table));
    for column in columns {
        index.col(Alias::new(*column));
    }
    index.to_owned()
}

fn drop_index(name: &str, table: &str) -> IndexDropStatement {
    Index::drop().name(name).table(Alias::new(table)).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("visit_theme_scores")
                    .col(uuid("visit_id"))
                    .col(string_len("theme_code", 32))
                    .col(string_len("region_code", 6))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(integer("points"))
                    .col(integer("assessed"))
                    .primary_key(Index::create().col("visit_id").col("theme_code"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("visit_theme_scores", "visit_id")
                            .to("visits", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The region's scores over a period: read from the index alone.
        manager
            .create_index(index(
                (
                    "visit_theme_scores_region_starts_idx",
                    &[
                        "region_code",
                        "starts_at",
                        "theme_code",
                        "points",
                        "assessed",
                    ],
                ),
                "visit_theme_scores",
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("provider_last_visits")
                    .col(pk_uuid("provider_id"))
                    .col(uuid("visit_id"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(integer("met"))
                    .col(integer("partly_met"))
                    .col(integer("not_met"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("provider_last_visits", "provider_id")
                            .to("providers", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("provider_last_visits", "visit_id")
                            .to("visits", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // The region's active providers with what the risk ranking shows of them, from the
        // index alone (the dashboard's provider counts read it too).
        manager.create_index(index(PROVIDERS, "providers")).await?;
        db.execute_unprepared(BACKFILL_THEME_SCORES).await?;
        db.execute_unprepared(BACKFILL_LAST_VISITS).await?;
        manager.create_index(index(SIGNALS_NEW, "signals")).await?;
        manager
            .drop_index(drop_index(SIGNALS_OLD.0, "signals"))
            .await?;
        // Statistics for the planners now, not when autovacuum (PostgreSQL) or nobody (SQLite)
        // gets round to it: without them a region's scores were read by a scan.
        for table in [
            "visit_theme_scores",
            "provider_last_visits",
            "signals",
            "providers",
        ] {
            db.execute_unprepared(&format!("ANALYZE {table}")).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(drop_index(PROVIDERS.0, "providers"))
            .await?;
        manager.create_index(index(SIGNALS_OLD, "signals")).await?;
        manager
            .drop_index(drop_index(SIGNALS_NEW.0, "signals"))
            .await?;
        manager
            .drop_table(Table::drop().table("provider_last_visits").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("visit_theme_scores").to_owned())
            .await
    }
}
