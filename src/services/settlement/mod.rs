//! Settlement: applies what NOWPayments says about payments (IPNs, status checks) to their
//! orders, exactly once, and queues what buyers, sellers and admins must be told.
//!
//! Reports are settled in batches: one transaction loads every order concerned, decides each
//! report in arrival order in memory (`decide`, pure), then writes the changed orders
//! (compare-and-set), the queued messages and the inbox rows with a handful of statements. A
//! batch that loses a race with another process is rolled back and settled report by report.

mod batch;
mod decide;
mod messages;

use crate::domain::OrderStatus;
use crate::payments::PaymentStatusBody;
use crate::payments::rail::{Notice, Rail};
use crate::payments::rails::Rails;
use crate::store::ipn_events::IpnOutcome;
use crate::store::orders;
use crate::store::outbox;
use crate::store::{Store, StoreError};
use batch::{BatchError, settle_batch};
use messages::mismatch_alerts;
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

/// A payment report to settle: NOWPayments' description of a payment and the JSON it came as.
#[derive(Debug, Clone)]
pub struct Report {
    pub update: PaymentStatusBody,
    pub raw: String,
    /// An answer to souk's own status check: kept in `ipn_events` only when it changed
    /// something (checks repeat every few minutes; notifications are all kept).
    pub check: bool,
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
    Ok(Some(
        settle_notice(store, admins, rail.as_ref(), &notice, true).await?,
    ))
}

/// Settles what `rail` said: a report as an IPN; a status once its order is found to be the
/// rail's and the amount paid the order's (else the admins are told and nothing moves); a closed
/// payment changes nothing here (reconciliation decides).
pub async fn apply_notice(
    store: &Store,
    admins: &[i64],
    rail: &dyn Rail,
    notice: &Notice,
) -> Result<Settled, StoreError> {
    settle_notice(store, admins, rail, notice, false).await
}

/// `apply_notice`, for a notification or (`check`) for the answer to a status check.
async fn settle_notice(
    store: &Store,
    admins: &[i64],
    rail: &dyn Rail,
    notice: &Notice,
    check: bool,
) -> Result<Settled, StoreError> {
    let untouched = |outcome, order_id| Settled {
        outcome,
        order_id,
        status: None,
    };
    match notice {
        Notice::Report(body, raw) => apply_report(store, admins, body, raw, check).await,
        Notice::Status {
            order_id,
            status,
            paid,
            source,
            raw,
        } => {
            let order = orders::get(store, *order_id)
                .await?
                .filter(|o| rail.serves(&o.pay_currency));
            let Some(order) = order else {
                return Ok(untouched(IpnOutcome::UnknownOrder, None));
            };
            let payment_id = order
                .payment_id
                .clone()
                .unwrap_or_else(|| format!("{}-order-{order_id}", rail.name()));
            let asked = match order.pay_amount.as_deref() {
                Some(amount) => amount.parse().ok(),
                None => rail.amount_due(&order),
            };
            if *status == "finished" && paid.is_some() && *paid != asked {
                let reason = format!(
                    "{} reports {} {} paid, the order asks {}",
                    rail.name(),
                    paid.unwrap_or_default(),
                    order.pay_currency,
                    order.pay_amount.as_deref().unwrap_or("nothing yet"),
                );
                let alerts = mismatch_alerts(admins, order.id, &payment_id, reason, raw);
                outbox::enqueue_now(store, &alerts).await?;
                return Ok(untouched(IpnOutcome::Mismatch, Some(order.id)));
            }
            let paid = paid.map(|p| p.to_string());
            let (body, _) = crate::payments::report::synthetic(
                &order,
                &payment_id,
                status,
                paid.as_deref(),
                source,
            );
            apply_report(store, admins, &body, raw, check).await
        }
        Notice::Closed { order_id } => {
            if let Some(order) = orders::get(store, *order_id).await?
                && order.status.is_open()
                && !order.is_past_expiry(chrono::Utc::now().timestamp())
            {
                closed_without_news(store, admins, &order).await?;
            }
            Ok(untouched(IpnOutcome::Ignored, Some(*order_id)))
        }
    }
}

/// The rail closed an open order's payment before its expiry without saying how it ended (paid
/// or not): the admins are asked to look in the rail's dashboard and settle it (once).
async fn closed_without_news(
    store: &Store,
    admins: &[i64],
    order: &orders::Order,
) -> Result<(), StoreError> {
    tracing::error!(
        order_id = order.id,
        "the rail closed a payment without a notification"
    );
    let args = [
        ("order", order.id.to_string()),
        ("payment", order.payment_id.clone().unwrap_or_default()),
    ];
    let alerts = outbox::to_admins(
        admins,
        &format!("payment-closed:{}", order.id),
        "admin-payment-closed",
        &args,
    );
    outbox::enqueue_now(store, &alerts).await
}

/// Settles a report souk writes itself about `order` (an expiry, a restock's delivery…), under
/// the order's payment id, or the placeholder of an order never billed; `source` names the writer.
pub async fn apply_own(
    store: &Store,
    admins: &[i64],
    order: &orders::Order,
    status: &str,
    paid: Option<&str>,
    source: &str,
) -> Result<Settled, StoreError> {
    let payment_id = order
        .payment_id
        .clone()
        .unwrap_or_else(|| orders::unbilled_payment_id(order.id));
    let (body, raw) = crate::payments::report::synthetic(order, &payment_id, status, paid, source);
    apply(store, admins, &body, &raw).await
}

/// Settles one report (a status check, or an IPN outside the settler).
pub async fn apply(
    store: &Store,
    admins: &[i64],
    update: &PaymentStatusBody,
    raw: &str,
) -> Result<Settled, StoreError> {
    apply_report(store, admins, update, raw, false).await
}

async fn apply_report(
    store: &Store,
    admins: &[i64],
    update: &PaymentStatusBody,
    raw: &str,
    check: bool,
) -> Result<Settled, StoreError> {
    let report = Report {
        update: update.clone(),
        raw: raw.to_string(),
        check,
    };
    settle_one(store, admins, &report).await
}

async fn settle_one(store: &Store, admins: &[i64], report: &Report) -> Result<Settled, StoreError> {
    for _ in 0..RETRIES {
        match settle_batch(store, admins, std::slice::from_ref(report)).await {
            Ok(mut settled) => return Ok(settled.remove(0)),
            Err(BatchError::Conflict) => continue,
            Err(BatchError::Store(e)) => return Err(e),
        }
    }
    Err(StoreError::Corrupt(format!(
        "order for payment {} kept changing",
        report.update.payment_id
    )))
}

/// Settles reports together, in this order, as the `Settler` does with reports arriving at once;
/// when the batch cannot be committed as a whole, each report is settled on its own, so one bad
/// report never blocks the others.
pub async fn apply_many(
    store: &Store,
    admins: &[i64],
    reports: &[Report],
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
    jobs: mpsc::Sender<(Report, oneshot::Sender<Result<Settled, StoreError>>)>,
}

impl Settler {
    /// Starts the settling task; it ends when every `Settler` clone is dropped.
    pub fn spawn(store: Store, admins: Arc<Vec<i64>>) -> Settler {
        let (jobs, mut rx) =
            mpsc::channel::<(Report, oneshot::Sender<Result<Settled, StoreError>>)>(4 * MAX_BATCH);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(job) => batch.push(job),
                        Err(_) => break,
                    }
                }
                let (reports, replies): (Vec<Report>, Vec<_>) = batch.into_iter().unzip();
                let results = apply_many(&store, &admins, &reports).await;
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
        });
        Settler { jobs }
    }

    pub async fn settle(
        &self,
        update: PaymentStatusBody,
        raw: String,
    ) -> Result<Settled, StoreError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || StoreError::Corrupt("settlement task stopped".into());
        self.jobs
            .send((
                Report {
                    update,
                    raw,
                    check: false,
                },
                reply,
            ))
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}
