//! A withdrawal's status news, from a payout IPN or from polling: moves the payout forward once,
//! gives failed amounts back in the ledger, and queues what the seller and admins are told.

use super::notices;
use crate::domain::ledger::EntryKind;
use crate::domain::payout::PayoutStatus;
use crate::payments::nowpayments::custody::Withdrawal;
use crate::store::ledger::{self, NewEntry};
use crate::store::payouts::{self, Payout};
use crate::store::{Conn, Store, StoreError, outbox};

/// What a status report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateOutcome {
    Applied(PayoutStatus),
    /// A duplicate, or older news than what is recorded.
    Unchanged,
    /// No payout has this withdrawal id.
    Unknown,
    /// A status souk does not know.
    BadStatus,
}

impl UpdateOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateOutcome::Applied(_) => "applied",
            UpdateOutcome::Unchanged => "unchanged",
            UpdateOutcome::Unknown => "unknown",
            UpdateOutcome::BadStatus => "bad_status",
        }
    }
}

/// The ledger entry that gives a payout's amount back to its seller (once: its reference is unique).
pub fn reversal(p: &Payout) -> NewEntry {
    NewEntry {
        seller_id: p.seller_id,
        kind: EntryKind::PayoutReversal,
        amount: p.amount,
        order_id: None,
        reference: format!("payout_reversal:{}", p.id),
        clears_at: None,
    }
}

/// Gives the amounts of payouts that will never be paid back to their sellers.
pub async fn give_back(conn: &mut Conn, returned: &[Payout]) -> Result<(), StoreError> {
    let entries: Vec<NewEntry> = returned.iter().map(reversal).collect();
    ledger::append(conn, &entries).await
}

/// Applies one withdrawal's reported status. Repeats and stale reports change nothing.
pub async fn apply(store: &Store, w: &Withdrawal) -> Result<UpdateOutcome, StoreError> {
    let Some(next) = PayoutStatus::parse(&w.status) else {
        return Ok(UpdateOutcome::BadStatus);
    };
    let hash = w.hash.as_deref().filter(|h| !h.is_empty());
    let error = w.error_text();
    // A concurrent report may move the payout between the read and the write: read again.
    for _ in 0..3 {
        let mut tx = store.write().await?;
        let Some(p) = payouts::by_withdrawal_in(&mut tx, &w.id).await? else {
            return Ok(UpdateOutcome::Unknown);
        };
        if !p.status.can_move_to(next) {
            return Ok(UpdateOutcome::Unchanged);
        }
        if !payouts::transition_in(&mut tx, p.id, p.status, next, hash, error.as_deref()).await? {
            continue;
        }
        let mut queued = Vec::new();
        if next == PayoutStatus::Finished {
            queued.push(notices::finished(&p, hash));
            crate::metrics::add(
                "souk_payout_amount_cents_total",
                &[("status", "finished")],
                p.amount.0.max(0) as u64,
            );
        }
        if next.returns_money() {
            crate::metrics::add(
                "souk_payout_amount_cents_total",
                &[("status", "failed")],
                p.amount.0.max(0) as u64,
            );
            give_back(&mut tx, std::slice::from_ref(&p)).await?;
            queued.extend(notices::failed(&p, error.as_deref()));
        }
        outbox::enqueue(&mut tx, &queued).await?;
        tx.commit().await?;
        tracing::info!(payout = p.id, withdrawal = %w.id, from = %p.status, to = %next, "payout moved");
        return Ok(UpdateOutcome::Applied(next));
    }
    Ok(UpdateOutcome::Unchanged)
}
