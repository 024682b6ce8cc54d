//! "Notify me" on sold-out products: who waits for which product, each at most once until told.

use super::{Conn, Store, StoreError, now};
use sqlx::Row;

/// `user` waits for `product`; false when they were waiting already.
pub async fn subscribe(store: &Store, product_id: i64, user_id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO restock_alerts (product_id, user_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (product_id, user_id) DO NOTHING",
    )
    .bind(product_id)
    .bind(user_id)
    .bind(now())
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes everyone waiting for `product` (they are no longer waiting), with when each asked.
pub async fn take_in(conn: &mut Conn, product_id: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    let rows = sqlx::query(
        "DELETE FROM restock_alerts WHERE product_id = $1 RETURNING user_id, created_at",
    )
    .bind(product_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("user_id")?, r.try_get("created_at")?)))
        .collect()
}
