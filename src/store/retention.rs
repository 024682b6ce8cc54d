//! Retention: what the tables that grow with traffic keep. Sent and given-up messages leave the
//! outbox after a month (an order's messages are queued only on its moves, so a late repeat of an
//! old report queues nothing anew); the payment inbox keeps six months of history; job slots a
//! month.

use super::{Store, StoreError};

/// Days a sent (or given-up) outbox message is kept.
pub const OUTBOX_DAYS: i64 = 30;
/// Days a payment report is kept in `ipn_events`.
pub const IPN_EVENTS_DAYS: i64 = 180;
/// Days a job run's slot is kept.
pub const JOB_RUNS_DAYS: i64 = 30;

/// Rows removed by one pruning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub outbox: u64,
    pub ipn_events: u64,
    pub job_runs: u64,
}

impl std::fmt::Display for Pruned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "removed {} outbox messages, {} payment reports, {} job runs",
            self.outbox, self.ipn_events, self.job_runs
        )
    }
}

/// Removes what is older than its retention, as of `now` (unix seconds).
pub async fn prune(store: &Store, now: i64) -> Result<Pruned, StoreError> {
    let days = |d: i64| now - d * 86_400;
    let outbox = sqlx::query(
        "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < $1) OR (failed_at IS NOT NULL AND failed_at < $1)",
    )
    .bind(days(OUTBOX_DAYS))
    .execute(store.pool())
    .await?
    .rows_affected();
    let ipn_events = sqlx::query("DELETE FROM ipn_events WHERE received_at < $1")
        .bind(days(IPN_EVENTS_DAYS))
        .execute(store.pool())
        .await?
        .rows_affected();
    let job_runs = sqlx::query("DELETE FROM job_runs WHERE started_at < $1")
        .bind(days(JOB_RUNS_DAYS))
        .execute(store.pool())
        .await?
        .rows_affected();
    Ok(Pruned {
        outbox,
        ipn_events,
        job_runs,
    })
}
