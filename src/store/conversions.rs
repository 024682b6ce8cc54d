//! Custody conversions souk started, until NOWPayments reports them finished or rejected.

use super::{Store, StoreError, now};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionRow {
    pub remote_id: String,
    pub from_currency: String,
    pub to_currency: String,
    pub from_amount: String,
    pub to_amount: Option<String>,
    pub status: String,
}

/// Statuses after which a conversion never changes.
pub fn is_final(status: &str) -> bool {
    status.eq_ignore_ascii_case("finished") || status.eq_ignore_ascii_case("rejected")
}

pub async fn record(store: &Store, c: &ConversionRow) -> Result<(), StoreError> {
    let t = now();
    sqlx::query(
        "INSERT INTO conversions (remote_id, from_currency, to_currency, from_amount, to_amount, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (remote_id) DO NOTHING",
    )
    .bind(&c.remote_id)
    .bind(&c.from_currency)
    .bind(&c.to_currency)
    .bind(&c.from_amount)
    .bind(&c.to_amount)
    .bind(c.status.to_ascii_lowercase())
    .bind(t)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// Records news of a conversion; a final status is never overwritten.
pub async fn update(
    store: &Store,
    remote_id: &str,
    status: &str,
    to_amount: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE conversions SET status = $1, to_amount = COALESCE($2, to_amount), updated_at = $3 \
         WHERE remote_id = $4 AND status NOT IN ('finished', 'rejected')",
    )
    .bind(status.to_ascii_lowercase())
    .bind(to_amount)
    .bind(now())
    .bind(remote_id)
    .execute(store.pool())
    .await?;
    Ok(())
}

pub async fn unfinished(store: &Store) -> Result<Vec<ConversionRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT remote_id, from_currency, to_currency, from_amount, to_amount, status FROM conversions \
         WHERE status NOT IN ('finished', 'rejected') ORDER BY id",
    )
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ConversionRow {
                remote_id: r.try_get("remote_id")?,
                from_currency: r.try_get("from_currency")?,
                to_currency: r.try_get("to_currency")?,
                from_amount: r.try_get("from_amount")?,
                to_amount: r.try_get("to_amount")?,
                status: r.try_get("status")?,
            })
        })
        .collect()
}
