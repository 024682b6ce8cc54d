//! Access to chats: each buyer's join-request link, so that a request through it is approved
//! for that buyer only.

use super::{Store, StoreError, now};
use sqlx::Row;

/// A join link souk made for an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub order_id: i64,
    pub product_id: i64,
    pub buyer_id: i64,
    pub chat_id: i64,
}

/// Records the link made for an order (a newer link replaces the older one).
pub async fn record(
    store: &Store,
    order_id: i64,
    product_id: i64,
    buyer_id: i64,
    chat_id: i64,
    invite_link: &str,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM accesses WHERE order_id = $1")
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO accesses (order_id, product_id, buyer_id, chat_id, invite_link, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(order_id)
    .bind(product_id)
    .bind(buyer_id)
    .bind(chat_id)
    .bind(invite_link)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The access a join link belongs to; `None` for a link souk did not make (the seller's own).
pub async fn by_link(store: &Store, invite_link: &str) -> Result<Option<Access>, StoreError> {
    let row = sqlx::query(
        "SELECT order_id, product_id, buyer_id, chat_id FROM accesses WHERE invite_link = $1",
    )
    .bind(invite_link)
    .fetch_optional(store.pool())
    .await?;
    row.map(|r| {
        Ok(Access {
            order_id: r.try_get("order_id")?,
            product_id: r.try_get("product_id")?,
            buyer_id: r.try_get("buyer_id")?,
            chat_id: r.try_get("chat_id")?,
        })
    })
    .transpose()
}

/// The buyer joined through their link.
pub async fn joined(store: &Store, order_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE accesses SET joined_at = $1 WHERE order_id = $2")
        .bind(now())
        .bind(order_id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// An order's access: its link, and whether the buyer joined through it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    pub invite_link: String,
    pub joined: bool,
}

pub async fn of_order(store: &Store, order_id: i64) -> Result<Option<Granted>, StoreError> {
    let row = sqlx::query("SELECT invite_link, joined_at FROM accesses WHERE order_id = $1")
        .bind(order_id)
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| {
        Ok(Granted {
            invite_link: r.try_get("invite_link")?,
            joined: r.try_get::<Option<i64>, _>("joined_at")?.is_some(),
        })
    })
    .transpose()
}

/// The join links souk made for a buyer of a product (revoked when their access ends).
pub async fn links_of(
    store: &Store,
    product_id: i64,
    buyer_id: i64,
) -> Result<Vec<String>, StoreError> {
    let rows = sqlx::query(
        "SELECT invite_link FROM accesses WHERE product_id = $1 AND buyer_id = $2 ORDER BY order_id",
    )
    .bind(product_id)
    .bind(buyer_id)
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(|r| Ok(r.try_get("invite_link")?)).collect()
}
