//! Seller payouts: reserve each seller's balance in the ledger, create the NOWPayments batch,
//! verify it with a 2FA code, and resume a run that died at any step without paying twice.
//!
//! A run's steps, each recorded before the next starts:
//! 1. plan and reserve (one transaction): an open batch row, one `payouts` row per seller and a
//!    `payout` debit each, so no later run can include the same earnings;
//! 2. `POST /payout`, then record the batch id. A run that died in between finds its batch again
//!    by the withdrawals' `unique_external_id` instead of creating a second one;
//! 3. `POST /payout/{id}/verify` with a fresh TOTP code, then close the batch. A run that died
//!    in between sees from the batch's status that it was verified.
//!
//! A batch NOWPayments refuses or rejects is released: its amounts go back to the sellers.

mod create;
pub mod hold;
pub mod notices;
pub mod updates;
mod verify;

use crate::domain::UsdCents;
use crate::domain::ledger::EntryKind;
use crate::domain::payout::{self, PlannedPayout};
use crate::payments::GatewayError;
use crate::payments::nowpayments::custody::{Custody, Login};
use crate::payments::nowpayments::two_factor::TwoFactor;
use crate::store::lease::{self, PAYOUT_BATCH};
use crate::store::ledger::{self, NewEntry};
use crate::store::outbox::{self, Queued};
use crate::store::payouts::{self, Batch};
use crate::store::{Store, StoreError, now};
use hold::Hold;
use rust_decimal::Decimal;
use secrecy::ExposeSecret;
use std::fmt;
use std::sync::Arc;

/// NOWPayments allows ten verification attempts per batch.
const MAX_VERIFY_ATTEMPTS: i64 = 10;
/// An open batch this quiet was left by a run that died: the poller resumes it.
pub const ABANDONED_AFTER_SECONDS: i64 = 10 * 60;
/// Withdrawals with no final status after this long are asked about.
pub const STALE_AFTER_SECONDS: i64 = 3 * 3600;

/// Pays sellers through NOWPayments custody. Cheap to clone.
#[derive(Clone)]
pub struct Payer {
    pub store: Store,
    pub api: Arc<Custody>,
    pub two_factor: Arc<TwoFactor>,
    /// The coin sellers are paid in; 1 USD = 1 unit (a dollar stablecoin).
    pub currency: String,
    pub minimum: UsdCents,
    pub ipn_url: Option<String>,
}

/// A batch's numbers, for the run summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchReport {
    pub batch_id: i64,
    pub count: usize,
    pub total: UsdCents,
    pub failures: usize,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    /// No seller with a wallet reached the minimum.
    NothingToPay,
    /// The custody balance could not cover the run: nothing was created.
    Short {
        needed: UsdCents,
        available: Decimal,
    },
    /// Another run is working on the open batch; its hold runs out at `until` (unix seconds),
    /// when a run may take the batch over if the holder stopped.
    Busy { until: i64 },
    /// The batch is verified: NOWPayments is sending the money.
    Sent(BatchReport),
    /// NOWPayments refused or rejected the batch; the amounts went back to the sellers.
    Released(BatchReport),
}

impl fmt::Display for RunOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunOutcome::NothingToPay => write!(f, "nothing to pay"),
            RunOutcome::Short { needed, available } => {
                write!(
                    f,
                    "custody balance short: {needed} needed, {available} available"
                )
            }
            RunOutcome::Busy { until } => write!(
                f,
                "another run holds the open batch (until {})",
                crate::i18n::date_time(*until)
            ),
            RunOutcome::Sent(r) => write!(
                f,
                "batch {} sent: {} payouts, {} in total, {} failed",
                r.batch_id, r.count, r.total, r.failures
            ),
            RunOutcome::Released(r) => write!(
                f,
                "batch {} released: {} payouts, {} back to sellers",
                r.batch_id, r.count, r.total
            ),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PayoutError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Gateway(#[from] GatewayError),
    #[error("NOWPayments refused the 2FA codes for batch {0}; the next run tries again")]
    VerificationRefused(i64),
    #[error("no fresh 2FA time step came up (is the clock right?)")]
    NoFreshCode,
    #[error("another run took payout batch {0} over; this run stopped")]
    LeaseLost(i64),
}

enum Reserved {
    Batch(Batch),
    Nothing,
    Short(UsdCents),
    Busy,
}

/// Who would be paid now, and how much; changes nothing (for dry runs and confirmations).
pub async fn preview(
    store: &Store,
    currency: &str,
    minimum: UsdCents,
) -> Result<Vec<PlannedPayout>, StoreError> {
    let mut conn = store.pool().acquire().await?;
    let candidates = payouts::candidates_in(&mut conn).await?;
    Ok(payout::plan(&candidates, currency, minimum))
}

impl Payer {
    /// The payer the configuration describes; `None` when payouts are not configured.
    pub fn from_config(
        config: &crate::config::Config,
        store: Store,
    ) -> anyhow::Result<Option<Payer>> {
        let (Some(custody), Some(np)) = (&config.custody, &config.nowpayments) else {
            return Ok(None);
        };
        let api = Custody::new(
            &config.nowpayments_api_url,
            np.api_key.clone(),
            Login {
                email: custody.email.clone(),
                password: custody.password.clone(),
            },
        );
        let two_factor = TwoFactor::from_base32(custody.two_factor_secret.expose_secret())
            .map_err(|e| anyhow::anyhow!("NOWPAYMENTS_2FA_SECRET: {e}"))?;
        Ok(Some(Payer {
            store,
            api: Arc::new(api),
            two_factor: Arc::new(two_factor),
            currency: config.payout_currency.clone(),
            minimum: config.payouts.minimum,
            ipn_url: config.payouts.ipn_url.clone(),
        }))
    }

    /// One payout run: resumes an unfinished batch, or plans, reserves, creates and verifies a
    /// new one. Admins get a summary of whatever happened.
    pub async fn run(&self, started_by: &str) -> Result<RunOutcome, PayoutError> {
        let result = self.run_inner(started_by).await;
        let run = now().to_string();
        let note = match &result {
            Ok(RunOutcome::NothingToPay) => Some(notices::run_note(
                &run,
                "admin-payout-nothing",
                &[("minimum", self.minimum.to_string())],
            )),
            Ok(RunOutcome::Short { needed, available }) => Some(notices::run_note(
                &run,
                "admin-payout-short",
                &[
                    ("needed", needed.to_string()),
                    ("available", available.normalize().to_string()),
                    (
                        "missing",
                        (needed.to_decimal() - *available).normalize().to_string(),
                    ),
                    (
                        "currency",
                        crate::payments::currencies::label(&self.currency),
                    ),
                ],
            )),
            Ok(RunOutcome::Busy { until }) => Some(notices::run_note(
                &run,
                "admin-payout-busy",
                &[("until", crate::i18n::date_time(*until))],
            )),
            // Sent and released batches queued their summary with the change itself.
            Ok(RunOutcome::Sent(_) | RunOutcome::Released(_)) => None,
            Err(e) => Some(notices::run_note(
                &run,
                "admin-payout-error",
                &[("error", e.to_string())],
            )),
        };
        if let Err(e) = self.queue(note.as_slice()).await {
            tracing::error!(error = %e, "could not queue the payout run note");
        }
        if let Ok(RunOutcome::NothingToPay | RunOutcome::Sent(_) | RunOutcome::Short { .. }) =
            &result
        {
            let held = self.held_notes(&run).await;
            if let Err(e) = match held {
                Ok(notes) => self.queue(&notes).await,
                Err(e) => Err(e),
            } {
                tracing::error!(error = %e, "could not tell the admins of held payouts");
            }
        }
        match &result {
            Ok(outcome) => tracing::info!(started_by, %outcome, "payout run"),
            Err(e) => tracing::error!(started_by, error = %e, "payout run stopped"),
        }
        result
    }

    async fn run_inner(&self, started_by: &str) -> Result<RunOutcome, PayoutError> {
        if let Some(batch) = payouts::open_batch(&self.store).await? {
            tracing::warn!(batch = batch.id, "resuming an unfinished payout batch");
            return self.resume(batch).await;
        }
        if preview(&self.store, &self.currency, self.minimum)
            .await?
            .is_empty()
        {
            return Ok(RunOutcome::NothingToPay);
        }
        let balances = self.api.custody_balances().await?;
        let available = balances
            .get(&self.currency)
            .and_then(|b| b.amount.as_ref())
            .map(|a| a.value())
            .unwrap_or_default();
        match self.reserve(started_by, available).await? {
            Reserved::Nothing => Ok(RunOutcome::NothingToPay),
            Reserved::Short(needed) => Ok(RunOutcome::Short { needed, available }),
            Reserved::Busy => self.busy().await,
            Reserved::Batch(batch) => self.resume(batch).await,
        }
    }

    /// Step 1: in one transaction, open the batch, plan it, and debit each seller's amount.
    async fn reserve(&self, started_by: &str, available: Decimal) -> Result<Reserved, PayoutError> {
        let mut tx = self.store.write().await?;
        let Some(batch_id) = payouts::open_in(&mut tx, &self.currency, started_by).await? else {
            return Ok(Reserved::Busy);
        };
        let candidates = payouts::candidates_in(&mut tx).await?;
        let plan = payout::plan(&candidates, &self.currency, self.minimum);
        if plan.is_empty() {
            return Ok(Reserved::Nothing);
        }
        let needed = payout::total(&plan);
        if needed.to_decimal() > available {
            return Ok(Reserved::Short(needed));
        }
        let planned = payouts::add_planned_in(&mut tx, batch_id, &self.currency, &plan).await?;
        let debits: Vec<NewEntry> = planned
            .iter()
            .map(|p| NewEntry {
                seller_id: p.seller_id,
                kind: EntryKind::Payout,
                amount: p.amount,
                order_id: None,
                reference: format!("payout:{}", p.id),
                clears_at: None,
            })
            .collect();
        ledger::append(&mut tx, &debits).await?;
        tx.commit().await?;
        tracing::info!(batch = batch_id, count = planned.len(), total = %needed, "payout batch planned");
        let batch = payouts::batch(&self.store, batch_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("payout batch {batch_id} vanished")))?;
        Ok(Reserved::Batch(batch))
    }

    /// Takes the batch for this run and moves it on from wherever it stopped.
    async fn resume(&self, batch: Batch) -> Result<RunOutcome, PayoutError> {
        let Some(hold) = Hold::take(&self.store, batch.id).await? else {
            return self.busy().await;
        };
        // Read again under the hold: a run that held it before may have moved it on.
        let batch = payouts::batch(&self.store, batch.id)
            .await?
            .unwrap_or(batch);
        match self.advance(&batch, &hold).await {
            Err(PayoutError::LeaseLost(id)) => {
                tracing::warn!(batch = id, "another run took the payout batch over");
                self.busy().await
            }
            Err(e) => {
                // Let the next run (or the poller) take it at once.
                hold.release().await;
                Err(e)
            }
            Ok(outcome) => Ok(outcome),
        }
    }

    /// Another run holds the open batch: when its hold runs out (if it stopped heartbeating).
    async fn busy(&self) -> Result<RunOutcome, PayoutError> {
        let until = match payouts::open_batch(&self.store).await? {
            Some(b) => lease::held_until(&self.store, PAYOUT_BATCH, b.id)
                .await?
                .unwrap_or_default(),
            None => 0,
        };
        Ok(RunOutcome::Busy {
            until: until.max(now()),
        })
    }

    async fn advance(&self, batch: &Batch, hold: &Hold) -> Result<RunOutcome, PayoutError> {
        let remote_id = match &batch.remote_id {
            Some(id) => id.clone(),
            None => match self.submit(batch, hold).await? {
                Ok(id) => id,
                Err(refusal) => return self.release(batch, hold, &refusal).await,
            },
        };
        self.verify(batch, hold, &remote_id).await
    }

    /// Closes a batch that will never be paid and gives every open amount back.
    async fn release(
        &self,
        batch: &Batch,
        hold: &Hold,
        reason: &str,
    ) -> Result<RunOutcome, PayoutError> {
        let mut tx = self.store.write().await?;
        hold.check_in(&mut tx).await?;
        let returned = payouts::release_in(&mut tx, batch.id, &hold.holder, reason).await?;
        updates::give_back(&mut tx, &returned).await?;
        outbox::enqueue(&mut tx, &notices::released(batch.id, &returned, reason)).await?;
        tx.commit().await?;
        tracing::warn!(
            batch = batch.id,
            reason,
            count = returned.len(),
            "payout batch released"
        );
        Ok(RunOutcome::Released(BatchReport {
            batch_id: batch.id,
            count: returned.len(),
            total: returned.iter().map(|p| p.amount).sum(),
            failures: returned.len(),
        }))
    }

    /// The hourly check: resumes a batch a dead run left open (before NOWPayments' hour runs
    /// out), and asks NOWPayments about withdrawals whose IPNs never came.
    pub async fn poll(&self, now: i64) -> Result<PollReport, PayoutError> {
        let mut report = PollReport::default();
        if let Some(batch) = payouts::open_batch(&self.store).await?
            && batch.updated_at < now - ABANDONED_AFTER_SECONDS
        {
            report.resumed = Some(self.run("resume").await?.to_string());
        }
        for remote_id in payouts::stale_batches(&self.store, now - STALE_AFTER_SECONDS).await? {
            report.batches_checked += 1;
            match self.api.payout_batch(&remote_id).await {
                Ok(withdrawals) => {
                    for w in &withdrawals {
                        if let updates::UpdateOutcome::Applied(_) =
                            updates::apply(&self.store, w).await?
                        {
                            report.moved += 1;
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(%remote_id, error = %e, "could not check a payout batch");
                    report.errors += 1;
                }
            }
        }
        Ok(report)
    }

    /// One note per banned seller whose money this run held back.
    async fn held_notes(&self, run: &str) -> Result<Vec<Queued>, StoreError> {
        let mut conn = self.store.pool().acquire().await?;
        let candidates = payouts::candidates_in(&mut conn).await?;
        let held = payout::held(&candidates, &self.currency, self.minimum);
        for c in &held {
            tracing::warn!(
                seller = c.seller_id,
                amount = %c.available,
                "payout held: the seller is banned"
            );
        }
        Ok(held
            .iter()
            .map(|c| {
                notices::run_note(
                    &format!("{run}:{}", c.seller_id),
                    "admin-payout-held",
                    &[
                        ("user", c.seller_id.to_string()),
                        ("amount", c.available.to_string()),
                    ],
                )
            })
            .collect())
    }

    async fn queue(&self, queued: &[Queued]) -> Result<(), StoreError> {
        outbox::enqueue_now(&self.store, queued).await?;
        Ok(())
    }
}

/// What an hourly payout check did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollReport {
    pub resumed: Option<String>,
    pub batches_checked: usize,
    pub moved: usize,
    pub errors: usize,
}

impl fmt::Display for PollReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} batches checked, {} withdrawals moved, {} errors",
            self.batches_checked, self.moved, self.errors
        )?;
        if let Some(r) = &self.resumed {
            write!(f, "; resumed an open batch: {r}")?;
        }
        Ok(())
    }
}
