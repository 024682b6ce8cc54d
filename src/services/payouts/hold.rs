//! A payout run's hold on its batch: a short lease in the holder's name, pushed on by a heartbeat
//! while the run works (long NOWPayments searches included), and checked again right before each
//! step that moves money. A run that dies lets go within `LEASE_SECONDS`.

use super::PayoutError;
use crate::store::lease::{self, PAYOUT_BATCH};
use crate::store::{Conn, Store, StoreError};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::task::JoinHandle;

/// How long a hold lasts without a heartbeat: a run started after a crash takes the batch over
/// once this has passed.
pub const LEASE_SECONDS: i64 = 30;
/// How often the holder renews.
pub const HEARTBEAT: Duration = Duration::from_secs(10);

/// This run's hold on one batch. Dropping it stops the heartbeat (the lease then runs out).
pub struct Hold {
    pub batch_id: i64,
    pub holder: String,
    store: Store,
    lost: Arc<AtomicBool>,
    beat: JoinHandle<()>,
}

impl Hold {
    /// Takes the batch for a new run; `None` while another run holds it.
    pub async fn take(store: &Store, batch_id: i64) -> Result<Option<Hold>, StoreError> {
        let holder = lease::holder_name("payout");
        if !lease::take(store, PAYOUT_BATCH, batch_id, &holder, LEASE_SECONDS).await? {
            return Ok(None);
        }
        let lost = Arc::new(AtomicBool::new(false));
        let beat = tokio::spawn(heartbeat(
            store.clone(),
            batch_id,
            holder.clone(),
            lost.clone(),
        ));
        Ok(Some(Hold {
            batch_id,
            holder,
            store: store.clone(),
            lost,
            beat,
        }))
    }

    /// Renews the hold now; `LeaseLost` when another run has taken the batch (stop at once).
    pub async fn check(&self) -> Result<(), PayoutError> {
        let mut conn = self
            .store
            .pool()
            .acquire()
            .await
            .map_err(StoreError::from)?;
        self.check_in(&mut conn).await
    }

    /// `check` inside the transaction that moves the batch: the renewal also locks the batch's
    /// row until commit, so no other run can take it in between.
    pub async fn check_in(&self, conn: &mut Conn) -> Result<(), PayoutError> {
        let held = !self.lost.load(Ordering::SeqCst)
            && lease::renew(
                conn,
                PAYOUT_BATCH,
                self.batch_id,
                &self.holder,
                LEASE_SECONDS,
            )
            .await?;
        if !held {
            self.lost.store(true, Ordering::SeqCst);
            return Err(PayoutError::LeaseLost(self.batch_id));
        }
        Ok(())
    }

    /// Lets the next run take the batch at once (after a failure).
    pub async fn release(self) {
        self.beat.abort();
        if let Err(e) = lease::release(&self.store, PAYOUT_BATCH, self.batch_id, &self.holder).await
        {
            tracing::error!(batch = self.batch_id, error = %e, "could not release the batch lease");
        }
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        self.beat.abort();
    }
}

async fn heartbeat(store: Store, batch_id: i64, holder: String, lost: Arc<AtomicBool>) {
    loop {
        tokio::time::sleep(HEARTBEAT).await;
        match lease::renew_now(&store, PAYOUT_BATCH, batch_id, &holder, LEASE_SECONDS).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::error!(batch = batch_id, "another run took the payout batch over");
                lost.store(true, Ordering::SeqCst);
                return;
            }
            // A passing database error: the next beat tries again before the lease runs out.
            Err(e) => tracing::warn!(batch = batch_id, error = %e, "payout lease heartbeat failed"),
        }
    }
}
