//! Referrals: a new user attributed to whoever's link brought them (once and for good, never
//! themselves), what an order of theirs owes the referrer, and the referrer's figures.

use super::{Conn, Store, StoreError, now};
use crate::domain::UsdCents;
use sqlx::Row;

/// A user counts as new for a referral this long after souk first saw them.
const NEW_USER_SECS: i64 = 600;

/// Attributes `user` to `referrer` when the user is new (first seen in the last ten minutes,
/// no order yet), has no referrer yet, is not the referrer, and the referrer is known.
pub async fn attribute(store: &Store, user: i64, referrer: i64) -> Result<bool, StoreError> {
    let t = now();
    let done = sqlx::query(
        "UPDATE users SET referred_by = $1, referred_at = $2 WHERE id = $3 AND referred_by IS NULL \
         AND id <> $4 AND created_at >= $5 \
         AND EXISTS (SELECT 1 FROM users r WHERE r.id = $6) \
         AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.buyer_id = $7)",
    )
    .bind(referrer)
    .bind(t)
    .bind(user)
    .bind(referrer)
    .bind(t - NEW_USER_SECS)
    .bind(referrer)
    .bind(user)
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The referral credit an order earned (its referrer, amount and clearing time), if any.
pub async fn credit_of_order_in(
    conn: &mut Conn,
    order_id: i64,
) -> Result<Option<(i64, UsdCents, Option<i64>)>, StoreError> {
    let row = sqlx::query(
        "SELECT seller_id, amount_cents, clears_at FROM ledger_entries WHERE reference = $1",
    )
    .bind(format!("referral:{order_id}"))
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok((
            r.try_get("seller_id")?,
            UsdCents(r.try_get("amount_cents")?),
            r.try_get("clears_at")?,
        ))
    })
    .transpose()
}

/// A referrer's figures for /invite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    pub signups: i64,
    /// Purchases that earned a referral credit (less those refunded).
    pub purchases: i64,
    /// What the referrals earned, net of refunds (held or not).
    pub earned: UsdCents,
}

pub async fn figures(store: &Store, referrer: i64) -> Result<Figures, StoreError> {
    let signups: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE referred_by = $1")
        .bind(referrer)
        .fetch_one(store.pool())
        .await?;
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN kind = 'referral' THEN 1 ELSE -1 END), 0) AS BIGINT) AS n, \
         CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) AS earned FROM ledger_entries \
         WHERE seller_id = $1 AND kind IN ('referral', 'referral_reversal')",
    )
    .bind(referrer)
    .fetch_one(store.pool())
    .await?;
    Ok(Figures {
        signups,
        purchases: row.try_get("n")?,
        earned: UsdCents(row.try_get("earned")?),
    })
}
