//! Signal intake in batches: one writer writes the signals that arrive together in one
//! transaction ("group commit").
//!
//! Filing a signal writes four rows (the rate limit's attempt, the reference number, the signal,
//! its first history entry). Written one filing at a time, the statements and commits of every
//! filing queue behind each other: on SQLite at the one writer's lock, on PostgreSQL in round
//! trips and flushes. The national benchmark's intake stalled there at some 1,000 per second
//! with the processor partly idle. Here a filing is checked and located by its own request, then
//! handed to the writer, which takes everything waiting (up to [`MAX_BATCH`]) and writes it with
//! one multi-row INSERT per table and one commit. Under light load a batch is one filing, written
//! at once; no filing ever waits for others to arrive.
//!
//! A batch succeeds or fails as a whole. When the database refuses it (a constraint: one filing
//! points at a provider deleted a moment ago), its filings are written once more one by one, so
//! that filing gets its own error and does not take the others down. Any other failure (the
//! database away or busy) is every filing's answer at once: retrying 64 filings one by one, each
//! waiting out the same timeout, would hold up all intake.
//!
//! Once queued, a filing is written even if its request has gone (the reporter closed the page):
//! as with a request that ends just after its commit, the signal exists and, if the reporter left
//! an address, the confirmation with the reference goes out.
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel};
use tokio::sync::{mpsc, oneshot};

use crate::db::entities::{signal, signal_event, signal_submission};
use crate::error::{AppError, AppResult};
use crate::signals::notify::{self, Notifier};
use crate::signals::queries;
use crate::signals::reference;
use crate::signals::rules::SignalStatus;
use crate::web::templates::Templates;

/// The most filings one transaction writes (about 30 values per signal: well within the bound
/// parameters SQLite and PostgreSQL take in one statement).
pub const MAX_BATCH: usize = 64;

/// A checked, located signal on its way to the database.
pub struct Pending {
    /// Complete except for `reference`, which the writer fills in (numbered in `year`).
    pub signal: signal::Model,
    pub year: i32,
    /// The rate limit's record of this attempt.
    pub attempt: Option<Attempt>,
}

/// The rate limit's record of a filing: the hashed client address and when.
pub struct Attempt {
    pub key: String,
    pub at: DateTime<Utc>,
}

struct Job {
    pending: Pending,
    reply: oneshot::Sender<AppResult<signal::Model>>,
}

/// The handle requests file through; cheap to clone. The writer task starts with the first
/// filing (it needs the runtime, which building the state does not) and stops when the last
/// handle is dropped.
#[derive(Clone)]
pub struct Intake {
    db: DatabaseConnection,
    templates: Templates,
    base_url: Arc<str>,
    /// The running writer's queue; a new writer is started when there is none or it has stopped
    /// (its runtime shut down).
    queue: Arc<Mutex<Option<mpsc::Sender<Job>>>>,
}

impl Intake {
    pub fn new(db: DatabaseConnection, templates: Templates, base_url: &str) -> Self {
        Intake {
            db,
            templates,
            base_url: base_url.into(),
            queue: Arc::new(Mutex::new(None)),
        }
    }

    /// Writes the signal (with its history entry, its confirmation email and the attempt) and
    /// returns it as stored.
    pub async fn file(&self, pending: Pending) -> AppResult<signal::Model> {
        let queue = self.queue()?;
        let (reply, answer) = oneshot::channel();
        queue
            .send(Job { pending, reply })
            .await
            .map_err(|_| AppError::internal("the intake writer has stopped"))?;
        answer
            .await
            .map_err(|_| AppError::internal("the intake writer dropped a filing"))?
    }

    fn queue(&self) -> AppResult<mpsc::Sender<Job>> {
        let mut running = self
            .queue
            .lock()
            .map_err(|_| AppError::internal("the intake queue's lock is poisoned"))?;
        if let Some(queue) = running.as_ref().filter(|q| !q.is_closed()) {
            return Ok(queue.clone());
        }
        let (sender, receiver) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(run(
            self.db.clone(),
            self.templates.clone(),
            self.base_url.clone(),
            receiver,
        ));
        *running = Some(sender.clone());
        Ok(sender)
    }
}

async fn run(
    db: DatabaseConnection,
    templates: Templates,
    base_url: Arc<str>,
    mut queue: mpsc::Receiver<Job>,
) {
    let notifier = Notifier {
        templates: &templates,
        base_url: &base_url,
    };
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let pending: Vec<&Pending> = jobs.iter().map(|j| &j.pending).collect();
        match write(&db, &notifier, &pending).await {
            Ok(stored) => {
                for (job, signal) in jobs.drain(..).zip(stored) {
                    let _ = job.reply.send(Ok(signal));
                }
            }
            Err(error) if jobs.len() == 1 || !matches!(error, AppError::Conflict(_)) => {
                for job in jobs.drain(..) {
                    let _ = job.reply.send(Err(error.clone()));
                }
            }
            Err(error) => {
                tracing::warn!(%error, filings = jobs.len(), "batch failed; writing its filings one by one");
                for job in jobs.drain(..) {
                    let result = write(&db, &notifier, &[&job.pending]).await;
                    let _ = job.reply.send(result.and_then(|mut stored| {
                        stored
                            .pop()
                            .ok_or_else(|| AppError::internal("nothing written"))
                    }));
                }
            }
        }
    }
}

/// One transaction for all of `batch`; the signals as stored, in order.
async fn write(
    db: &DatabaseConnection,
    notifier: &Notifier<'_>,
    batch: &[&Pending],
) -> AppResult<Vec<signal::Model>> {
    let years: Vec<i32> = batch.iter().map(|p| p.year).collect();
    let taken = reference::before_transaction(db, &years).await?;
    let txn = crate::db::begin_write(db).await?;
    let references = match taken {
        Some(taken) => taken,
        None => reference::in_transaction(&txn, &years).await?,
    };
    let signals: Vec<signal::Model> = batch
        .iter()
        .zip(references)
        .map(|(p, reference)| signal::Model {
            reference,
            ..p.signal.clone()
        })
        .collect();
    let attempts: Vec<signal_submission::ActiveModel> = batch
        .iter()
        .filter_map(|p| p.attempt.as_ref())
        .map(|a| queries::submission(&a.key, a.at))
        .collect();
    if !attempts.is_empty() {
        signal_submission::Entity::insert_many(attempts)
            .exec_without_returning(&txn)
            .await?;
    }
    signal::Entity::insert_many(
        signals
            .iter()
            .map(|s| s.clone().into_active_model().reset_all()),
    )
    .exec_without_returning(&txn)
    .await?;
    // The first history entry: received, by the provider user who filed it (if one did).
    signal_event::Entity::insert_many(
        signals
            .iter()
            .map(|s| queries::event(s.id, SignalStatus::Ontvangen, s.received_at, s.filed_by)),
    )
    .exec_without_returning(&txn)
    .await?;
    for signal in &signals {
        notify::confirmation(&txn, notifier, signal).await?;
    }
    txn.commit().await?;
    Ok(signals)
}
