//! Settlement: applies what the payment rails report about payments (`PaymentReport`: IPNs,
//! webhooks, Stars charges, status checks, souk's own expiries and refunds) to their orders,
//! exactly once, and queues what buyers, sellers and admins must be told.
//!
//! Reports are settled in batches: one transaction loads every order concerned, decides each
//! report in arrival order in memory (`decide`, pure), then writes the changed orders
//! (compare-and-set), the queued messages and the inbox rows with a handful of statements. A
//! batch that loses a race with another process is rolled back and settled report by report.

mod batch;
mod decide;
mod messages;
mod notice;

use crate::domain::OrderStatus;
use crate::domain::report::{Amount, PaymentReport};
use crate::payments::rail::{Notice, Rail};
use crate::payments::rails::Rails;
use crate::store::ipn_events::IpnOutcome;
use crate::store::orders;
use crate::store::{Store, StoreError};
use batch::{BatchError, settle_batch};
use notice::{Vetted, vet};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The result of settling one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settled {
    pub outcome: IpnOutcome,
    pub order_id: Option<i64>,
    /// The order's status after the report.
    pub status: Option<OrderStatus>,
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

/// Asks the order's payment rail where its payment stands now and settles the answer exactly as
/// an IPN would be: the "Check status" button and the reconciliation job both rely on it, so a
/// lost IPN still delivers. `None` when the rail could not tell.
pub async fn refresh(
    store: &Store,
    rails: &Rails,
    admins: &[i64],
    order: &orders::Order,
) -> Result<Option<Settled>, RefreshError> {
    let Some(rail) = rails.for_code(&order.pay_currency) else {
        return Ok(None);
    };
    let Some(notice) = rail.check(order).await? else {
        return Ok(None);
    };
    let settled = match vet(store, admins, rail.as_ref(), &notice, true).await? {
        Vetted::Report(report) => settle_one(store, admins, &report).await?,
        Vetted::Done(settled) => settled,
    };
    Ok(Some(settled))
}

/// Settles a report souk writes itself about `order` (an expiry, a restock's delivery…), under
/// the order's payment id, or the placeholder of an order never billed; `source` names the writer.
pub async fn apply_own(
    store: &Store,
    admins: &[i64],
    order: &orders::Order,
    status: OrderStatus,
    paid: Option<Amount>,
    source: &str,
) -> Result<Settled, StoreError> {
    let payment_id = order
        .payment_id
        .clone()
        .unwrap_or_else(|| orders::unbilled_payment_id(order.id));
    let report = PaymentReport::own(order.id, &payment_id, status, paid, source, None);
    settle_one(store, admins, &report).await
}

/// Settles one report outside the `Settler` (a Stars charge, a test).
pub async fn apply(
    store: &Store,
    admins: &[i64],
    report: &PaymentReport,
) -> Result<Settled, StoreError> {
    settle_one(store, admins, report).await
}

async fn settle_one(
    store: &Store,
    admins: &[i64],
    report: &PaymentReport,
) -> Result<Settled, StoreError> {
    for _ in 0..RETRIES {
        match settle_batch(store, admins, std::slice::from_ref(report)).await {
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
/// report never blocks the others.
pub async fn apply_many(
    store: &Store,
    admins: &[i64],
    reports: &[PaymentReport],
) -> Vec<Result<Settled, StoreError>> {
    if reports.len() > 1 {
        match settle_batch(store, admins, reports).await {
            Ok(settled) => return settled.into_iter().map(Ok).collect(),
            Err(e) => {
                tracing::warn!(error = %e, size = reports.len(), "batch not settled, settling one by one")
            }
        }
    }
    let mut results = Vec::with_capacity(reports.len());
    for report in reports {
        results.push(settle_one(store, admins, report).await);
    }
    results
}

/// Collects reports arriving together (concurrent IPNs) and settles them in batches, so that
/// the database does a handful of statements per batch rather than per IPN.
#[derive(Clone)]
pub struct Settler {
    jobs: mpsc::Sender<(PaymentReport, oneshot::Sender<Result<Settled, StoreError>>)>,
    store: Store,
    admins: Arc<Vec<i64>>,
}

impl Settler {
    /// Starts the settling task; it ends when every `Settler` clone is dropped.
    pub fn spawn(store: Store, admins: Arc<Vec<i64>>) -> Settler {
        let (jobs, mut rx) = mpsc::channel::<(
            PaymentReport,
            oneshot::Sender<Result<Settled, StoreError>>,
        )>(4 * MAX_BATCH);
        let (task_store, task_admins) = (store.clone(), admins.clone());
        tokio::spawn(async move {
            let (store, admins) = (task_store, task_admins);
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(job) => batch.push(job),
                        Err(_) => break,
                    }
                }
                let (reports, replies): (Vec<PaymentReport>, Vec<_>) = batch.into_iter().unzip();
                let results = apply_many(&store, &admins, &reports).await;
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
        });
        Settler {
            jobs,
            store,
            admins,
        }
    }

    /// Settles a report with the others arriving at the same time.
    pub async fn settle(&self, report: PaymentReport) -> Result<Settled, StoreError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || StoreError::Stopped("settlement task");
        self.jobs
            .send((report, reply))
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// Settles what a rail's webhook said: a report as an IPN; a verdict once its order is
    /// found to be the rail's and the amount paid the order's (else the admins are told and
    /// nothing moves); a closed payment changes nothing here (reconciliation decides).
    pub async fn settle_notice(
        &self,
        rail: &dyn Rail,
        notice: &Notice,
    ) -> Result<Settled, StoreError> {
        match vet(&self.store, &self.admins, rail, notice, false).await? {
            Vetted::Report(report) => self.settle(*report).await,
            Vetted::Done(settled) => Ok(settled),
        }
    }
}
