//! Watches NOWPayments (`GET /status` every minute) and tells the admins when it has been
//! unreachable for a few minutes, then when it is back.

use crate::payments::PaymentGateway;
use crate::store::outbox;
use crate::store::{Store, StoreError};
use chrono::Utc;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

#[derive(Clone)]
pub struct ProviderMonitor {
    pub store: Store,
    pub gateway: Arc<dyn PaymentGateway>,
    /// How often NOWPayments is asked.
    pub every: Duration,
    /// How long it must be down before the admins are told.
    pub down_after: Duration,
}

impl ProviderMonitor {
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut down_since: Option<(Instant, chrono::DateTime<Utc>)> = None;
        let mut alerted = false;
        loop {
            match self.gateway.status().await {
                Ok(()) => {
                    let back = format!("provider-up:{}", Utc::now().format("%Y-%m-%dT%H:%M"));
                    if alerted && let Err(e) = self.tell("admin-provider-up", &back).await {
                        tracing::error!(error = %e, "could not tell the admins NOWPayments is back");
                    }
                    if down_since.is_some() {
                        tracing::info!("NOWPayments answers again");
                    }
                    down_since = None;
                    alerted = false;
                }
                Err(e) => {
                    let (since, at) = *down_since.get_or_insert((Instant::now(), Utc::now()));
                    tracing::warn!(error = %e, down_for_s = since.elapsed().as_secs(), "NOWPayments unreachable");
                    if !alerted && since.elapsed() >= self.down_after {
                        let key = format!("provider-down:{}", at.format("%Y-%m-%dT%H:%M"));
                        match self.tell("admin-provider-down", &key).await {
                            Ok(()) => alerted = true,
                            Err(e) => tracing::error!(error = %e, "could not alert the admins"),
                        }
                    }
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(self.every) => {}
                _ = stop.changed() => return,
            }
        }
    }

    /// Tells the admins; `dedupe` names the outage (its first minute) so that replicas
    /// watching the same outage alert once.
    async fn tell(&self, key: &str, dedupe: &str) -> Result<(), StoreError> {
        let at = Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
        let minutes = self.down_after.as_secs().div_ceil(60).to_string();
        let queued = outbox::to_admins(dedupe, key, &[("minutes", minutes), ("at", at)]);
        outbox::enqueue_now(&self.store, &[queued]).await?;
        Ok(())
    }
}
