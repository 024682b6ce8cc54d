//! Sellers' payout wallets: one address per seller, for `PAYOUT_CURRENCY`.

use super::{Store, StoreError, now};
use sqlx::Row;

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
