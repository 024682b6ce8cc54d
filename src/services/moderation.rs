//! Admin moderation that moves money: marking a finished order refunded (the crypto goes back
//! through the NOWPayments dashboard), or an order paid that a rail never reported (an admin saw
//! the money in the rail's dashboard). souk records either through the same settlement as an
//! IPN, so the seller's ledger moves once and buyer and seller are told once.

use super::settlement::Settler;
use crate::domain::OrderStatus;
use crate::domain::report::Amount;
use crate::store::ipn_events::IpnOutcome;
use crate::store::{StoreError, orders};

/// What `/refund` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundOutcome {
    Refunded(Box<orders::Order>),
    NoSuchOrder,
    /// Only a paid order (finished, or paid after it sold out) can be refunded; here is its status.
    NotFinished(OrderStatus),
}

/// Marks a finished order refunded, as a `refunded` IPN would.
pub async fn refund(
    settler: &Settler,
    order_id: i64,
    admin_id: i64,
) -> Result<RefundOutcome, StoreError> {
    let store = settler.store();
    let Some(order) = orders::get(store, order_id).await? else {
        return Ok(RefundOutcome::NoSuchOrder);
    };
    if order.payment_id.is_none() || !order.status.is_refundable() {
        return Ok(RefundOutcome::NotFinished(order.status));
    }
    let source = format!("souk-admin-refund:{admin_id}");
    let settled = settler
        .settle_own(&order, OrderStatus::Refunded, None, &source)
        .await?;
    match settled.status {
        Some(OrderStatus::Refunded) => Ok(RefundOutcome::Refunded(Box::new(order))),
        Some(other) => Ok(RefundOutcome::NotFinished(other)),
        None => Ok(RefundOutcome::NoSuchOrder),
    }
}

/// Why `/markpaid` does nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkPaidRefusal {
    NoSuchOrder,
    /// Telegram settles Stars itself; a Stars order is never paid outside the bot.
    StarsOrder,
    /// No payment was ever started for it, so there is nothing the buyer could have paid.
    NeverBilled,
    /// Already paid, refunded or failed: nothing to mark.
    Settled(OrderStatus),
}

/// Whether `/markpaid` may finish this order, and why not.
pub fn may_mark_paid(order: &orders::Order) -> Result<(), MarkPaidRefusal> {
    if order.pay_currency == crate::payments::rail::STARS {
        return Err(MarkPaidRefusal::StarsOrder);
    }
    if order.payment_id.is_none() {
        return Err(MarkPaidRefusal::NeverBilled);
    }
    if !order.status.can_move_to(OrderStatus::Finished) {
        return Err(MarkPaidRefusal::Settled(order.status));
    }
    Ok(())
}

/// Marks an order paid in full, as a `finished` report of its payment would: delivered once,
/// seller credited once, whoever presses again. Returns the order as it was before.
pub async fn mark_paid(
    settler: &Settler,
    order_id: i64,
    admin_id: i64,
) -> Result<Result<Box<orders::Order>, MarkPaidRefusal>, StoreError> {
    let store = settler.store();
    let Some(order) = orders::get(store, order_id).await? else {
        return Ok(Err(MarkPaidRefusal::NoSuchOrder));
    };
    if let Err(refused) = may_mark_paid(&order) {
        return Ok(Err(refused));
    }
    let source = format!("souk-admin-markpaid:{admin_id}");
    let paid = order.pay_amount.as_deref().and_then(Amount::parse);
    let settled = settler
        .settle_own(&order, OrderStatus::Finished, paid, &source)
        .await?;
    match settled.status {
        Some(OrderStatus::Finished) if settled.outcome == IpnOutcome::Applied => {
            Ok(Ok(Box::new(order)))
        }
        Some(other) => Ok(Err(MarkPaidRefusal::Settled(other))),
        None => Ok(Err(MarkPaidRefusal::NoSuchOrder)),
    }
}
