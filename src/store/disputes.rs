//! Disputes and their threads: one dispute per order at most, its messages as written, and its
//! settlement (once, whoever presses: a compare-and-set on `open`).

use super::{Conn, Store, StoreError, now};
use crate::domain::UsdCents;
use crate::domain::dispute::{DisputeStatus, Role};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispute {
    pub id: i64,
    pub order_id: i64,
    pub buyer_id: i64,
    pub seller_id: i64,
    pub status: DisputeStatus,
    /// What a partial settlement refunded.
    pub refund: Option<UsdCents>,
}

const COLUMNS: &str = "id, order_id, buyer_id, seller_id, status, refund_cents";

fn from_row(r: &AnyRow) -> Result<Dispute, StoreError> {
    let status: String = r.try_get("status")?;
    Ok(Dispute {
        id: r.try_get("id")?,
        order_id: r.try_get("order_id")?,
        buyer_id: r.try_get("buyer_id")?,
        seller_id: r.try_get("seller_id")?,
        status: DisputeStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("dispute status {status}")))?,
        refund: r.try_get::<Option<i64>, _>("refund_cents")?.map(UsdCents),
    })
}

/// Opens the order's dispute with the buyer's first message; `None` when the order has one
/// already (opened before, whatever its state).
pub async fn open(
    store: &Store,
    order_id: i64,
    buyer_id: i64,
    seller_id: i64,
    first_message: &str,
) -> Result<Option<i64>, StoreError> {
    let mut tx = store.write().await?;
    let t = now();
    let row = sqlx::query(
        "INSERT INTO disputes (order_id, buyer_id, seller_id, status, opened_at) VALUES ($1, $2, $3, 'open', $4) \
         ON CONFLICT (order_id) DO NOTHING RETURNING id",
    )
    .bind(order_id)
    .bind(buyer_id)
    .bind(seller_id)
    .bind(t)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let id: i64 = row.try_get("id")?;
    add_message_in(&mut tx, id, buyer_id, Role::Buyer, first_message).await?;
    tx.commit().await?;
    Ok(Some(id))
}

pub async fn get(store: &Store, id: i64) -> Result<Option<Dispute>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM disputes WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn of_order(store: &Store, order_id: i64) -> Result<Option<Dispute>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM disputes WHERE order_id = $1");
    let row = sqlx::query(&sql)
        .bind(order_id)
        .fetch_optional(store.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Stores a message of the thread as its author wrote it.
pub async fn add_message(
    store: &Store,
    dispute_id: i64,
    author: i64,
    role: Role,
    body: &str,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    add_message_in(&mut tx, dispute_id, author, role, body).await?;
    tx.commit().await
}

async fn add_message_in(
    conn: &mut Conn,
    dispute_id: i64,
    author: i64,
    role: Role,
    body: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO dispute_messages (dispute_id, author_id, role, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(dispute_id)
    .bind(author)
    .bind(role.as_str())
    .bind(body)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How many messages the thread holds.
pub async fn message_count(store: &Store, dispute_id: i64) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM dispute_messages WHERE dispute_id = $1")
            .bind(dispute_id)
            .fetch_one(store.pool())
            .await?,
    )
}

/// Settles an open dispute; false when it was settled already (another admin pressed first).
pub async fn settle_in(
    conn: &mut Conn,
    id: i64,
    status: DisputeStatus,
    refund: Option<UsdCents>,
    admin: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE disputes SET status = $1, refund_cents = $2, settled_at = $3, settled_by = $4 \
         WHERE id = $5 AND status = 'open'",
    )
    .bind(status.as_str())
    .bind(refund.map(|r| r.0))
    .bind(now())
    .bind(admin)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the order's sale is still in its refund window (credited, not yet cleared).
pub async fn in_window(store: &Store, order_id: i64) -> Result<bool, StoreError> {
    let held: Option<i64> = sqlx::query_scalar(
        "SELECT clears_at FROM ledger_entries WHERE reference = $1 AND clears_at > $2",
    )
    .bind(format!("sale:{order_id}"))
    .bind(now())
    .fetch_optional(store.pool())
    .await?
    .flatten();
    Ok(held.is_some())
}

/// Which of these orders their buyer may dispute now (finished, still in the refund window, no
/// dispute yet): one query for a page of purchases.
pub async fn openable_among(
    store: &Store,
    buyer_id: i64,
    order_ids: &[i64],
) -> Result<std::collections::HashSet<i64>, StoreError> {
    if order_ids.is_empty() {
        return Ok(Default::default());
    }
    let sql = format!(
        "SELECT o.id FROM orders o JOIN ledger_entries l ON l.order_id = o.id AND l.kind = 'sale' \
         WHERE o.buyer_id = $1 AND o.status = 'finished' AND l.clears_at > $2 \
         AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.order_id = o.id) AND o.id IN {}",
        super::placeholders(3, 1, order_ids.len())
    );
    let mut query = sqlx::query(&sql).bind(buyer_id).bind(now());
    for id in order_ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(store.pool()).await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<i64, _>("id")?))
        .collect()
}

/// The SQL test that a ledger entry (table alias `alias`) is not frozen by an open dispute.
pub(super) fn not_frozen(alias: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM disputes d WHERE d.order_id = {alias}.order_id AND d.status = 'open')"
    )
}
