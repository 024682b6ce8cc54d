//! Step 2 of a payout run: create the batch at NOWPayments (or find the one a dead run created)
//! and record its id and its withdrawals, under the run's hold.

use super::hold::Hold;
use super::{Payer, PayoutError, notices, updates};
use crate::domain::payout::{self, PayoutStatus};
use crate::payments::GatewayError;
use crate::payments::nowpayments::custody::{NewWithdrawal, Withdrawal};
use crate::store::outbox;
use crate::store::payouts::{self, Batch, Payout};
use std::collections::HashSet;

/// Withdrawals asked for at a time while looking for a batch a dead run created.
const SEARCH_PAGE_SIZE: u32 = 100;

impl Payer {
    /// Creates the batch at NOWPayments, or adopts the one a dead run created, and records its
    /// id. `Ok(Err(reason))` when NOWPayments refused it (nothing was created).
    pub(super) async fn submit(
        &self,
        batch: &Batch,
        hold: &Hold,
    ) -> Result<Result<String, String>, PayoutError> {
        let planned = payouts::payouts_of(&self.store, batch.id).await?;
        if let Some((remote_id, whole)) = self.find_created(&planned, hold).await? {
            tracing::warn!(batch = batch.id, %remote_id, "found the batch a previous run created");
            self.record_created(batch, hold, &remote_id, &planned, &whole)
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
        // The search may have taken long: only the holder creates.
        hold.check().await?;
        match self
            .api
            .create_payout(&withdrawals, self.ipn_url.as_deref())
            .await
        {
            Ok(created) => {
                self.record_created(batch, hold, &created.id, &planned, &created.withdrawals)
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

    /// Looks through NOWPayments' withdrawals, to the end of the list, for one of this batch's
    /// external ids; once one is seen, its whole batch is read by id, so that a withdrawal the
    /// search did not reach is never taken for one NOWPayments did not create.
    async fn find_created(
        &self,
        planned: &[Payout],
        hold: &Hold,
    ) -> Result<Option<(String, Vec<Withdrawal>)>, PayoutError> {
        let ours: HashSet<String> = planned.iter().map(Payout::external_id).collect();
        let is_ours = |w: &Withdrawal| {
            w.unique_external_id
                .as_ref()
                .is_some_and(|id| ours.contains(id))
        };
        let mut page = 0;
        let remote_id = loop {
            let list = self.api.list_payouts(page, SEARCH_PAGE_SIZE).await?;
            if let Some(id) = list
                .iter()
                .filter(|w| is_ours(w))
                .find_map(|w| w.batch_withdrawal_id.clone())
            {
                break id;
            }
            if (list.len() as u32) < SEARCH_PAGE_SIZE {
                return Ok(None);
            }
            hold.check().await?;
            page += 1;
        };
        let whole = self.api.payout_batch(&remote_id).await?;
        Ok(Some((remote_id, whole)))
    }

    /// Records the batch id and each withdrawal's id. A planned payout missing from the batch
    /// NOWPayments created (read whole) was not created: its amount goes back at once.
    async fn record_created(
        &self,
        batch: &Batch,
        hold: &Hold,
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
        hold.check_in(&mut tx).await?;
        if !payouts::record_created_in(&mut tx, batch.id, &hold.holder, remote_id, &matched).await?
        {
            return Err(PayoutError::LeaseLost(batch.id));
        }
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
                queued.extend(notices::released(batch.id, std::slice::from_ref(p), reason));
            }
        }
        outbox::enqueue(&mut tx, &queued).await?;
        tx.commit().await?;
        Ok(())
    }
}
