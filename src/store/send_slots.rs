//! Send slots: a budget of sends per second shared by every replica. Each send takes the next
//! free moment of the budget in one compare-free `UPDATE … RETURNING` (the row lock orders the
//! replicas), and waits for it.

use super::{Store, StoreError};
use sqlx::Row;

/// Takes the next moment of budget `name` (unix milliseconds) and moves the budget `spacing_ms`
/// past it: the caller sends at the returned moment (now, when the budget is idle).
pub async fn take(
    store: &Store,
    name: &str,
    now_ms: i64,
    spacing_ms: i64,
) -> Result<i64, StoreError> {
    let mut tx = store.write().await?;
    let row = sqlx::query(
        "UPDATE send_slots SET next_at_ms = CASE WHEN next_at_ms > $1 THEN next_at_ms ELSE $1 END + $2 \
         WHERE name = $3 RETURNING next_at_ms",
    )
    .bind(now_ms)
    .bind(spacing_ms)
    .bind(name)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    let next: i64 = match row {
        Some(r) => r.try_get("next_at_ms")?,
        None => return Err(StoreError::Corrupt(format!("no send budget {name}"))),
    };
    Ok(next - spacing_ms)
}
