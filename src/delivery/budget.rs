//! Telegram's budget of about 30 messages a second for the whole bot, shared by every replica
//! through the database: deliveries and broadcasts each wait for a slot before they send.

use crate::store::{Store, send_slots};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// The budget's name in `send_slots`.
const TELEGRAM: &str = "telegram";
/// 40 ms between sends: 25 a second, under Telegram's 30 even when the sends of several
/// replicas arrive with up to 160 ms of jitter, and leaving room for replies in the chats.
pub const SPACING: Duration = Duration::from_millis(40);

/// One replica's handle on the shared budget. Clones share this replica's own pacing.
#[derive(Clone)]
pub struct SendBudget {
    pub store: Store,
    pub spacing: Duration,
    /// This replica's next free moment: sends that woke late from their shared slot, or that
    /// pace without the database, still leave one spacing apart.
    local: Arc<Mutex<Option<Instant>>>,
}

impl SendBudget {
    pub fn new(store: Store) -> SendBudget {
        SendBudget {
            store,
            spacing: SPACING,
            local: Arc::default(),
        }
    }

    /// Waits for this send's slot in the shared budget, then for its moment in this replica's
    /// own pacing. A sender that wakes more than half a spacing after its moment (the process
    /// was starved, the database slow) takes a new one instead of going with the others that
    /// woke with it: a stall never turns into a burst. When the database cannot tell (it is
    /// down), the local pacing alone spaces this replica's sends.
    pub async fn wait_turn(&self) {
        let now_ms = chrono::Utc::now().timestamp_millis();
        let spacing_ms = self.spacing.as_millis() as i64;
        match send_slots::take(&self.store, TELEGRAM, now_ms, spacing_ms).await {
            Ok(at_ms) => {
                let wait = Duration::from_millis((at_ms - now_ms).max(0) as u64);
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "send budget unavailable; pacing locally"),
        }
        let late = self.spacing / 2;
        loop {
            let at = self.reserve_local();
            tokio::time::sleep_until(at).await;
            if Instant::now() <= at + late {
                return;
            }
        }
    }

    /// Takes this replica's next free moment (now, when it is idle).
    fn reserve_local(&self) -> Instant {
        let mut next = self.local.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let at = next.map_or(now, |n| n.max(now));
        *next = Some(at + self.spacing);
        at
    }
}
