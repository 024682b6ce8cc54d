//! Read-only queries behind the admins' views: sales for /stats, the payment history for
//! /payments, recent payouts for /payouts, job runs for /health.

use super::{Store, StoreError};
use crate::domain::UsdCents;
use crate::domain::report::Amount;
use crate::domain::stats::{Sale, fee_cents};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Finished sales whose sale entry was written in `[from, to)`, with the rail's fee when the
/// finishing report said what was paid and what the shop received.
pub async fn sales_between(store: &Store, from: i64, to: i64) -> Result<Vec<Sale>, StoreError> {
    let rows = sqlx::query(
        "SELECT o.seller_id, COALESCE(u.username, u.first_name, '') AS seller_name, o.price_cents, \
         o.commission_cents, o.total_cents, o.pay_currency, l.created_at AS sold_at, \
         e.paid, e.outcome_amount \
         FROM orders o JOIN ledger_entries l ON l.order_id = o.id AND l.kind = 'sale' \
         LEFT JOIN users u ON u.id = o.seller_id \
         LEFT JOIN ipn_events e ON e.id = (SELECT MAX(f.id) FROM ipn_events f \
           WHERE f.order_id = o.id AND f.payment_status = 'finished') \
         WHERE o.status = 'finished' AND l.created_at >= $1 AND l.created_at < $2 ORDER BY l.created_at",
    )
    .bind(from)
    .bind(to)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let total = UsdCents(r.try_get("total_cents")?);
            let paid: Option<String> = r.try_get("paid")?;
            let outcome: Option<String> = r.try_get("outcome_amount")?;
            Ok(Sale {
                sold_at: r.try_get("sold_at")?,
                seller_id: r.try_get("seller_id")?,
                seller_name: r.try_get("seller_name")?,
                price: UsdCents(r.try_get("price_cents")?),
                commission: UsdCents(r.try_get("commission_cents")?),
                total,
                currency: r.try_get("pay_currency")?,
                fee: fee_from_amounts(total, paid.as_deref(), outcome.as_deref()),
            })
        })
        .collect()
}

/// The fee a finishing report shows, from its exact amounts.
fn fee_from_amounts(
    total: UsdCents,
    paid: Option<&str>,
    outcome: Option<&str>,
) -> Option<UsdCents> {
    let paid = Amount::parse(paid?)?;
    let outcome = Amount::parse(outcome?)?;
    fee_cents(total, paid.value(), outcome.value())
}

/// One line of the payment history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentLine {
    pub order_id: i64,
    pub payment_id: Option<String>,
    pub status: String,
    pub total: UsdCents,
    pub pay_currency: String,
    pub pay_amount: Option<String>,
    pub actually_paid: Option<String>,
    pub buyer_id: i64,
    pub seller_id: i64,
    pub title: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Orders that reached NOWPayments, newest first, optionally of one status.
pub async fn payments(
    store: &Store,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PaymentLine>, i64), StoreError> {
    let filter = if status.is_some() {
        "AND o.status = $3"
    } else {
        ""
    };
    let sql = format!(
        "{PAYMENT_SELECT} WHERE o.payment_id IS NOT NULL {filter} ORDER BY o.id DESC LIMIT $1 OFFSET $2"
    );
    let mut q = sqlx::query(&sql).bind(limit).bind(offset);
    if let Some(s) = status {
        q = q.bind(s);
    }
    let rows = q.fetch_all(store.pool()).await?;
    let count_sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM orders o WHERE o.payment_id IS NOT NULL {}",
        if status.is_some() {
            "AND o.status = $1"
        } else {
            ""
        }
    );
    let mut cq = sqlx::query(&count_sql);
    if let Some(s) = status {
        cq = cq.bind(s);
    }
    let total: i64 = cq.fetch_one(store.pool()).await?.try_get("n")?;
    let lines = rows
        .iter()
        .map(payment_line)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((lines, total))
}

pub async fn payment(store: &Store, order_id: i64) -> Result<Option<PaymentLine>, StoreError> {
    sqlx::query(&format!("{PAYMENT_SELECT} WHERE o.id = $1"))
        .bind(order_id)
        .fetch_optional(store.pool())
        .await?
        .as_ref()
        .map(payment_line)
        .transpose()
}

const PAYMENT_SELECT: &str = "SELECT o.id, o.payment_id, o.status, o.total_cents, o.pay_currency, \
    o.pay_amount, o.actually_paid, o.buyer_id, o.seller_id, p.title, o.created_at, o.updated_at \
    FROM orders o JOIN products p ON p.id = o.product_id";

fn payment_line(r: &AnyRow) -> Result<PaymentLine, StoreError> {
    Ok(PaymentLine {
        order_id: r.try_get("id")?,
        payment_id: r.try_get("payment_id")?,
        status: r.try_get("status")?,
        total: UsdCents(r.try_get("total_cents")?),
        pay_currency: r.try_get("pay_currency")?,
        pay_amount: r.try_get("pay_amount")?,
        actually_paid: r.try_get("actually_paid")?,
        buyer_id: r.try_get("buyer_id")?,
        seller_id: r.try_get("seller_id")?,
        title: r.try_get("title")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// One IPN (or status check, or souk's own report) kept for an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpnLine {
    pub received_at: i64,
    pub status: String,
    pub outcome: String,
    /// `souk-expiry`, `souk-admin-refund:<id>`… for souk's own reports.
    pub source: Option<String>,
}

/// The latest `limit` reports kept for an order, oldest first, and how many there are in all.
pub async fn ipn_history(
    store: &Store,
    order_id: i64,
    limit: i64,
) -> Result<(Vec<IpnLine>, i64), StoreError> {
    let total: i64 =
        sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM ipn_events WHERE order_id = $1")
            .bind(order_id)
            .fetch_one(store.pool())
            .await?
            .try_get("n")?;
    let mut rows = sqlx::query(
        "SELECT received_at, payment_status, outcome, source FROM ipn_events WHERE order_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(order_id)
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    rows.reverse();
    let lines = rows
        .iter()
        .map(|r| {
            Ok(IpnLine {
                received_at: r.try_get("received_at")?,
                status: r.try_get("payment_status")?,
                outcome: r.try_get("outcome")?,
                source: r.try_get("source")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((lines, total))
}
