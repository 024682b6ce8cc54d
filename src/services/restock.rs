//! Restock alerts: when a seller adds items to a product people asked to hear about, each of
//! them is told once, through the outbox (at Telegram's pace), with a button to the product.

use crate::store::outbox::{self, OrderButton, OutboxMessage, Queued};
use crate::store::{Store, StoreError, products, restock_alerts, stock};

/// Tells everyone waiting for the product that it is back, when some of it is left (a restock
/// that only served paid sold-out orders keeps them waiting). Returns how many were told.
pub async fn alert_waiting(store: &Store, product_id: i64) -> Result<usize, StoreError> {
    let Some(product) = products::get(store, product_id).await? else {
        return Ok(0);
    };
    if !product.is_buyable() || stock::available(store, product_id).await? == 0 {
        return Ok(0);
    }
    let mut tx = store.write().await?;
    let waiting = restock_alerts::take_in(&mut tx, product_id).await?;
    let queued: Vec<Queued> = waiting
        .iter()
        .map(|(user, asked_at)| {
            Queued::to_chat(
                *user,
                format!("restock:{product_id}:{user}:{asked_at}"),
                OutboxMessage::alert(
                    "restock-alert",
                    &[("title", product.title.clone())],
                    vec![OrderButton::Product {
                        product: product_id,
                    }],
                ),
            )
        })
        .collect();
    outbox::enqueue(&mut tx, &queued).await?;
    tx.commit().await?;
    if !waiting.is_empty() {
        tracing::info!(product_id, told = waiting.len(), "restock alerts queued");
    }
    Ok(waiting.len())
}
