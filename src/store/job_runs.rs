//! Job runs: a run claims its (job, slot) row before it starts; only one process can win it.

use super::{Store, StoreError, is_unique_violation, now};
use sqlx::Row;

/// Claims `slot` of `job` (e.g. "reconcile", "2026-11-21T08"). True for exactly one caller,
/// whatever the number of processes sharing the database.
pub async fn claim(store: &Store, job: &str, slot: &str) -> Result<bool, StoreError> {
    match sqlx::query("INSERT INTO job_runs (job, slot, started_at) VALUES ($1, $2, $3)")
        .bind(job)
        .bind(slot)
        .bind(now())
        .execute(store.pool())
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Records how a claimed run ended.
pub async fn finish(store: &Store, job: &str, slot: &str, outcome: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE job_runs SET finished_at = $1, outcome = $2 WHERE job = $3 AND slot = $4")
        .bind(now())
        .bind(outcome)
        .bind(job)
        .bind(slot)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// The latest run of each job: (job, slot, started_at, finished_at, outcome).
pub async fn latest(
    store: &Store,
) -> Result<Vec<(String, String, i64, Option<i64>, Option<String>)>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.job, r.slot, r.started_at, r.finished_at, r.outcome FROM job_runs r \
         WHERE r.started_at = (SELECT MAX(o.started_at) FROM job_runs o WHERE o.job = r.job) ORDER BY r.job",
    )
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("job")?,
                r.try_get("slot")?,
                r.try_get("started_at")?,
                r.try_get("finished_at")?,
                r.try_get("outcome")?,
            ))
        })
        .collect()
}
