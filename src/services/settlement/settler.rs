//! The `Settler`: the one door every payment report goes through. Reports arriving together
//! (concurrent IPNs and webhooks, status checks, souk's own reports) are settled in batches, so
//! the database does a handful of statements per batch rather than per report.

use super::notice::{Vetted, vet};
use super::repeats::Repeats;
use super::{MAX_BATCH, RefreshError, Settled, apply_many_unsynced, durable};
use crate::domain::OrderStatus;
use crate::domain::report::{Amount, PaymentReport};
use crate::payments::rail::{Notice, Rail};
use crate::payments::rails::Rails;
use crate::store::{Store, StoreError, orders};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Collects reports arriving together (concurrent IPNs) and settles them in batches, so that
/// the database does a handful of statements per batch rather than per IPN.
#[derive(Clone)]
pub struct Settler {
    jobs: mpsc::Sender<(PaymentReport, oneshot::Sender<Result<Settled, StoreError>>)>,
    store: Store,
    repeats: Arc<Repeats>,
}

/// How often repeats counted in memory are added to the inbox.
const FLUSH_EVERY: Duration = Duration::from_secs(1);

impl Settler {
    /// Starts the settling task; it ends when every `Settler` clone is dropped.
    pub fn spawn(store: Store) -> Settler {
        let (jobs, mut rx) = mpsc::channel::<(
            PaymentReport,
            oneshot::Sender<Result<Settled, StoreError>>,
        )>(4 * MAX_BATCH);
        let task_store = store.clone();
        let repeats = Arc::new(Repeats::default());
        let counted = repeats.clone();
        tokio::spawn(async move {
            let store = task_store;
            let mut flush = tokio::time::interval(FLUSH_EVERY);
            flush.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                let first = tokio::select! {
                    job = rx.recv() => job,
                    _ = flush.tick() => {
                        if let Err(e) = counted.flush(&store).await {
                            tracing::warn!(error = %e, "repeats not counted yet");
                        }
                        continue;
                    }
                };
                let Some(first) = first else { break };
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(job) => batch.push(job),
                        Err(_) => break,
                    }
                }
                let (reports, replies): (Vec<PaymentReport>, Vec<_>) = batch.into_iter().unzip();
                let results = apply_many_unsynced(&store, &reports).await;
                // Group commit: the batch is answered once the log holding it is synced, while
                // the next batch is settled (a later sync covers every earlier commit too).
                let syncing = store.clone();
                tokio::spawn(async move {
                    let results = durable(syncing.sync_log().await, results);
                    for (reply, result) in replies.into_iter().zip(results) {
                        let _ = reply.send(result);
                    }
                });
            }
            if let Err(e) = counted.flush(&store).await {
                tracing::warn!(error = %e, "repeats counted in memory lost at stop");
            }
        });
        Settler {
            jobs,
            store,
            repeats,
        }
    }

    /// The signed notifications this process has settled, which change nothing when repeated.
    pub fn repeats(&self) -> &Repeats {
        &self.repeats
    }

    /// Adds the repeats counted in memory to the inbox now (they are every second anyway).
    pub async fn flush_repeats(&self) -> Result<(), StoreError> {
        self.repeats.flush(&self.store).await
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
        self.settle_vetted(rail, notice, false).await
    }

    /// Vets a notice (a notification, or the answer to a status check) and settles what it comes to.
    async fn settle_vetted(
        &self,
        rail: &dyn Rail,
        notice: &Notice,
        check: bool,
    ) -> Result<Settled, StoreError> {
        match vet(&self.store, rail, notice, check).await? {
            Vetted::Report(report) => self.settle(*report).await,
            Vetted::Done(settled) => Ok(settled),
        }
    }

    /// Asks the order's payment rail where its payment stands now and settles the answer
    /// exactly as an IPN would be: the "Check status" button and the reconciliation job both
    /// rely on it, so a lost IPN still delivers. `None` when the rail could not tell.
    pub async fn refresh(
        &self,
        rails: &Rails,
        order: &orders::Order,
    ) -> Result<Option<Settled>, RefreshError> {
        let Some(rail) = rails.for_code(&order.pay_currency) else {
            return Ok(None);
        };
        let Some(notice) = rail.check(order).await? else {
            return Ok(None);
        };
        Ok(Some(
            self.settle_vetted(rail.as_ref(), &notice, true).await?,
        ))
    }

    /// Settles a report souk writes itself about `order` (an expiry, a refund, a restock's
    /// delivery…), under the order's payment id, or the placeholder of an order never billed;
    /// `source` names the writer.
    pub async fn settle_own(
        &self,
        order: &orders::Order,
        status: OrderStatus,
        paid: Option<Amount>,
        source: &str,
    ) -> Result<Settled, StoreError> {
        let payment_id = order.payment_id_or_unbilled();
        let report = PaymentReport::own(order.id, &payment_id, status, paid, source, None);
        self.settle(report).await
    }

    /// The database it settles in.
    pub fn store(&self) -> &Store {
        &self.store
    }
}
