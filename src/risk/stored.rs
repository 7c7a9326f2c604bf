//! Kept risk scores (migration 000018, `provider_risks`): what the dashboard's ranking, the
//! register's list and a provider's page read, so that a region's ranking no longer computes the
//! score of each of its hundreds of providers on every request.
//!
//! A kept score is *usable* while its `valid_until` lies ahead, it was computed with the reader's
//! weights and the change log holds nothing for the provider (the triggers log every change to an
//! input in the changing transaction). Every other score is computed on the spot from its
//! inputs, exactly as without keeping them, so what a user sees never depends on whether the
//! background task ([`refresh`]) has caught up.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Func, IntoIden, JoinType, Order, Query, SelectStatement, UnionType,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QueryResult, QuerySelect, QueryTrait, Select, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::entities::{provider, provider_risk, provider_risk_change};
use crate::db::one_statement::{self, Shape};
use crate::error::{AppError, AppResult};
use crate::risk::inputs::{Selection, gather, horizons};
use crate::risk::score::{Factors, Risk, level_of, score};
use crate::risk::validity::valid_until;
use crate::risk::{RiskSummary, RiskWeights};

/// Identifies a set of weights: a score kept with other weights is not used.
pub fn fingerprint(weights: &RiskWeights) -> String {
    let json = serde_json::to_string(weights).unwrap_or_default();
    Sha256::digest(json.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The conditions under which the kept score in table `t` may be used.
fn usable(q: &mut SelectStatement, t: &Alias, weights: &str, now: DateTime<Utc>) {
    let col = |c: provider_risk::Column| Expr::col((t.clone(), c));
    q.and_where(col(provider_risk::Column::ValidUntil).gt(now))
        .and_where(col(provider_risk::Column::Weights).eq(weights))
        .and_where(logged_as_changed(t.clone()).not());
}

/// Whether the change log holds an entry for the provider of the kept score in table `t`.
fn logged_as_changed(t: impl IntoIden) -> Expr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(provider_risk_change::Entity)
            .and_where(
                Expr::col((
                    provider_risk_change::Entity,
                    provider_risk_change::Column::ProviderId,
                ))
                .equals((t, provider_risk::Column::ProviderId)),
            )
            .to_owned(),
    )
}

fn in_region(q: &mut SelectStatement, t: &Alias, region: &str) {
    q.and_where(Expr::col((t.clone(), provider_risk::Column::RegionCode)).eq(region))
        .and_where(Expr::col((t.clone(), provider_risk::Column::Active)).eq(true));
}

/// The two reads of a region's ranking, for the caller to run in one statement with others
/// (the dashboard, `dashboard::figures`) or on their own ([`top_for_region`]).
pub struct TopQueries {
    /// The usable kept scores that could be among the top (`provider_id`, `name`, `score`):
    /// every one at least as high as the `limit`-th highest, so that ties at the boundary are
    /// all there whatever the database's order of names; from the index on (region, active,
    /// score, …).
    pub candidates: SelectStatement,
    /// The region's active providers whose kept score may not be used now (`provider_id`, a
    /// provider may come more than once): their score is computed on the spot ([`rank`]).
    pub stale: SelectStatement,
}

pub fn top_queries(
    weights: &RiskWeights,
    region: &str,
    limit: usize,
    now: DateTime<Utc>,
) -> TopQueries {
    let fp = fingerprint(weights);
    let (r, r2) = (Alias::new("r"), Alias::new("r2"));
    let mut boundary = Query::select();
    boundary
        .column((r2.clone(), provider_risk::Column::Score))
        .from_as(provider_risk::Entity, r2.clone())
        .order_by((r2.clone(), provider_risk::Column::Score), Order::Desc)
        .limit(1)
        .offset(limit.max(1) as u64 - 1);
    in_region(&mut boundary, &r2, region);
    usable(&mut boundary, &r2, &fp, now);
    let mut candidates = Query::select();
    candidates
        .columns([
            (r.clone(), provider_risk::Column::ProviderId),
            (r.clone(), provider_risk::Column::Name),
            (r.clone(), provider_risk::Column::Score),
        ])
        .from_as(provider_risk::Entity, r.clone())
        .and_where(
            Expr::col((r.clone(), provider_risk::Column::Score))
                .gte(Func::coalesce([Expr::from(boundary), Expr::val(0)])),
        );
    in_region(&mut candidates, &r, region);
    usable(&mut candidates, &r, &fp, now);
    TopQueries {
        candidates,
        stale: stale_in_region(region, &fp, now),
    }
}

/// The `limit` riskiest active providers of a region, highest first, ties by name: the
/// [`TopQueries`] in one statement (`db::one_statement`), then [`rank`].
pub async fn top_for_region<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    region: &str,
    limit: usize,
    now: DateTime<Utc>,
) -> AppResult<Vec<RiskSummary>> {
    let TopQueries { candidates, stale } = top_queries(weights, region, limit, now);
    const CANDIDATE: i32 = 0;
    const STALE: i32 = 1;
    let mut statement = one_statement::Statement::default();
    statement.part(
        candidates,
        Shape {
            g: Some(CANDIDATE),
            k: Some("name"),
            id: Some("provider_id"),
            n: [Some("score"), None, None],
            ..Shape::default()
        },
    );
    statement.part(
        stale,
        Shape {
            g: Some(STALE),
            id: Some("provider_id"),
            ..Shape::default()
        },
    );
    let (mut kept, mut computed) = (Vec::new(), Vec::new());
    for row in statement.rows(db).await? {
        let Some(id) = row.id else { continue };
        if row.g == STALE {
            computed.push(id);
        } else {
            let score = i32::try_from(row.n[0]).unwrap_or(0);
            kept.push((id, row.k(), score));
        }
    }
    rank(db, weights, kept, computed, limit, now).await
}

/// The ranking from the rows of [`TopQueries`]: the usable kept scores (`candidates` as
/// provider, name, score) and, computed now, the scores of the `stale` providers.
pub async fn rank<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    candidates: Vec<(Uuid, String, i32)>,
    stale: Vec<Uuid>,
    limit: usize,
    now: DateTime<Utc>,
) -> AppResult<Vec<RiskSummary>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let mut ranked: Vec<RiskSummary> = candidates
        .into_iter()
        .map(|(provider_id, name, score)| {
            let score = u32::try_from(score).unwrap_or(0);
            RiskSummary {
                provider_id,
                name,
                score,
                level: level_of(score).to_string(),
            }
        })
        .collect();
    let mut stale = stale;
    stale.sort_unstable();
    stale.dedup();
    if !stale.is_empty() {
        for (provider, inputs) in gather(db, &Selection::Ids(&stale), now).await? {
            let risk = score(&inputs, weights);
            ranked.push(RiskSummary {
                provider_id: provider.id,
                name: provider.name,
                score: risk.score,
                level: risk.level,
            });
        }
    }
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.provider_id.cmp(&b.provider_id))
    });
    ranked.truncate(limit);
    Ok(ranked)
}

/// The region's active providers whose kept score may not be used now: kept with other weights,
/// expired, or logged as changed (a provider may come more than once). Each part is one short
/// range of an index (migration 000021 for the first three), where "weights differ or expired"
/// in one condition read all the region's scores (800 in a large region) on every dashboard to
/// find, nearly always, none.
fn stale_in_region(region: &str, fp: &str, now: DateTime<Utc>) -> SelectStatement {
    let r = Alias::new("r");
    let col = |c: provider_risk::Column| Expr::col((r.clone(), c));
    let kept = |condition: Expr| {
        let mut q = Query::select();
        q.column((r.clone(), provider_risk::Column::ProviderId))
            .from_as(provider_risk::Entity, r.clone())
            .and_where(condition);
        in_region(&mut q, &r, region);
        q
    };
    let weights = || col(provider_risk::Column::Weights);
    let mut stale = kept(weights().lt(fp));
    stale.union(UnionType::All, kept(weights().gt(fp))).union(
        UnionType::All,
        kept(
            weights()
                .eq(fp)
                .and(col(provider_risk::Column::ValidUntil).lte(now)),
        ),
    );
    // Each provider once, however many changes it has logged: the log holds one entry per
    // change (a signal filed or deleted, a visit completed, …), and after a burst of filings
    // (the national benchmark's intake: 52,000 entries for 100 providers) every dashboard read
    // them all as rows and decoded them, 32 at a time, until the background task had caught
    // up: the server went from 130 to 437 MB.
    let mut changed = Query::select();
    changed
        .distinct()
        .column((r.clone(), provider_risk::Column::ProviderId))
        .from(provider_risk_change::Entity)
        .join_as(
            JoinType::InnerJoin,
            provider_risk::Entity,
            r.clone(),
            col(provider_risk::Column::ProviderId).equals((
                provider_risk_change::Entity,
                provider_risk_change::Column::ProviderId,
            )),
        );
    in_region(&mut changed, &r, region);
    stale.union(UnionType::All, changed);
    stale
}

/// A provider's kept score as read, before it is known to be usable.
#[derive(Debug, Clone)]
pub struct Kept {
    pub score: i32,
    pub factors: String,
    pub valid_until: DateTime<Utc>,
    pub weights: String,
    /// Whether the change log holds an entry for the provider.
    pub logged: bool,
}

impl Kept {
    /// The kept score as the risk a reader with `weights` (as [`fingerprint`]) sees at `now`, if
    /// it may be used: still valid, of the same weights, not logged as changed, and readable.
    fn usable(self, fp: &str, now: DateTime<Utc>) -> Option<Risk> {
        if self.valid_until <= now || self.weights != fp || self.logged {
            return None;
        }
        // A kept explanation that cannot be read is computed again instead.
        let factors = Factors::kept(self.factors)?;
        let score = u32::try_from(self.score).unwrap_or(0);
        Some(Risk {
            score,
            level: level_of(score).to_string(),
            factors,
        })
    }

    /// The kept score that [`with_kept`] added to a row (its columns prefixed with `pre`, as
    /// `FromQueryResult` passes it), if the provider has one.
    pub fn from_row(row: &QueryResult, pre: &str) -> Result<Option<Kept>, DbErr> {
        let Some(score) = row.try_get::<Option<i32>>(pre, "kept_score")? else {
            return Ok(None);
        };
        Ok(Some(Kept {
            score,
            factors: row.try_get(pre, "kept_factors")?,
            valid_until: row.try_get(pre, "kept_valid_until")?,
            weights: row.try_get(pre, "kept_weights")?,
            logged: row.try_get(pre, "kept_logged")?,
        }))
    }
}

/// `select` of providers with each one's kept score beside it (`kept_*`, read by
/// [`Kept::from_row`]): the register's page reads its rows and their scores in one statement.
pub fn with_kept(mut select: Select<provider::Entity>) -> Select<provider::Entity> {
    let k = Alias::new("kept");
    let col = |c: provider_risk::Column| Expr::col((k.clone(), c));
    QueryTrait::query(&mut select).join_as(
        JoinType::LeftJoin,
        provider_risk::Entity,
        k.clone(),
        col(provider_risk::Column::ProviderId).equals((provider::Entity, provider::Column::Id)),
    );
    select
        .expr_as(col(provider_risk::Column::Score), "kept_score")
        .expr_as(col(provider_risk::Column::Factors), "kept_factors")
        .expr_as(col(provider_risk::Column::ValidUntil), "kept_valid_until")
        .expr_as(col(provider_risk::Column::Weights), "kept_weights")
        .expr_as(logged_as_changed(k), "kept_logged")
}

/// The risk of each of these providers (that exists), in no particular order: kept where usable,
/// computed for the rest.
pub async fn for_providers<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> AppResult<Vec<(Uuid, Risk)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // The rows by primary key, whether usable decided here: given "valid_until > $1" a generic
    // plan (PostgreSQL, `db::begin_read`) ANDed the 50 keys with the index of all 20,000 scores
    // still valid.
    let logged = logged_as_changed(provider_risk::Entity);
    type Row = (Uuid, i32, String, DateTime<Utc>, String, bool);
    let rows: Vec<Row> = provider_risk::Entity::find()
        .select_only()
        .columns([
            provider_risk::Column::ProviderId,
            provider_risk::Column::Score,
            provider_risk::Column::Factors,
            provider_risk::Column::ValidUntil,
            provider_risk::Column::Weights,
        ])
        .column_as(logged, "logged")
        .filter(provider_risk::Column::ProviderId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let kept = rows
        .into_iter()
        .map(|(id, score, factors, valid_until, weights, logged)| {
            let kept = Kept {
                score,
                factors,
                valid_until,
                weights,
                logged,
            };
            (id, Some(kept))
        })
        .collect();
    resolve(db, weights, kept, now).await
}

/// The risk of each provider from its kept score where that is usable, computed for the rest
/// (ids without a kept row included); in no particular order, only providers that exist.
pub async fn resolve<C: ConnectionTrait>(
    db: &C,
    weights: &RiskWeights,
    kept: Vec<(Uuid, Option<Kept>)>,
    now: DateTime<Utc>,
) -> AppResult<Vec<(Uuid, Risk)>> {
    let fp = fingerprint(weights);
    let mut risks = Vec::with_capacity(kept.len());
    let mut rest = Vec::new();
    for (id, kept) in kept {
        match kept.and_then(|k| k.usable(&fp, now)) {
            Some(risk) => risks.push((id, risk)),
            None => rest.push(id),
        }
    }
    if !rest.is_empty() {
        for (provider, inputs) in gather(db, &Selection::Ids(&rest), now).await? {
            risks.push((provider.id, score(&inputs, weights)));
        }
    }
    Ok(risks)
}

/// Most scores one round of [`refresh`] computes.
pub const BATCH: u64 = 500;

/// What one round of [`refresh`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Scores computed and kept.
    pub kept: usize,
    /// Log entries removed.
    pub cleared: usize,
}

/// Computes and keeps anew the scores that changed or expired (at most [`BATCH`] of each), and
/// removes the log entries seen.
pub async fn refresh(
    db: &DatabaseConnection,
    weights: &RiskWeights,
    now: DateTime<Utc>,
) -> AppResult<Refreshed> {
    let fp = fingerprint(weights);
    // The log first, then the inputs: a change committed in between is in the inputs read (and
    // its entry, not seen here, stays in the log), so nothing is ever marked usable too early.
    let seen: Vec<(i64, Uuid)> = provider_risk_change::Entity::find()
        .select_only()
        .column(provider_risk_change::Column::Id)
        .column(provider_risk_change::Column::ProviderId)
        .order_by_asc(provider_risk_change::Column::Id)
        .limit(BATCH)
        .into_tuple()
        .all(db)
        .await?;
    let expired: Vec<Uuid> = provider_risk::Entity::find()
        .select_only()
        .column(provider_risk::Column::ProviderId)
        .filter(provider_risk::Column::ValidUntil.lte(now))
        .order_by_asc(provider_risk::Column::ValidUntil)
        .limit(BATCH)
        .into_tuple()
        .all(db)
        .await?;
    let mut ids: Vec<Uuid> = seen.iter().map(|(_, id)| *id).chain(expired).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Refreshed::default());
    }
    let mut horizon = horizons(db, &ids, now).await?;
    let computed: Vec<(Uuid, i32, String, DateTime<Utc>)> = gather(db, &Selection::Ids(&ids), now)
        .await?
        .into_iter()
        .map(|(provider, inputs)| {
            let risk = score(&inputs, weights);
            let until = valid_until(
                &inputs,
                &horizon.remove(&provider.id).unwrap_or_default(),
                now,
            );
            let factors = serde_json::to_string(&risk.factors).map_err(AppError::internal)?;
            Ok((provider.id, risk.score as i32, factors, until))
        })
        .collect::<AppResult<_>>()?;
    let txn = crate::db::begin_write(db).await?;
    let writable = lock_free_rows(&txn, &ids).await?;
    let mut kept = 0;
    for (id, score, factors, until) in &computed {
        if !writable.contains(id) {
            continue;
        }
        kept += 1;
        provider_risk::Entity::update_many()
            .set(provider_risk::ActiveModel {
                score: Set(*score),
                factors: Set(factors.clone()),
                valid_until: Set(*until),
                weights: Set(fp.clone()),
                ..Default::default()
            })
            .filter(provider_risk::Column::ProviderId.eq(*id))
            .exec(&txn)
            .await?;
    }
    // Entries of providers that no longer exist go too; those of rows another transaction holds,
    // and entries another transaction holds, stay for the next round.
    let done: Vec<i64> = seen
        .iter()
        .filter(|(_, id)| writable.contains(id) || !computed.iter().any(|(c, ..)| c == id))
        .map(|(entry, _)| *entry)
        .collect();
    let mut cleared = 0;
    if !done.is_empty() {
        let mut free = Query::select();
        free.column(provider_risk_change::Column::Id)
            .from(provider_risk_change::Entity)
            .and_where(Expr::col(provider_risk_change::Column::Id).is_in(done));
        skip_locked(&txn, &mut free);
        cleared = provider_risk_change::Entity::delete_many()
            .filter(provider_risk_change::Column::Id.in_subquery(free))
            .exec(&txn)
            .await?
            .rows_affected as usize;
    }
    txn.commit().await?;
    Ok(Refreshed { kept, cleared })
}

/// On PostgreSQL: `q` locks the rows it reads and skips those another transaction holds. The
/// refresh takes its kept rows and its log entries so, and never waits while holding rows, so it
/// cannot deadlock with anyone. (Deleting the log entries without it did: `compute_all`, which
/// holds the whole log while it marks every score, waited for a round's kept rows while that
/// round waited for its log entries; seen once in CI when the generator ran beside a server.)
/// SQLite has one writer at a time (`db::begin_write`) and no row locks.
fn skip_locked<C: ConnectionTrait>(txn: &C, q: &mut SelectStatement) {
    if crate::db::is_postgres_txn(txn) {
        q.lock_with_behavior(
            sea_orm::sea_query::LockType::Update,
            sea_orm::sea_query::LockBehavior::SkipLocked,
        );
    }
}

/// Of these providers' kept rows, those this transaction may write without waiting: a row that a
/// filing or an edit holds is skipped (it will be logged as changed anyway; [`skip_locked`]).
async fn lock_free_rows<C: ConnectionTrait>(txn: &C, ids: &[Uuid]) -> AppResult<HashSet<Uuid>> {
    let mut q = Query::select();
    q.column(provider_risk::Column::ProviderId)
        .from(provider_risk::Entity)
        .and_where(Expr::col(provider_risk::Column::ProviderId).is_in(ids.iter().copied()));
    skip_locked(txn, &mut q);
    let mut rows = HashSet::new();
    for row in txn.query_all(&q).await? {
        rows.insert(row.try_get::<Uuid>("", "provider_id")?);
    }
    Ok(rows)
}

/// Marks every score kept with other weights as expired, so [`refresh`] computes it anew (at
/// start, when the weights file changed).
pub async fn expire_other_weights(
    db: &DatabaseConnection,
    weights: &RiskWeights,
) -> AppResult<u64> {
    let fp = fingerprint(weights);
    let txn = crate::db::begin_write(db).await?;
    let done = provider_risk::Entity::update_many()
        .col_expr(provider_risk::Column::ValidUntil, Expr::value(never()))
        .filter(provider_risk::Column::Weights.ne(fp))
        .filter(provider_risk::Column::ValidUntil.gt(never()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(done.rows_affected)
}

fn never() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

/// Makes sure every provider has a row (the triggers add one for each new provider; this is for
/// a database restored in parts).
pub async fn ensure_rows<C: ConnectionTrait>(db: &C) -> AppResult<()> {
    db.execute_unprepared(migration::provider_risks::BACKFILL)
        .await?;
    Ok(())
}

/// After data was loaded in bulk: clears the change log (every score is computed anyway) and
/// computes every score. Returns how many it kept.
pub async fn compute_all(db: &DatabaseConnection, weights: &RiskWeights) -> AppResult<usize> {
    ensure_rows(db).await?;
    let txn = crate::db::begin_write(db).await?;
    provider_risk_change::Entity::delete_many()
        .exec(&txn)
        .await?;
    provider_risk::Entity::update_many()
        .col_expr(provider_risk::Column::ValidUntil, Expr::value(never()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    refresh_all(db, weights).await
}

/// Computes every score that needs it, round after round, until a round has nothing left to do
/// (after loading data in bulk, and in tests). Returns how many scores it kept.
pub async fn refresh_all(db: &DatabaseConnection, weights: &RiskWeights) -> AppResult<usize> {
    ensure_rows(db).await?;
    let mut total = 0;
    loop {
        let round = refresh(db, weights, Utc::now()).await?;
        total += round.kept;
        if round == Refreshed::default() {
            return Ok(total);
        }
    }
}
