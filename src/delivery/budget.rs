//! Telegram's budget of about 30 messages a second for the whole bot, shared by every replica
//! through the database: deliveries and broadcasts each wait for a slot before they send.

use crate::store::{Store, send_slots};
use std::time::Duration;

/// The budget's name in `send_slots`.
const TELEGRAM: &str = "telegram";
/// 40 ms between sends: 25 a second, under Telegram's 30 even when the sends of several
/// replicas arrive with up to 160 ms of jitter, and leaving room for replies in the chats.
pub const SPACING: Duration = Duration::from_millis(40);

/// One replica's handle on the shared budget.
#[derive(Clone)]
pub struct SendBudget {
    pub store: Store,
    pub spacing: Duration,
}

impl SendBudget {
    pub fn new(store: Store) -> SendBudget {
        SendBudget {
            store,
            spacing: SPACING,
        }
    }

    /// Waits for this send's slot. When the database cannot tell (it is down), the send waits
    /// one spacing and goes: a short burst over the budget is better than no delivery.
    pub async fn wait_turn(&self) {
        let now_ms = chrono::Utc::now().timestamp_millis();
        let spacing_ms = self.spacing.as_millis() as i64;
        let wait = match send_slots::take(&self.store, TELEGRAM, now_ms, spacing_ms).await {
            Ok(at_ms) => Duration::from_millis((at_ms - now_ms).max(0) as u64),
            Err(e) => {
                tracing::warn!(error = %e, "send budget unavailable; pacing locally");
                self.spacing
            }
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}
