//! Orders paid after their product sold out (`paid_sold_out`): nothing was delivered and the
//! seller was not credited. An admin refunds them (`/refund`), or the seller's next restock
//! delivers them, oldest first, through the one settlement path (credited then, once).

use super::settlement::Settler;
use crate::domain::OrderStatus;
use crate::domain::report::Amount;
use crate::store::{StoreError, orders};

/// Delivers the product's paid, sold-out orders from new stock while some is left. Returns how
/// many were delivered.
pub async fn deliver_after_restock(
    settler: &Settler,
    product_id: i64,
) -> Result<usize, StoreError> {
    let store = settler.store();
    let mut delivered = 0;
    for order in orders::paid_sold_out(store, product_id).await? {
        let paid = order.actually_paid.as_deref().and_then(Amount::parse);
        let settled = settler
            .settle_own(&order, OrderStatus::Finished, paid, "souk-restock")
            .await?;
        match settled.status {
            Some(OrderStatus::Finished) => {
                tracing::info!(
                    order_id = order.id,
                    "paid sold-out order delivered from new stock"
                );
                delivered += 1;
            }
            // Nothing left again: the older orders got what there was.
            Some(OrderStatus::PaidSoldOut) => break,
            // Refunded meanwhile, or moved by another process: the next one may still be served.
            _ => continue,
        }
    }
    Ok(delivered)
}
