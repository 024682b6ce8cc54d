//! Review invitations (every minute): each sale's buyer is invited once, `REVIEW_INVITE_MINUTES`
//! after the sale, to rate what they bought (five star buttons).

use crate::store::outbox::{self, OrderButton, OutboxMessage, Queued};
use crate::store::{Store, StoreError, reviews};

/// At most this many invitations are queued per run; the next run takes the rest.
const PER_RUN: i64 = 500;

/// Queues the invitations now due; returns how many.
pub async fn run(store: &Store) -> Result<usize, StoreError> {
    let due = reviews::due_invitations(store, crate::store::now() - store.review_delay(), PER_RUN)
        .await?;
    let mut queued = 0;
    for invitation in due {
        let mut tx = store.write().await?;
        if !reviews::mark_invited_in(&mut tx, invitation.order_id).await? {
            continue;
        }
        let order = invitation.order_id;
        let stars = (1..=5)
            .map(|stars| OrderButton::Rate { order, stars })
            .collect();
        let invite = Queued::to_chat(
            invitation.buyer_id,
            format!("order:{order}:review-invite"),
            OutboxMessage::alert("review-invite", &[("title", invitation.title)], stars),
        );
        outbox::enqueue(&mut tx, &[invite]).await?;
        tx.commit().await?;
        queued += 1;
    }
    Ok(queued)
}
