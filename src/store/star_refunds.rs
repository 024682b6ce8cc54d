//! Stars refunds owed: a second charge for an order another charge paid, which Telegram would
//! not refund yet. The Stars check retries each until it is given back.

use super::{Store, StoreError, now};
use sqlx::Row;

/// A charge to give back to its buyer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owed {
    pub charge: String,
    pub buyer_id: i64,
    pub order_id: Option<i64>,
}

/// Records that `charge` must still be refunded (once; a repeat keeps the first row).
pub async fn owe(store: &Store, owed: &Owed, error: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO star_refunds_owed (charge, buyer_id, order_id, error, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (charge) DO NOTHING",
    )
    .bind(&owed.charge)
    .bind(owed.buyer_id)
    .bind(owed.order_id)
    .bind(error)
    .bind(now())
    .execute(store.pool())
    .await?;
    Ok(())
}

/// Every refund still owed, oldest first.
pub async fn owed(store: &Store) -> Result<Vec<Owed>, StoreError> {
    let rows = sqlx::query(
        "SELECT charge, buyer_id, order_id FROM star_refunds_owed WHERE refunded_at IS NULL ORDER BY created_at",
    )
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Owed {
                charge: r.try_get("charge")?,
                buyer_id: r.try_get("buyer_id")?,
                order_id: r.try_get("order_id")?,
            })
        })
        .collect()
}

/// The charge was given back.
pub async fn refunded(store: &Store, charge: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE star_refunds_owed SET refunded_at = $1 WHERE charge = $2")
        .bind(now())
        .bind(charge)
        .execute(store.pool())
        .await?;
    Ok(())
}
