//! The IPN inbox: every accepted notification, kept with what souk did about it.

use super::{Conn, StoreError, now};
use sqlx::Row;

/// What an IPN led to; stored as text beside the IPN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpnOutcome {
    /// The order moved to the IPN's status.
    Applied,
    /// Same status again, or a status the order has already passed: nothing changed.
    Ignored,
    /// The payment does not match its order (amount, currency, payment id): flagged to admins.
    Mismatch,
    /// No order carries this payment.
    UnknownOrder,
}

impl IpnOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            IpnOutcome::Applied => "applied",
            IpnOutcome::Ignored => "ignored",
            IpnOutcome::Mismatch => "mismatch",
            IpnOutcome::UnknownOrder => "unknown_order",
        }
    }
}

/// Stores an IPN (first statement of its transaction, so on SQLite the write lock is taken early).
pub async fn record(
    conn: &mut Conn,
    payment_id: &str,
    status: &str,
    body: &str,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO ipn_events (payment_id, payment_status, body, outcome, received_at) \
         VALUES ($1, $2, $3, 'received', $4) RETURNING id",
    )
    .bind(payment_id)
    .bind(status)
    .bind(body)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

pub async fn set_outcome(
    conn: &mut Conn,
    id: i64,
    order_id: Option<i64>,
    outcome: IpnOutcome,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE ipn_events SET outcome = $1, order_id = $2 WHERE id = $3")
        .bind(outcome.as_str())
        .bind(order_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
