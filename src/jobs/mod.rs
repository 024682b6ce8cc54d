//! Scheduled work (tokio-cron-scheduler, UTC). Each run claims its slot in the database first,
//! so several souk processes sharing one database never run the same slot twice.

pub mod reconcile;

use crate::store::{Store, job_runs};
use chrono::Utc;
use tokio_cron_scheduler::{Job, JobScheduler, JobSchedulerError};

/// Hourly, at minute 5 (six-field cron: sec min hour day month weekday).
pub const RECONCILE_CRON: &str = "0 5 * * * *";

/// The hour slot a run belongs to, e.g. "2026-11-21T08".
pub fn hour_slot(now: chrono::DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H").to_string()
}

/// Runs `job` for `slot` if this process wins the claim; returns whether it ran.
pub async fn run_claimed<F, Fut>(store: &Store, job: &str, slot: &str, work: F) -> bool
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<String, String>>,
{
    match job_runs::claim(store, job, slot).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::debug!(job, slot, "slot already claimed by another process");
            return false;
        }
        Err(e) => {
            tracing::error!(job, slot, error = %e, "could not claim job slot");
            return false;
        }
    }
    let outcome = match work().await {
        Ok(summary) => {
            tracing::info!(job, slot, %summary, "job done");
            summary
        }
        Err(e) => {
            tracing::error!(job, slot, error = %e, "job failed");
            format!("failed: {e}")
        }
    };
    if let Err(e) = job_runs::finish(store, job, slot, &outcome).await {
        tracing::error!(job, slot, error = %e, "could not record job outcome");
    }
    true
}

/// Builds and starts the scheduler with the jobs souk runs.
pub async fn start(reconciler: reconcile::Reconciler) -> Result<JobScheduler, JobSchedulerError> {
    let scheduler = JobScheduler::new().await?;
    scheduler
        .add(Job::new_async(RECONCILE_CRON, move |_, _| {
            let r = reconciler.clone();
            Box::pin(async move {
                let now = Utc::now();
                let slot = hour_slot(now);
                run_claimed(&r.store, "reconcile", &slot, || async {
                    r.run(now.timestamp())
                        .await
                        .map(|report| report.to_string())
                        .map_err(|e| e.to_string())
                })
                .await;
            })
        })?)
        .await?;
    scheduler.start().await?;
    Ok(scheduler)
}
