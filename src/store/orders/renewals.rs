//! Orders Telegram's Stars subscriptions make by themselves: each renewal Telegram bills is an
//! order of its own, copied from the subscription's first order and carrying the renewal's
//! charge (unique: a repeat, or a second process, finds the order made).

use super::super::{Store, StoreError, is_unique_violation, now};
use sqlx::Row;

/// The order paid by a renewal `charge` of the subscription `first` started, made when none
/// carries the charge yet.
pub async fn of_renewal(
    store: &Store,
    first: i64,
    charge: &str,
    stars: &str,
) -> Result<i64, StoreError> {
    if let Some(id) = by_charge(store, charge).await? {
        return Ok(id);
    }
    let mut tx = store.write().await?;
    let made = sqlx::query(
        "INSERT INTO orders (buyer_id, product_id, seller_id, price_cents, commission_cents, total_cents, \
         pay_currency, status, created_at, updated_at, discount_cents, payment_id, pay_address, pay_amount) \
         SELECT buyer_id, product_id, seller_id, price_cents, commission_cents, total_cents, pay_currency, \
         'waiting', $1, $1, discount_cents, $2, 'telegram', $3 FROM orders WHERE id = $4 RETURNING id",
    )
    .bind(now())
    .bind(charge)
    .bind(stars)
    .bind(first)
    .fetch_one(&mut *tx)
    .await;
    match made {
        Ok(row) => {
            let id: i64 = row.try_get("id")?;
            tx.commit().await?;
            Ok(id)
        }
        Err(e) if is_unique_violation(&e) => {
            drop(tx);
            by_charge(store, charge)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("charge {charge} without its order")))
        }
        Err(e) => Err(e.into()),
    }
}

async fn by_charge(store: &Store, charge: &str) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query("SELECT id FROM orders WHERE payment_id = $1")
        .bind(charge)
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| Ok(r.try_get("id")?)).transpose()
}
