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

pub mod notices;
pub mod updates;

use crate::domain::UsdCents;
use crate::domain::ledger::EntryKind;
use crate::domain::payout::{self, PayoutStatus, PlannedPayout};
use crate::payments::GatewayError;
use crate::payments::nowpayments::NowPaymentsClient;
use crate::payments::nowpayments::custody::{Login, NewWithdrawal, Withdrawal};
use crate::payments::nowpayments::two_factor::{STEP_SECONDS, TwoFactor};
use crate::store::ledger::{self, NewEntry};
use crate::store::outbox::{self, Queued};
use crate::store::payouts::{self, Batch, Payout};
use crate::store::{Store, StoreError, now};
use rust_decimal::Decimal;
use secrecy::ExposeSecret;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How long a run holds a batch before its next step renews the hold; a run that dies lets go
/// when it passes (a restart within it finds the batch busy and leaves it to the next run).
pub const LEASE_SECONDS: i64 = 2 * 60;
/// Codes one run tries before leaving the batch to the next run.
const CODES_PER_RUN: i64 = 3;
/// NOWPayments allows ten verification attempts per batch.
const MAX_VERIFY_ATTEMPTS: i64 = 10;
/// Pages of `GET /payout` searched for a batch a dead run created.
const SEARCH_PAGES: u32 = 20;
const SEARCH_PAGE_SIZE: u32 = 100;
/// An open batch this quiet was left by a run that died: the poller resumes it.
pub const ABANDONED_AFTER_SECONDS: i64 = 10 * 60;
/// Withdrawals with no final status after this long are asked about.
pub const STALE_AFTER_SECONDS: i64 = 3 * 3600;

/// Pays sellers through NOWPayments custody. Cheap to clone.
#[derive(Clone)]
pub struct Payer {
    pub store: Store,
    pub api: Arc<NowPaymentsClient>,
    pub two_factor: Arc<TwoFactor>,
    /// The coin sellers are paid in; 1 USD = 1 unit (a dollar stablecoin).
    pub currency: String,
    pub minimum: UsdCents,
    pub ipn_url: Option<String>,
    pub admins: Arc<Vec<i64>>,
    pub outbox_wake: Arc<Notify>,
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
    /// Another run is working on the open batch.
    Busy,
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
            RunOutcome::Busy => write!(f, "another run holds the open batch"),
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
        outbox_wake: Arc<Notify>,
    ) -> anyhow::Result<Option<Payer>> {
        let (Some(custody), Some(np)) = (&config.custody, &config.nowpayments) else {
            return Ok(None);
        };
        let api = NowPaymentsClient::new(&config.nowpayments_api_url, np.api_key.clone())
            .with_login(Login {
                email: custody.email.clone(),
                password: custody.password.clone(),
            });
        let two_factor = TwoFactor::from_base32(custody.two_factor_secret.expose_secret())
            .map_err(|e| anyhow::anyhow!("NOWPAYMENTS_2FA_SECRET: {e}"))?;
        Ok(Some(Payer {
            store,
            api: Arc::new(api),
            two_factor: Arc::new(two_factor),
            currency: config.payout_currency.clone(),
            minimum: config.payouts.minimum,
            ipn_url: config.payouts.ipn_url.clone(),
            admins: Arc::new(config.admin_ids.clone()),
            outbox_wake,
        }))
    }

    /// One payout run: resumes an unfinished batch, or plans, reserves, creates and verifies a
    /// new one. Admins get a summary of whatever happened.
    pub async fn run(&self, started_by: &str) -> Result<RunOutcome, PayoutError> {
        let result = self.run_inner(started_by).await;
        let run = now().to_string();
        let note = match &result {
            Ok(RunOutcome::NothingToPay) => notices::run_note(
                &run,
                "admin-payout-nothing",
                &[("minimum", self.minimum.to_string())],
                &self.admins,
            ),
            Ok(RunOutcome::Short { needed, available }) => notices::run_note(
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
                &self.admins,
            ),
            Ok(RunOutcome::Busy) => notices::run_note(&run, "admin-payout-busy", &[], &self.admins),
            // Sent and released batches queued their summary with the change itself.
            Ok(RunOutcome::Sent(_) | RunOutcome::Released(_)) => Vec::new(),
            Err(e) => notices::run_note(
                &run,
                "admin-payout-error",
                &[("error", e.to_string())],
                &self.admins,
            ),
        };
        if let Err(e) = self.queue(&note).await {
            tracing::error!(error = %e, "could not queue the payout run note");
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
            Reserved::Busy => Ok(RunOutcome::Busy),
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
        if !payouts::claim(&self.store, batch.id, now() + LEASE_SECONDS).await? {
            return Ok(RunOutcome::Busy);
        }
        let result = self.advance(&batch).await;
        if result.is_err() {
            // Let the next run (or the poller) take it at once.
            if let Err(e) = payouts::unclaim(&self.store, batch.id).await {
                tracing::error!(batch = batch.id, error = %e, "could not release the batch lease");
            }
        }
        result
    }

    async fn advance(&self, batch: &Batch) -> Result<RunOutcome, PayoutError> {
        let remote_id = match &batch.remote_id {
            Some(id) => id.clone(),
            None => match self.submit(batch).await? {
                Ok(id) => id,
                Err(refusal) => return self.release(batch, &refusal).await,
            },
        };
        payouts::renew(&self.store, batch.id, now() + LEASE_SECONDS).await?;
        self.verify(batch, &remote_id).await
    }

    /// Step 2: creates the batch at NOWPayments (or finds the one a dead run created) and
    /// records its id. `Ok(Err(reason))` when NOWPayments refused it.
    async fn submit(&self, batch: &Batch) -> Result<Result<String, String>, PayoutError> {
        let planned = payouts::payouts_of(&self.store, batch.id).await?;
        if let Some((remote_id, found)) = self.find_created(&planned).await? {
            tracing::warn!(batch = batch.id, %remote_id, "found the batch a previous run created");
            self.record_created(batch, &remote_id, &planned, &found)
                .await?;
            return Ok(Ok(remote_id));
        }
        let withdrawals: Vec<NewWithdrawal> = planned
            .iter()
            .map(|p| NewWithdrawal {
                address: p.address.clone(),
                currency: p.currency.clone(),
                amount: payout::amount_text(p.amount),
                ipn_callback_url: self.ipn_url.clone(),
                unique_external_id: p.external_id(),
            })
            .collect();
        match self
            .api
            .create_payout(&withdrawals, self.ipn_url.as_deref())
            .await
        {
            Ok(created) => {
                self.record_created(batch, &created.id, &planned, &created.withdrawals)
                    .await?;
                tracing::info!(batch = batch.id, remote_id = %created.id, "payout batch created");
                Ok(Ok(created.id))
            }
            // A 4xx: NOWPayments created nothing.
            Err(GatewayError::Rejected { code, message, .. }) => {
                Ok(Err(format!("{code}: {message}")))
            }
            // Unavailable or unreadable: it may or may not exist; the next run looks for it.
            Err(e) => Err(e.into()),
        }
    }

    /// Looks through NOWPayments' withdrawals for this batch's external ids.
    async fn find_created(
        &self,
        planned: &[Payout],
    ) -> Result<Option<(String, Vec<Withdrawal>)>, PayoutError> {
        let ours: std::collections::HashSet<String> =
            planned.iter().map(Payout::external_id).collect();
        let mut found: Vec<Withdrawal> = Vec::new();
        for page in 0..SEARCH_PAGES {
            let list = self.api.list_payouts(page, SEARCH_PAGE_SIZE).await?;
            let full = list.len() as u32 == SEARCH_PAGE_SIZE;
            found.extend(list.into_iter().filter(|w| {
                w.unique_external_id
                    .as_ref()
                    .is_some_and(|id| ours.contains(id))
            }));
            if !full || found.len() == ours.len() {
                break;
            }
        }
        let remote_id = found.iter().find_map(|w| w.batch_withdrawal_id.clone());
        Ok(remote_id.map(|id| (id, found)))
    }

    /// Records the batch id and each withdrawal's id. A planned payout NOWPayments does not
    /// list was not created: its amount goes back at once.
    async fn record_created(
        &self,
        batch: &Batch,
        remote_id: &str,
        planned: &[Payout],
        withdrawals: &[Withdrawal],
    ) -> Result<(), PayoutError> {
        let mut matched = Vec::new();
        let mut missing = Vec::new();
        for (i, p) in planned.iter().enumerate() {
            let external = p.external_id();
            let w = withdrawals
                .iter()
                .find(|w| w.unique_external_id.as_deref() == Some(external.as_str()))
                .or_else(|| {
                    // Without external ids, NOWPayments keeps the order it was given.
                    (withdrawals.len() == planned.len()
                        && withdrawals.iter().all(|w| w.unique_external_id.is_none()))
                    .then(|| &withdrawals[i])
                });
            match w {
                Some(w) => matched.push((
                    p.id,
                    w.id.clone(),
                    PayoutStatus::parse(&w.status)
                        .filter(|s| !s.is_final())
                        .unwrap_or(PayoutStatus::Waiting),
                )),
                None => missing.push(p.clone()),
            }
        }
        let mut tx = self.store.write().await?;
        payouts::record_created_in(&mut tx, batch.id, remote_id, &matched).await?;
        let mut queued = Vec::new();
        for p in &missing {
            let reason = "not in the batch NOWPayments created";
            if payouts::transition_in(
                &mut tx,
                p.id,
                PayoutStatus::Planned,
                PayoutStatus::Rejected,
                None,
                Some(reason),
            )
            .await?
            {
                updates::give_back(&mut tx, std::slice::from_ref(p)).await?;
                queued.extend(notices::released(
                    batch.id,
                    std::slice::from_ref(p),
                    reason,
                    &self.admins,
                ));
            }
        }
        outbox::enqueue(&mut tx, &queued).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Step 3: verifies the batch with a fresh 2FA code, unless NOWPayments has moved on.
    async fn verify(&self, batch: &Batch, remote_id: &str) -> Result<RunOutcome, PayoutError> {
        let mut tried = 0;
        loop {
            let remote = self.api.payout_batch(remote_id).await?;
            let statuses: Vec<PayoutStatus> = remote
                .iter()
                .filter_map(|w| PayoutStatus::parse(&w.status))
                .collect();
            if statuses
                .iter()
                .any(|s| s.is_past_verification() || *s == PayoutStatus::Failed)
            {
                // Verified already (by a run that died before recording it).
                return self.verified(batch, &remote).await;
            }
            if !statuses.is_empty() && statuses.iter().all(|s| s.returns_money()) {
                return self
                    .release(batch, "NOWPayments rejected the batch before verification")
                    .await;
            }
            if tried == CODES_PER_RUN || batch.verify_attempts + tried >= MAX_VERIFY_ATTEMPTS {
                return Err(PayoutError::VerificationRefused(batch.id));
            }
            let step = self.fresh_code_step(batch.id).await?;
            payouts::renew(&self.store, batch.id, now() + LEASE_SECONDS).await?;
            tried += 1;
            let code = self.two_factor.code(step);
            match self.api.verify_payout(remote_id, &code).await {
                Ok(()) => return self.verified(batch, &remote).await,
                Err(GatewayError::Rejected { code, message, .. }) => {
                    // Perhaps verified already, perhaps a code from a skewed clock: look again.
                    tracing::warn!(batch = batch.id, %code, %message, "2FA verification refused");
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// A TOTP step no verification has used yet, recorded as used before its code is sent, so
    /// that a code is never sent twice, even by a run that dies and starts again at once.
    async fn fresh_code_step(&self, batch_id: i64) -> Result<u64, PayoutError> {
        for _ in 0..4 {
            let unix = now().max(0) as u64;
            let step = TwoFactor::step(unix);
            // Refused when this step (or a later one) was used already, by any batch.
            if payouts::use_code_step(&self.store, batch_id, step as i64).await? {
                return Ok(step);
            }
            let wait = (step + 1) * STEP_SECONDS - unix;
            tracing::info!(wait_s = wait, "waiting for a fresh 2FA code");
            tokio::time::sleep(Duration::from_secs(wait) + Duration::from_millis(50)).await;
        }
        Err(PayoutError::NoFreshCode)
    }

    /// Closes a verified batch: sellers are told their money is on its way, admins get the
    /// summary, and the statuses NOWPayments reported are applied.
    async fn verified(
        &self,
        batch: &Batch,
        remote: &[Withdrawal],
    ) -> Result<RunOutcome, PayoutError> {
        let all = payouts::payouts_of(&self.store, batch.id).await?;
        let (sent, failed): (Vec<Payout>, Vec<Payout>) = all
            .into_iter()
            .partition(|p| p.withdrawal_id.is_some() && !p.status.returns_money());
        let mut tx = self.store.write().await?;
        if payouts::mark_verified_in(&mut tx, batch.id).await? {
            let sent_cents = sent.iter().map(|p| p.amount).sum::<UsdCents>().0;
            crate::metrics::add(
                "souk_payout_amount_cents_total",
                &[("status", "sent")],
                sent_cents.max(0) as u64,
            );
            let mut queued: Vec<Queued> = sent.iter().map(notices::on_its_way).collect();
            queued.extend(notices::summary(
                batch.id,
                &sent,
                failed.len(),
                &batch.started_by,
                &self.admins,
            ));
            outbox::enqueue(&mut tx, &queued).await?;
        }
        tx.commit().await?;
        for w in remote {
            updates::apply(&self.store, &self.admins, w).await?;
        }
        self.outbox_wake.notify_one();
        Ok(RunOutcome::Sent(BatchReport {
            batch_id: batch.id,
            count: sent.len(),
            total: sent.iter().map(|p| p.amount).sum(),
            failures: failed.len(),
        }))
    }

    /// Closes a batch that will never be paid and gives every open amount back.
    async fn release(&self, batch: &Batch, reason: &str) -> Result<RunOutcome, PayoutError> {
        let mut tx = self.store.write().await?;
        let returned = payouts::release_in(&mut tx, batch.id, reason).await?;
        updates::give_back(&mut tx, &returned).await?;
        outbox::enqueue(
            &mut tx,
            &notices::released(batch.id, &returned, reason, &self.admins),
        )
        .await?;
        tx.commit().await?;
        self.outbox_wake.notify_one();
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
                            updates::apply(&self.store, &self.admins, w).await?
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
        self.outbox_wake.notify_one();
        Ok(report)
    }

    async fn queue(&self, queued: &[Queued]) -> Result<(), StoreError> {
        outbox::enqueue_now(&self.store, queued).await?;
        self.outbox_wake.notify_one();
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
