//! Admin moderation that moves money: marking a finished order refunded. The crypto goes back
//! through the NOWPayments dashboard; souk records it through the same settlement as an IPN, so
//! the seller's ledger is debited once and buyer and seller are told once.

use super::settlement;
use crate::domain::OrderStatus;
use crate::store::{Store, StoreError, orders};

/// What `/refund` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundOutcome {
    Refunded(Box<orders::Order>),
    NoSuchOrder,
    /// Only a finished order can be refunded; here is its status.
    NotFinished(OrderStatus),
}

/// Marks a finished order refunded, as a `refunded` IPN would.
pub async fn refund(
    store: &Store,
    admins: &[i64],
    order_id: i64,
    admin_id: i64,
) -> Result<RefundOutcome, StoreError> {
    let Some(order) = orders::get(store, order_id).await? else {
        return Ok(RefundOutcome::NoSuchOrder);
    };
    let Some(payment_id) = order
        .payment_id
        .clone()
        .filter(|_| order.status == OrderStatus::Finished)
    else {
        return Ok(RefundOutcome::NotFinished(order.status));
    };
    let source = format!("souk-admin-refund:{admin_id}");
    let (body, raw) = crate::payments::report::synthetic(&order, &payment_id, "refunded", &source);
    let settled = settlement::apply(store, admins, &body, &raw).await?;
    match settled.status {
        Some(OrderStatus::Refunded) => Ok(RefundOutcome::Refunded(Box::new(order))),
        Some(other) => Ok(RefundOutcome::NotFinished(other)),
        None => Ok(RefundOutcome::NoSuchOrder),
    }
}
