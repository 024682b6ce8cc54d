//! Sellers' payout wallets: one address per seller, for `PAYOUT_CURRENCY`.

use super::{Conn, Store, StoreError, now, placeholders};
use sqlx::Row;
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wallet {
    pub currency: String,
    pub address: String,
}

pub async fn get(store: &Store, seller_id: i64) -> Result<Option<Wallet>, StoreError> {
    let row = sqlx::query("SELECT currency, address FROM wallets WHERE seller_id = $1")
        .bind(seller_id)
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| {
        Ok(Wallet {
            currency: r.try_get("currency")?,
            address: r.try_get("address")?,
        })
    })
    .transpose()
}

/// Which of these sellers have a payout wallet (inside the caller's transaction).
pub async fn with_wallet_in(conn: &mut Conn, sellers: &[i64]) -> Result<HashSet<i64>, StoreError> {
    if sellers.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = format!(
        "SELECT seller_id FROM wallets WHERE seller_id IN {}",
        placeholders(1, 1, sellers.len())
    );
    let mut query = sqlx::query(&sql);
    for seller in sellers {
        query = query.bind(*seller);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<i64, _>("seller_id")?))
        .collect()
}

pub async fn save(store: &Store, seller_id: i64, wallet: &Wallet) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO wallets (seller_id, currency, address, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (seller_id) DO UPDATE SET currency = excluded.currency, address = excluded.address, updated_at = excluded.updated_at",
    )
    .bind(seller_id)
    .bind(&wallet.currency)
    .bind(&wallet.address)
    .bind(now())
    .execute(store.pool())
    .await?;
    Ok(())
}
