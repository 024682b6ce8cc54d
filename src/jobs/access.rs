//! Subscriptions to chats (every minute): reminders 3 days and 1 day before an access ends, with
//! a Renew button; and, `ACCESS_GRACE_HOURS` after an end no renewal moved, the member's
//! removal, queued in the outbox where its holder removes them at least once and tells them at
//! most once (`delivery::access::end`), within Telegram's rate limits.

use crate::domain::access::{self, DAY};
use crate::store::outbox::{self, OrderButton, OutboxMessage, Queued};
use crate::store::{Store, StoreError, memberships, products};

/// What a run queued.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Run {
    pub reminders: usize,
    pub removals: usize,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} reminders, {} removals",
            self.reminders, self.removals
        )
    }
}

/// Queues the reminders and removals due at `at`.
pub async fn run(store: &Store, at: i64) -> Result<Run, StoreError> {
    let mut done = Run::default();
    for m in memberships::ending_within(store, at, 3 * DAY).await? {
        let Some(ends_at) = m.ends_at else { continue };
        let Some(days) = access::reminder_due(ends_at, m.reminded, at) else {
            continue;
        };
        let Some(product) = products::get(store, m.product_id).await? else {
            continue;
        };
        let title = product.title.clone();
        let args = [
            ("title", title),
            ("days", days.to_string()),
            ("until", crate::i18n::date(ends_at)),
        ];
        // Renew opens the card: only while the product is in the shop.
        let renew = match product.is_buyable() {
            true => vec![OrderButton::Renew {
                product: m.product_id,
            }],
            false => Vec::new(),
        };
        let reminder = Queued::to_chat(
            m.buyer_id,
            format!(
                "access-reminder:{}:{}:{ends_at}:{days}",
                m.product_id, m.buyer_id
            ),
            OutboxMessage::alert("access-reminder", &args, renew),
        );
        let mut tx = store.write().await?;
        if memberships::reminded_in(&mut tx, &m, days).await? {
            outbox::enqueue(&mut tx, &[reminder]).await?;
            done.reminders += 1;
        }
        tx.commit().await?;
    }
    let mut removals = Vec::new();
    for m in memberships::expired(store, at - store.access_grace()).await? {
        let Some(ends_at) = m.ends_at else { continue };
        let title = title_of(store, m.product_id).await?;
        removals.push(Queued::to_chat(
            m.buyer_id,
            format!(
                "access-end:expired:{}:{}:{ends_at}",
                m.product_id, m.buyer_id
            ),
            OutboxMessage::EndAccess {
                order_id: 0,
                product_id: m.product_id,
                chat_id: m.chat_id,
                ends_at: Some(ends_at),
                key: "access-expired".into(),
                args: vec![("title".into(), title)],
            },
        ));
    }
    done.removals = removals.len();
    outbox::enqueue_now(store, &removals).await?;
    Ok(done)
}

async fn title_of(store: &Store, product_id: i64) -> Result<String, StoreError> {
    Ok(products::get(store, product_id)
        .await?
        .map(|p| p.title)
        .unwrap_or_default())
}
