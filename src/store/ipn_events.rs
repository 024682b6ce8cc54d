//! The IPN inbox: every accepted notification, kept with what souk did about it.

use super::bundle::Bundle;
use super::{StoreError, now};

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
    /// A rail's notification: its body's digest, which keeps it once (`None` for souk's own).
    pub digest: Option<&'a str>,
    /// How many more times the same body arrived with this one.
    pub repeats: i64,
}

/// Keeps IPNs with what they led to, in the transaction that applied them (so the record and
/// its effect are committed together, or neither is). A notification whose digest is already
/// kept only adds to that row's repeats (the first outcome stays); `records` must not name one
/// digest twice.
pub fn record_into<'q>(
    bundle: &mut Bundle<'q>,
    records: &'q [IpnRecord<'q>],
) -> Result<(), StoreError> {
    if records.is_empty() {
        return Ok(());
    }
    let mut params = bundle.statement(|marks| {
        format!(
            "INSERT INTO ipn_events (payment_id, order_id, payment_status, body, outcome, received_at, \
             source, paid, outcome_amount, digest, repeats) VALUES {} \
             ON CONFLICT (payment_id, digest) DO UPDATE SET repeats = ipn_events.repeats + excluded.repeats + 1, \
             last_received_at = excluded.received_at",
            marks.rows(records.len(), 11)
        )
    });
    let t = now();
    for r in records {
        params.add(r.payment_id)?;
        params.add(r.order_id)?;
        params.add(r.payment_status)?;
        params.add(r.body)?;
        params.add(r.outcome.as_str())?;
        params.add(t)?;
        params.add(r.source)?;
        params.add(r.paid)?;
        params.add(r.outcome_amount)?;
        params.add(r.digest)?;
        params.add(r.repeats)?;
    }
    Ok(())
}

/// Repeats of one kept notification counted away from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeated {
    pub payment_id: String,
    pub digest: String,
    pub count: i64,
    /// When the last of them arrived.
    pub last_at: i64,
}

/// Adds repeats counted away from the database to the rows that keep their notifications; a
/// row pruned meanwhile is left pruned.
pub async fn add_repeats(store: &super::Store, repeats: &[Repeated]) -> Result<(), StoreError> {
    if repeats.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE ipn_events SET repeats = ipn_events.repeats + v.column3, \
         last_received_at = v.column4 FROM (VALUES {}) AS v \
         WHERE ipn_events.payment_id = v.column1 AND ipn_events.digest = v.column2",
        super::placeholders(1, repeats.len(), 4)
    );
    let mut query = sqlx::query(&sql);
    for r in repeats {
        query = query
            .bind(r.payment_id.as_str())
            .bind(r.digest.as_str())
            .bind(r.count)
            .bind(r.last_at);
    }
    let mut tx = store.write().await?;
    query.execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
