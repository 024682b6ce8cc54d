//! Broadcasts and their recipients. Each recipient is claimed before the message goes out, so a
//! broadcast resumed after a restart never sends anyone the message twice.

use super::{Store, StoreError, now};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broadcast {
    pub id: i64,
    pub admin_id: i64,
    /// The text, or a photo's or document's caption.
    pub text: String,
    pub status: String,
    pub progress_message_id: Option<i64>,
    /// The text's formatting (Telegram's `MessageEntity` list as JSON), when it has any.
    pub entities: Option<String>,
    /// A photo or a document: the admin's message, copied to each user as it is.
    pub source_message_id: Option<i64>,
}

/// What an admin broadcasts: a text with its formatting, or their own photo or document message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub text: String,
    pub entities: Option<String>,
    pub source_message_id: Option<i64>,
}

/// Where a broadcast stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub sent: i64,
    pub failed: i64,
    pub blocked: i64,
    /// Claimed by a process that died: never sent again.
    pub unknown: i64,
    /// Not yet sent (pending or in flight).
    pub remaining: i64,
}

/// How a recipient's message ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    Failed,
    Blocked,
}

impl Delivery {
    fn as_str(self) -> &'static str {
        match self {
            Delivery::Sent => "sent",
            Delivery::Failed => "failed",
            Delivery::Blocked => "blocked",
        }
    }
}

pub async fn create_draft(
    store: &Store,
    admin_id: i64,
    content: &Content,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO broadcasts (admin_id, text, status, created_at, entities, source_message_id) \
         VALUES ($1, $2, 'draft', $3, $4, $5) RETURNING id",
    )
    .bind(admin_id)
    .bind(&content.text)
    .bind(now())
    .bind(content.entities.as_deref())
    .bind(content.source_message_id)
    .fetch_one(store.pool())
    .await?;
    Ok(row.try_get("id")?)
}

pub async fn get(store: &Store, id: i64) -> Result<Option<Broadcast>, StoreError> {
    let row = sqlx::query(
        "SELECT id, admin_id, text, status, progress_message_id, entities, source_message_id \
         FROM broadcasts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(store.pool())
    .await?;
    row.map(|r| {
        Ok(Broadcast {
            id: r.try_get("id")?,
            admin_id: r.try_get("admin_id")?,
            text: r.try_get("text")?,
            status: r.try_get("status")?,
            progress_message_id: r.try_get("progress_message_id")?,
            entities: r.try_get("entities")?,
            source_message_id: r.try_get("source_message_id")?,
        })
    })
    .transpose()
}

/// Users a broadcast would reach now: everyone who has not blocked the bot.
pub async fn audience(store: &Store) -> Result<i64, StoreError> {
    let row =
        sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM users WHERE blocked_at IS NULL")
            .fetch_one(store.pool())
            .await?;
    Ok(row.try_get("n")?)
}

/// Starts a draft: its recipients are fixed now. False if it was started (or dropped) already.
pub async fn start(store: &Store, id: i64) -> Result<bool, StoreError> {
    let mut tx = store.write().await?;
    let started = sqlx::query(
        "UPDATE broadcasts SET status = 'sending', started_at = $1 WHERE id = $2 AND status = 'draft'",
    )
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if started.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO broadcast_recipients (broadcast_id, user_id, status) \
         SELECT $1, id, 'pending' FROM users WHERE blocked_at IS NULL",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Drops a draft; false if it was started already.
pub async fn drop_draft(store: &Store, id: i64) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE broadcasts SET status = 'dropped' WHERE id = $1 AND status = 'draft'")
            .bind(id)
            .execute(store.pool())
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_progress_message(
    store: &Store,
    id: i64,
    message_id: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE broadcasts SET progress_message_id = $1 WHERE id = $2")
        .bind(message_id)
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Claims up to `n` pending recipients (compare-and-set: two processes never claim the same one).
pub async fn claim(store: &Store, id: i64, n: i64) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query(
        "UPDATE broadcast_recipients SET status = 'sending' WHERE broadcast_id = $1 AND status = 'pending' \
         AND user_id IN (SELECT user_id FROM broadcast_recipients WHERE broadcast_id = $1 AND status = 'pending' \
         ORDER BY user_id LIMIT $2) RETURNING user_id",
    )
    .bind(id)
    .bind(n)
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(|r| Ok(r.try_get("user_id")?)).collect()
}

pub async fn record(store: &Store, id: i64, user_id: i64, how: Delivery) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE broadcast_recipients SET status = $1 WHERE broadcast_id = $2 AND user_id = $3 AND status = 'sending'",
    )
    .bind(how.as_str())
    .bind(id)
    .bind(user_id)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// After a restart: recipients claimed by the dead process may or may not have the message;
/// they are set aside (unknown) rather than sent twice.
pub async fn set_aside_claimed(store: &Store, id: i64) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE broadcast_recipients SET status = 'unknown' WHERE broadcast_id = $1 AND status = 'sending'",
    )
    .bind(id)
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected())
}

pub async fn progress(store: &Store, id: i64) -> Result<Progress, StoreError> {
    let rows = sqlx::query(
        "SELECT status, CAST(COUNT(*) AS BIGINT) AS n FROM broadcast_recipients WHERE broadcast_id = $1 GROUP BY status",
    )
    .bind(id)
    .fetch_all(store.pool())
    .await?;
    let mut p = Progress::default();
    for r in rows {
        let status: String = r.try_get("status")?;
        let n: i64 = r.try_get("n")?;
        match status.as_str() {
            "sent" => p.sent += n,
            "failed" => p.failed += n,
            "blocked" => p.blocked += n,
            "unknown" => p.unknown += n,
            _ => p.remaining += n,
        }
    }
    Ok(p)
}

/// Broadcasts a process was sending when it stopped.
pub async fn sending(store: &Store) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query("SELECT id FROM broadcasts WHERE status = 'sending' ORDER BY id")
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

/// Marks a broadcast done; true for the one caller that did it.
pub async fn finish(store: &Store, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE broadcasts SET status = 'done', finished_at = $1 WHERE id = $2 AND status = 'sending'",
    )
    .bind(now())
    .bind(id)
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}
