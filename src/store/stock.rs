//! Unique items (license keys, codes, accounts): added by sellers, reserved by one order at a
//! time, sold once, released when a payment fails or expires.

use super::{Conn, Store, StoreError, now, placeholders};
use sqlx::Row;

/// Adds items to a product; an item the product already has is refused. Returns how many were added.
pub async fn add(conn: &mut Conn, product_id: i64, items: &[String]) -> Result<u64, StoreError> {
    let mut added = 0;
    // Chunks keep each statement well under the databases' parameter limits.
    for chunk in items.chunks(500) {
        let sql = format!(
            "INSERT INTO stock_items (product_id, content, created_at) VALUES {} \
             ON CONFLICT (product_id, content) DO NOTHING",
            placeholders(1, chunk.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        let t = now();
        for item in chunk {
            query = query.bind(product_id).bind(item.as_str()).bind(t);
        }
        added += query.execute(&mut *conn).await?.rows_affected();
    }
    Ok(added)
}

/// Reserves one available item for an order. Returns the item's content, or `None` when sold
/// out. A compare-and-set: when another process takes the same item first, the next one is tried.
pub async fn reserve(
    conn: &mut Conn,
    product_id: i64,
    order_id: i64,
) -> Result<Option<String>, StoreError> {
    loop {
        let candidate = sqlx::query("SELECT id, content FROM stock_items WHERE product_id = $1 AND status = 'available' ORDER BY id LIMIT 1")
            .bind(product_id)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(row) = candidate else {
            return Ok(None);
        };
        let id: i64 = row.try_get("id")?;
        let taken = sqlx::query("UPDATE stock_items SET status = 'reserved', order_id = $1 WHERE id = $2 AND status = 'available'")
            .bind(order_id)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        if taken.rows_affected() == 1 {
            return Ok(Some(row.try_get("content")?));
        }
    }
}

/// The item reserved by (or sold to) an order.
pub async fn of_order(conn: &mut Conn, order_id: i64) -> Result<Option<String>, StoreError> {
    let row = sqlx::query(
        "SELECT content FROM stock_items WHERE order_id = $1 AND status IN ('reserved', 'sold')",
    )
    .bind(order_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.try_get("content")).transpose()?)
}

/// Marks the order's reserved item sold.
pub async fn sell(conn: &mut Conn, order_id: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE stock_items SET status = 'sold' WHERE order_id = $1 AND status = 'reserved'",
    )
    .bind(order_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Returns the order's reserved item to stock.
pub async fn release(conn: &mut Conn, order_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE stock_items SET status = 'available', order_id = NULL WHERE order_id = $1 AND status = 'reserved'")
        .bind(order_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// How many items are still for sale, and how many the product ever had.
pub async fn counts_in(conn: &mut Conn, product_id: i64) -> Result<(i64, i64), StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'available' THEN 1 ELSE 0 END), 0) AS BIGINT) AS available, \
         COUNT(*) AS total FROM stock_items WHERE product_id = $1",
    )
    .bind(product_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok((row.try_get("available")?, row.try_get("total")?))
}

/// How many items are still for sale, and how many the product ever had.
pub async fn counts(store: &Store, product_id: i64) -> Result<(i64, i64), StoreError> {
    let mut conn = store.pool().acquire().await?;
    counts_in(&mut conn, product_id).await
}

pub async fn available(store: &Store, product_id: i64) -> Result<i64, StoreError> {
    Ok(counts(store, product_id).await?.0)
}

/// Adds items to a product in their own transaction (a restock). Returns how many were added.
pub async fn restock(store: &Store, product_id: i64, items: &[String]) -> Result<u64, StoreError> {
    let mut tx = store.write().await?;
    let added = add(&mut tx, product_id, items).await?;
    tx.commit().await?;
    Ok(added)
}

/// The item an order reserved or bought, if any.
pub async fn item_of_order(store: &Store, order_id: i64) -> Result<Option<String>, StoreError> {
    let mut conn = store.pool().acquire().await?;
    of_order(&mut conn, order_id).await
}
