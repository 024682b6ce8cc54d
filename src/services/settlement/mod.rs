//! Settlement: applies what the payment rails report about payments (`PaymentReport`: IPNs,
//! webhooks, Stars charges, status checks, souk's own expiries and refunds) to their orders,
//! exactly once, and queues what buyers, sellers and admins must be told.
//!
//! Reports are settled in batches: one transaction loads every order concerned, decides each
//! report in arrival order in memory (`decide`, pure), then writes the changed orders
//! (compare-and-set), the queued messages and the inbox rows with a handful of statements. A
//! batch that loses a race with another process is rolled back and settled report by report.

mod access;
mod batch;
mod decide;
mod messages;
mod notice;
mod referrals;
pub mod repeats;
mod settler;

pub use messages::closed_key;
pub use settler::Settler;

use crate::domain::OrderStatus;
use crate::domain::report::{PaymentReport, ReportedStatus};
use crate::store::ipn_events::IpnOutcome;
use crate::store::{Store, StoreError};
use batch::{BatchError, settle_batch};

/// The result of settling one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settled {
    pub outcome: IpnOutcome,
    pub order_id: Option<i64>,
    /// The order's status after the report.
    pub status: Option<OrderStatus>,
}

impl Settled {
    /// Whether a notification of `reported` that came to this is spent for good, so that the
    /// same body again changes nothing: it applied, or the order can never reach its status.
    pub fn is_spent(&self, reported: &ReportedStatus) -> bool {
        match (self.outcome, reported, self.status) {
            (IpnOutcome::Applied, _, _) => true,
            (IpnOutcome::Ignored, ReportedStatus::Known(to), Some(at)) => !at.can_ever_reach(*to),
            _ => false,
        }
    }
}

/// Reports settled together at most (keeps statements well under the databases' parameter limits).
const MAX_BATCH: usize = 128;
/// Attempts for one report whose order keeps being changed by another process.
const RETRIES: usize = 5;

/// Why a payment could not be refreshed.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error(transparent)]
    Provider(#[from] crate::payments::GatewayError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

async fn settle_one(store: &Store, report: &PaymentReport) -> Result<Settled, StoreError> {
    for _ in 0..RETRIES {
        match settle_batch(store, std::slice::from_ref(report)).await {
            Ok(mut settled) => return Ok(settled.remove(0)),
            Err(BatchError::Conflict) => continue,
            Err(BatchError::Store(e)) => return Err(e),
        }
    }
    Err(StoreError::Contention(format!(
        "order for payment {} kept changing",
        report.payment_id
    )))
}

/// Settles reports together, in this order, as the `Settler` does with reports arriving at once;
/// when the batch cannot be committed as a whole, each report is settled on its own, so one bad
/// report never blocks the others. What it returns is durable.
pub async fn apply_many(
    store: &Store,
    reports: &[PaymentReport],
) -> Vec<Result<Settled, StoreError>> {
    let results = apply_many_unsynced(store, reports).await;
    durable(store.sync_log().await, results)
}

/// The results once the log sync that makes them durable is done: a failed sync turns each
/// into an error (nothing may be acknowledged; a retry will find it settled, a repeat).
fn durable(
    synced: Result<(), StoreError>,
    results: Vec<Result<Settled, StoreError>>,
) -> Vec<Result<Settled, StoreError>> {
    match synced {
        Ok(()) => results,
        Err(e) => {
            tracing::error!(error = %e, "settled reports not synced to disk: not acknowledged");
            results
                .into_iter()
                .map(|_| Err(StoreError::Io(e.to_string())))
                .collect()
        }
    }
}

/// `apply_many` without the log sync: on SQLite, nothing returned may be acknowledged before
/// `Store::sync_log` (the `Settler` syncs while it settles the next batch).
async fn apply_many_unsynced(
    store: &Store,
    reports: &[PaymentReport],
) -> Vec<Result<Settled, StoreError>> {
    if reports.len() > 1 {
        match settle_batch(store, reports).await {
            Ok(settled) => return settled.into_iter().map(Ok).collect(),
            Err(e) => {
                tracing::warn!(error = %e, size = reports.len(), "batch not settled, settling one by one")
            }
        }
    }
    let mut results = Vec::with_capacity(reports.len());
    for report in reports {
        results.push(settle_one(store, report).await);
    }
    results
}
