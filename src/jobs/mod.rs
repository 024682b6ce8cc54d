//! Scheduled work (tokio-cron-scheduler, UTC). Empty for now: payouts, expiry and reconciliation come next.

use tokio_cron_scheduler::{JobScheduler, JobSchedulerError};

/// Builds and starts the scheduler with the jobs souk runs.
pub async fn start() -> Result<JobScheduler, JobSchedulerError> {
    let scheduler = JobScheduler::new().await?;
    scheduler.start().await?;
    Ok(scheduler)
}
