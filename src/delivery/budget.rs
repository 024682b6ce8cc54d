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

/// How many slots a sender that keeps waking late takes before it goes anyway.
const RETAKES: usize = 4;

/// One replica's handle on the shared budget. Clones share the process's own pacing.
#[derive(Clone)]
pub struct SendBudget {
    pub store: Store,
    pub spacing: Duration,
    /// This process's next free moment, when it paces its sends without the database.
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

    /// Waits for this send's slot in the shared budget. A sender that wakes a spacing or more
    /// after its slot (the process was starved) takes a new slot instead of going with the
    /// others that woke with it: every send leaves within one spacing of a slot of its own, so
    /// at most 27 leave in any second (at 40 ms) and a stall never turns into a burst, across
    /// replicas too.
    /// When the database cannot tell (it is down), this process paces its own sends.
    pub async fn wait_turn(&self) {
        let spacing_ms = self.spacing.as_millis() as i64;
        for _ in 0..RETAKES {
            let now_ms = chrono::Utc::now().timestamp_millis();
            let at_ms = match send_slots::take(&self.store, TELEGRAM, now_ms, spacing_ms).await {
                Ok(at_ms) => at_ms,
                Err(e) => {
                    tracing::warn!(error = %e, "send budget unavailable; pacing locally");
                    let at = self.reserve_local();
                    tokio::time::sleep_until(at).await;
                    return;
                }
            };
            // A slot that is already due (the budget was idle) is taken at once.
            if at_ms <= now_ms {
                return;
            }
            tokio::time::sleep(Duration::from_millis((at_ms - now_ms) as u64)).await;
            if chrono::Utc::now().timestamp_millis() < at_ms + spacing_ms {
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
