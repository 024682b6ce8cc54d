//! Telegram users as souk knows them: name and chosen language.

use super::{Store, StoreError, now};
use sqlx::Row;

/// Records that a user was seen and returns their stored language. A new user gets
/// `language_if_new`; a returning user keeps the language they have (set by /language). A user
/// seen again as they were (every update in the chat, every Mini App call) costs a read only.
pub async fn seen(
    store: &Store,
    id: i64,
    username: Option<&str>,
    first_name: &str,
    language_if_new: &str,
) -> Result<String, StoreError> {
    let known = sqlx::query("SELECT language, username, first_name FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    if let Some(row) = known {
        let (stored_username, stored_name): (Option<String>, String) =
            (row.try_get("username")?, row.try_get("first_name")?);
        if stored_username.as_deref() == username && stored_name == first_name {
            return Ok(row.try_get("language")?);
        }
    }
    let t = now();
    let row = sqlx::query(
        "INSERT INTO users (id, username, first_name, language, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) \
         ON CONFLICT (id) DO UPDATE SET username = excluded.username, first_name = excluded.first_name, \
         updated_at = excluded.updated_at RETURNING language",
    )
    .bind(id)
    .bind(username)
    .bind(first_name)
    .bind(language_if_new)
    .bind(t)
    .fetch_one(store.pool())
    .await?;
    Ok(row.try_get("language")?)
}

pub async fn set_language(store: &Store, id: i64, language: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET language = $1, updated_at = $2 WHERE id = $3")
        .bind(language)
        .bind(now())
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// The stored language of a user, if souk has seen them.
pub async fn language(store: &Store, id: i64) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT language FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    Ok(row.map(|r| r.try_get("language")).transpose()?)
}

/// The language to write to a user in: the one stored (their choice, or their app's when first
/// seen), else `fallback` (a user never seen, or the database unreachable: they still get an answer).
pub async fn language_or(store: &Store, id: i64, fallback: &str) -> String {
    match language(store, id).await {
        Ok(Some(lang)) => lang,
        Ok(None) => fallback.to_string(),
        Err(e) => {
            tracing::warn!(user = id, error = %e, "could not read the user's language");
            fallback.to_string()
        }
    }
}

/// Bans a user (or lifts the ban); false if souk has never seen them.
pub async fn set_banned(store: &Store, id: i64, banned: bool) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE users SET banned_at = $1, updated_at = $2 WHERE id = $3")
        .bind(banned.then(now))
        .bind(now())
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn is_banned(store: &Store, id: i64) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT banned_at FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    Ok(match row {
        Some(r) => r.try_get::<Option<i64>, _>("banned_at")?.is_some(),
        None => false,
    })
}

/// Records that a user blocked the bot (or deleted their account): broadcasts skip them.
pub async fn mark_blocked(store: &Store, id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET blocked_at = $1 WHERE id = $2 AND blocked_at IS NULL")
        .bind(now())
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// A known user's first name and language.
pub async fn profile(store: &Store, id: i64) -> Result<Option<(String, String)>, StoreError> {
    let row = sqlx::query("SELECT first_name, language FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| Ok((r.try_get("first_name")?, r.try_get("language")?)))
        .transpose()
}
