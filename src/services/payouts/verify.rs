//! Step 3 of a payout run: verify the batch with a fresh 2FA code (each code sent once, only by
//! the batch's holder), then close it and tell sellers and admins.

use super::hold::Hold;
use super::{BatchReport, MAX_VERIFY_ATTEMPTS, Payer, PayoutError, RunOutcome, notices, updates};
use crate::domain::UsdCents;
use crate::domain::payout::PayoutStatus;
use crate::payments::GatewayError;
use crate::payments::nowpayments::custody::Withdrawal;
use crate::payments::nowpayments::two_factor::{STEP_SECONDS, TwoFactor};
use crate::store::now;
use crate::store::outbox::{self, Queued};
use crate::store::payouts::{self, Batch, Payout};
use std::time::Duration;

/// Codes one run tries before leaving the batch to the next run.
const CODES_PER_RUN: i64 = 3;

impl Payer {
    /// Step 3: verifies the batch with a fresh 2FA code, unless NOWPayments has moved on.
    pub(super) async fn verify(
        &self,
        batch: &Batch,
        hold: &Hold,
        remote_id: &str,
    ) -> Result<RunOutcome, PayoutError> {
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
                return self.verified(batch, hold, &remote).await;
            }
            if !statuses.is_empty() && statuses.iter().all(|s| s.returns_money()) {
                return self
                    .release(
                        batch,
                        hold,
                        "NOWPayments rejected the batch before verification",
                    )
                    .await;
            }
            if tried == CODES_PER_RUN || batch.verify_attempts + tried >= MAX_VERIFY_ATTEMPTS {
                return Err(PayoutError::VerificationRefused(batch.id));
            }
            // Taking the step requires the hold: only the holder sends a code.
            let step = self.fresh_code_step(hold).await?;
            tried += 1;
            let code = self.two_factor.code(step);
            match self.api.verify_payout(remote_id, &code).await {
                Ok(()) => return self.verified(batch, hold, &remote).await,
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
    async fn fresh_code_step(&self, hold: &Hold) -> Result<u64, PayoutError> {
        for _ in 0..4 {
            hold.check().await?;
            let unix = now().max(0) as u64;
            let step = TwoFactor::step(unix);
            // Refused when this step (or a later one) was used already, by any batch, or when
            // another run holds the batch now.
            if payouts::use_code_step(&self.store, hold.batch_id, &hold.holder, step as i64).await?
            {
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
        hold: &Hold,
        remote: &[Withdrawal],
    ) -> Result<RunOutcome, PayoutError> {
        let all = payouts::payouts_of(&self.store, batch.id).await?;
        let (sent, failed): (Vec<Payout>, Vec<Payout>) = all
            .into_iter()
            .partition(|p| p.withdrawal_id.is_some() && !p.status.returns_money());
        let mut tx = self.store.write().await?;
        hold.check_in(&mut tx).await?;
        if payouts::mark_verified_in(&mut tx, batch.id, &hold.holder).await? {
            let sent_cents = sent.iter().map(|p| p.amount).sum::<UsdCents>().0;
            crate::metrics::add(
                "souk_payout_amount_cents_total",
                &[("status", "sent")],
                sent_cents.max(0) as u64,
            );
            let mut queued: Vec<Queued> = sent.iter().map(notices::on_its_way).collect();
            queued.push(notices::summary(
                batch.id,
                &sent,
                failed.len(),
                &batch.started_by,
            ));
            outbox::enqueue(&mut tx, &queued).await?;
        }
        tx.commit().await?;
        for w in remote {
            updates::apply(&self.store, w).await?;
        }
        Ok(RunOutcome::Sent(BatchReport {
            batch_id: batch.id,
            count: sent.len(),
            total: sent.iter().map(|p| p.amount).sum(),
            failures: failed.len(),
        }))
    }
}
