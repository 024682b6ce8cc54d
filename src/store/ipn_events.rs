//! The IPN inbox: every accepted notification, kept with what souk did about it.

use super::{Conn, StoreError, now};

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

/// Keeps an IPN with what it led to, in the transaction that applied it (so the record and
/// its effect are committed together, or neither is).
pub async fn record(
    conn: &mut Conn,
    payment_id: &str,
    status: &str,
    body: &str,
    order_id: Option<i64>,
    outcome: IpnOutcome,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO ipn_events (payment_id, order_id, payment_status, body, outcome, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(payment_id)
    .bind(order_id)
    .bind(status)
    .bind(body)
    .bind(outcome.as_str())
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
