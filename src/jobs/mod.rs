//! Scheduled work (tokio-cron-scheduler, UTC). Each run claims its slot in the database first,
//! so several souk processes sharing one database never run the same slot twice.

pub mod access;
pub mod convert;
pub mod invites;
pub mod monitor;
pub mod reconcile;
pub mod stars;

use crate::payments::rails::Rails;
use crate::services::payouts::Payer;
use crate::store::outbox;
use crate::store::{Store, job_runs};
use chrono::Utc;
use tokio_cron_scheduler::{Job, JobScheduler, JobSchedulerError};

/// Every 5 minutes (six-field cron: sec min hour day month weekday); each rail's orders are
/// checked at the rail's own pace.
pub const RECONCILE_CRON: &str = "0 */5 * * * *";
/// Hourly, at minute 35: unfinished payouts are checked.
pub const PAYOUT_POLL_CRON: &str = "0 35 * * * *";
/// Every minute: review invitations that came due.
pub const INVITES_CRON: &str = "0 * * * * *";
/// Every minute, on the half: reminders and removals of subscriptions to chats.
pub const ACCESS_CRON: &str = "30 * * * * *";
/// Daily at 02:00 UTC.
pub const CONVERT_CRON: &str = "0 0 2 * * *";
/// Daily pruning of what the growing tables no longer need, at 03:10 UTC.
pub const PRUNE_CRON: &str = "0 10 3 * * *";

/// The hour slot a run belongs to, e.g. "2026-11-21T08".
pub fn hour_slot(now: chrono::DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H").to_string()
}

/// Runs `job` for `slot` if this process wins the claim; returns whether it ran. A failed run
/// is reported to the admins.
pub async fn run_claimed<F, Fut, T, E>(store: &Store, job: &str, slot: &str, work: F) -> bool
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
    T: std::fmt::Display,
    E: std::fmt::Display,
{
    match claim_and_run(store, job, slot, work).await {
        None => false,
        Some(Ok(())) => true,
        Some(Err(e)) => {
            alert_admins(store, job, slot, &e).await;
            true
        }
    }
}

/// Runs `job` for `slot` if this process wins the claim, and records how it went; `None` when
/// another process holds the slot. The caller decides who hears of a failure.
async fn claim_and_run<F, Fut, T, E>(
    store: &Store,
    job: &str,
    slot: &str,
    work: F,
) -> Option<Result<(), String>>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
    T: std::fmt::Display,
    E: std::fmt::Display,
{
    match job_runs::claim(store, job, slot).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::debug!(job, slot, "slot already claimed by another process");
            return None;
        }
        Err(e) => {
            tracing::error!(job, slot, error = %e, "could not claim job slot");
            return None;
        }
    }
    let (outcome, result) = match work()
        .await
        .map(|x| x.to_string())
        .map_err(|e| e.to_string())
    {
        Ok(summary) => {
            tracing::info!(job, slot, %summary, "job done");
            (summary, Ok(()))
        }
        Err(e) => {
            tracing::error!(job, slot, error = %e, "job failed");
            (format!("failed: {e}"), Err(e))
        }
    };
    if let Err(e) = job_runs::finish(store, job, slot, &outcome).await {
        tracing::error!(job, slot, error = %e, "could not record job outcome");
    }
    Some(result)
}

/// Tells the admins a job run failed (once per job and slot, whichever replica ran it).
async fn alert_admins(store: &Store, job: &str, slot: &str, error: &str) {
    let args = [
        ("job", job.to_string()),
        ("slot", slot.to_string()),
        ("error", error.to_string()),
    ];
    let alert = outbox::to_admins(
        &format!("job-failed:{job}:{slot}"),
        "admin-job-failed",
        &args,
    );
    if let Err(e) = outbox::enqueue_now(store, &[alert]).await {
        tracing::error!(job, error = %e, "could not alert the admins");
    }
}

/// The minute slot of a run, e.g. "2026-11-23T09:00".
pub fn minute_slot(now: chrono::DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H:%M").to_string()
}

/// The day slot of a run, e.g. "2026-11-23".
pub fn day_slot(now: chrono::DateTime<Utc>) -> String {
    now.format("%Y-%m-%d").to_string()
}

/// What the scheduler runs.
pub struct Jobs {
    pub reconciler: reconcile::Reconciler,
    /// Seller payouts on `cron`, and the hourly check of unfinished ones.
    pub payouts: Option<(Payer, String)>,
    /// Daily conversion of other custody coins into the payout coin.
    pub converter: Option<convert::Converter>,
    /// The Stars ledger check, when Stars are offered.
    pub stars: Option<stars::StarsLedger>,
}

/// Runs the reconciliation of the minute of `now` (the cron's firing time), if no process ran
/// it yet.
pub async fn reconcile_slot(r: &reconcile::Reconciler, now: chrono::DateTime<Utc>) -> bool {
    run_claimed(r.settler.store(), "reconcile", &minute_slot(now), || {
        r.run(now.timestamp())
    })
    .await
}

/// Runs the daily pruning for the day of `now`, if no process ran it yet.
pub async fn prune_slot(store: &Store, now: chrono::DateTime<Utc>) -> bool {
    run_claimed(store, "prune", &day_slot(now), || {
        crate::store::retention::prune(store, now.timestamp())
    })
    .await
}

/// Queues the review invitations due in the minute of `now`, if no process did it yet.
pub async fn invites_slot(store: &Store, now: chrono::DateTime<Utc>) -> bool {
    run_claimed(store, "review-invites", &minute_slot(now), || {
        invites::run(store)
    })
    .await
}

/// Queues the reminders and removals of subscriptions due in the minute of `now`, if no process
/// did it yet.
pub async fn access_slot(store: &Store, now: chrono::DateTime<Utc>) -> bool {
    run_claimed(store, "access", &minute_slot(now), || {
        access::run(store, now.timestamp())
    })
    .await
}

/// Runs the Stars ledger check of the minute of `now`, if no process ran it yet.
pub async fn stars_slot(s: &stars::StarsLedger, now: chrono::DateTime<Utc>) -> bool {
    run_claimed(s.settler.store(), "stars-ledger", &minute_slot(now), || {
        s.run()
    })
    .await
}

/// Runs the payout run of the minute of `now` (the cron's firing time), if no process ran it
/// yet: the week's books are reconciled with NOWPayments first, and the admins told the result.
pub async fn payout_slot(p: &Payer, rails: &Rails, now: chrono::DateTime<Utc>) -> bool {
    // A payout run tells the admins how it ended itself.
    claim_and_run(&p.store, "payout", &minute_slot(now), || async {
        books_before_payout(p, rails, now.timestamp()).await;
        p.run("schedule").await
    })
    .await
    .is_some()
}

/// The week's reconciliation before a payout run, summed up for the admins (details with
/// /reconcile). A failure to read NOWPayments is logged: the payout run goes on.
async fn books_before_payout(p: &Payer, rails: &Rails, now: i64) {
    let from = now - 8 * 86_400;
    match crate::services::books::reconcile(&p.store, rails, &p.api, from, now + 1).await {
        Ok(report) => {
            let args = [
                ("payments", report.payments.to_string()),
                ("payouts", report.payouts.to_string()),
                ("differences", report.differences.len().to_string()),
            ];
            let note = outbox::to_admins(&format!("books:{now}"), "admin-books-summary", &args);
            if let Err(e) = outbox::enqueue_now(&p.store, &[note]).await {
                tracing::error!(error = %e, "could not queue the reconciliation summary");
            }
        }
        Err(e) => tracing::warn!(error = %e, "reconciliation before the payout run failed"),
    }
}

/// Runs the hourly payout check for the hour of `now`, if no process ran it yet.
pub async fn payout_poll_slot(p: &Payer, now: chrono::DateTime<Utc>) -> bool {
    run_claimed(&p.store, "payout-poll", &hour_slot(now), || {
        p.poll(now.timestamp())
    })
    .await
}

/// Runs the daily conversion for the day of `now`, if no process ran it yet.
pub async fn convert_slot(c: &convert::Converter, now: chrono::DateTime<Utc>) -> bool {
    run_claimed(&c.store, "convert", &day_slot(now), || c.run()).await
}

/// Adds a job; `work` gets the firing time and claims its slot itself.
async fn add<F, Fut>(scheduler: &JobScheduler, cron: &str, work: F) -> Result<(), JobSchedulerError>
where
    F: Fn(chrono::DateTime<Utc>) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = bool> + Send + 'static,
{
    scheduler
        .add(Job::new_async(cron, move |_, _| {
            let work = work.clone();
            Box::pin(async move {
                work(Utc::now()).await;
            })
        })?)
        .await?;
    Ok(())
}

/// Builds and starts the scheduler with the jobs souk runs.
pub async fn start(jobs: Jobs) -> Result<JobScheduler, JobSchedulerError> {
    let scheduler = JobScheduler::new().await?;
    let settler = jobs.reconciler.settler.clone();
    let store = settler.store().clone();
    add(&scheduler, PRUNE_CRON, move |now| {
        let settler = settler.clone();
        async move { prune_slot(settler.store(), now).await }
    })
    .await?;
    let access_store = store.clone();
    add(&scheduler, INVITES_CRON, move |now| {
        let store = store.clone();
        async move { invites_slot(&store, now).await }
    })
    .await?;
    add(&scheduler, ACCESS_CRON, move |now| {
        let store = access_store.clone();
        async move { access_slot(&store, now).await }
    })
    .await?;
    let r = jobs.reconciler;
    let rails = r.rails.clone();
    add(&scheduler, RECONCILE_CRON, move |now| {
        let r = r.clone();
        async move { reconcile_slot(&r, now).await }
    })
    .await?;
    if let Some((payer, cron)) = jobs.payouts {
        let p = payer.clone();
        add(&scheduler, &cron, move |now| {
            let p = p.clone();
            let rails = rails.clone();
            async move { payout_slot(&p, &rails, now).await }
        })
        .await?;
        add(&scheduler, PAYOUT_POLL_CRON, move |now| {
            let p = payer.clone();
            async move { payout_poll_slot(&p, now).await }
        })
        .await?;
    }
    if let Some(s) = jobs.stars {
        add(&scheduler, RECONCILE_CRON, move |now| {
            let s = s.clone();
            async move { stars_slot(&s, now).await }
        })
        .await?;
    }
    if let Some(c) = jobs.converter {
        add(&scheduler, CONVERT_CRON, move |now| {
            let c = c.clone();
            async move { convert_slot(&c, now).await }
        })
        .await?;
    }
    scheduler.start().await?;
    Ok(scheduler)
}
