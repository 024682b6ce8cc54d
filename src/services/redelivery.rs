//! A finished order's goods again, for its buyer only, queued in the outbox so the bot hands
//! them over in the chat (the Mini App's "Send again to the chat"): the file by its `file_id`
//! (the stored copy if Telegram refuses it), the unique item, the text, or a fresh join link
//! while the access runs.

use crate::domain::OrderStatus;
use crate::domain::product::ProductKind;
use crate::store::outbox::{self, OutboxMessage, Queued};
use crate::store::{Store, StoreError, memberships, now, orders, products, stock};

/// Whether the goods were queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resent {
    Queued,
    /// Not the buyer's, not finished, or an access that has ended.
    Nothing,
}

pub async fn resend(store: &Store, buyer: i64, order_id: i64) -> Result<Resent, StoreError> {
    let order = orders::get(store, order_id)
        .await?
        .filter(|o| o.buyer_id == buyer && o.status == OrderStatus::Finished);
    let Some(order) = order else {
        return Ok(Resent::Nothing);
    };
    let Some(p) = products::get(store, order.product_id).await? else {
        return Ok(Resent::Nothing);
    };
    let title = ("title", p.title.clone());
    let message = match p.kind {
        ProductKind::File => {
            OutboxMessage::document(p.id, &p.file_id, "redownload-caption", &[title])
        }
        ProductKind::Items => {
            let item = stock::item_of_order(store, order.id)
                .await?
                .unwrap_or_default();
            OutboxMessage::text("redelivery-item", &[title, ("item", item)])
        }
        ProductKind::Text => {
            let text = p.text_content.clone().unwrap_or_default();
            OutboxMessage::text("redelivery-text", &[title, ("text", text)])
        }
        ProductKind::Access => {
            let running = memberships::get(store, p.id, buyer)
                .await?
                .is_some_and(|m| !m.ended);
            let Some((chat_id, _)) = p.access_chat.clone().filter(|_| running) else {
                return Ok(Resent::Nothing);
            };
            OutboxMessage::Access {
                order_id: order.id,
                product_id: p.id,
                chat_id,
                key: "redelivery-access".into(),
                args: vec![("title".into(), p.title.clone())],
            }
        }
    };
    // Each press is its own message; the caller's rate limit keeps presses human.
    let key = format!("order:{}:resend:{}", order.id, now());
    outbox::enqueue_now(store, &[Queued::to_chat(buyer, key, message)]).await?;
    Ok(Resent::Queued)
}
