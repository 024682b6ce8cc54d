//! What reconciliation reads of souk's own books: the orders a provider's payment belongs to,
//! and the orders souk settled in a period.

use super::{Store, StoreError};
use crate::domain::{OrderStatus, UsdCents};
use sqlx::Row;

/// An order as reconciliation compares it with a provider's payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booked {
    pub order_id: i64,
    pub payment_id: String,
    pub pay_currency: String,
    pub status: OrderStatus,
    pub total: UsdCents,
    /// What the rail asked, as sent (a coin amount, or Stars).
    pub pay_amount: Option<String>,
}

fn booked(r: &sqlx::any::AnyRow) -> Result<Booked, StoreError> {
    let status: String = r.try_get("status")?;
    Ok(Booked {
        order_id: r.try_get("id")?,
        payment_id: r.try_get("payment_id")?,
        pay_currency: r.try_get("pay_currency")?,
        status: status
            .parse::<OrderStatus>()
            .map_err(|_| StoreError::Corrupt(format!("order status {status}")))?,
        total: UsdCents(r.try_get("total_cents")?),
        pay_amount: r.try_get("pay_amount")?,
    })
}

/// The order a provider's payment belongs to, by its payment id.
pub async fn by_payment(store: &Store, payment_id: &str) -> Result<Option<Booked>, StoreError> {
    let row = sqlx::query(
        "SELECT id, payment_id, pay_currency, status, total_cents, pay_amount FROM orders \
         WHERE payment_id = $1",
    )
    .bind(payment_id)
    .fetch_optional(store.pool())
    .await?;
    row.as_ref().map(booked).transpose()
}

/// Orders souk credited (a `sale` entry) in `[from, to)`, not simulated, with their payment.
pub async fn settled_between(store: &Store, from: i64, to: i64) -> Result<Vec<Booked>, StoreError> {
    let rows = sqlx::query(
        "SELECT o.id, o.payment_id, o.pay_currency, o.status, o.total_cents, o.pay_amount FROM orders o \
         JOIN ledger_entries l ON l.order_id = o.id AND l.kind = 'sale' \
         WHERE o.payment_id IS NOT NULL AND l.created_at >= $1 AND l.created_at < $2 ORDER BY o.id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(booked).collect()
}
