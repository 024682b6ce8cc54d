//! Job runs: a run claims its (job, slot) row before it starts; only one process can win it.

use super::{Store, StoreError, is_unique_violation, now};

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
