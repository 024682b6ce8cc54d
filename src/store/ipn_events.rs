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

/// One received IPN (or status check) and what souk did about it.
#[derive(Debug, Clone)]
pub struct IpnRecord<'a> {
    pub payment_id: &'a str,
    pub order_id: Option<i64>,
    pub payment_status: &'a str,
    pub body: &'a str,
    pub outcome: IpnOutcome,
    /// Who wrote the report, when souk did (an expiry, a refund…).
    pub source: Option<&'a str>,
    /// What the report says arrived, and what the shop receives of it (for the fee).
    pub paid: Option<&'a str>,
    pub outcome_amount: Option<&'a str>,
}

/// Keeps IPNs with what they led to, in the transaction that applied them (so the record and
/// its effect are committed together, or neither is).
pub async fn record(conn: &mut Conn, records: &[IpnRecord<'_>]) -> Result<(), StoreError> {
    if records.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO ipn_events (payment_id, order_id, payment_status, body, outcome, received_at, \
         source, paid, outcome_amount) VALUES {}",
        super::placeholders(1, records.len(), 9)
    );
    let t = now();
    let mut query = sqlx::query(&sql);
    for r in records {
        query = query
            .bind(r.payment_id)
            .bind(r.order_id)
            .bind(r.payment_status)
            .bind(r.body)
            .bind(r.outcome.as_str())
            .bind(t)
            .bind(r.source)
            .bind(r.paid)
            .bind(r.outcome_amount);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}
