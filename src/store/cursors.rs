//! Cursors: how far a job has read a list a provider keeps (Telegram's Star transactions), so
//! that each entry is looked at once and a restart goes on where the last run stopped.

use super::{Store, StoreError};
use sqlx::Row;

/// The position of cursor `name` (0 when it never moved).
pub async fn position(store: &Store, name: &str) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT position FROM cursors WHERE name = $1")
        .bind(name)
        .fetch_optional(store.pool())
        .await?;
    Ok(match row {
        Some(r) => r.try_get("position")?,
        None => 0,
    })
}

/// Moves cursor `name` forward to `position` (never back, whichever replica writes last).
pub async fn advance(store: &Store, name: &str, position: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO cursors (name, position) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET position = excluded.position WHERE cursors.position < excluded.position",
    )
    .bind(name)
    .bind(position)
    .execute(store.pool())
    .await?;
    Ok(())
}
