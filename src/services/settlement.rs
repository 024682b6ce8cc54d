//! Settlement: applies what NOWPayments says about a payment (an IPN or a status check) to its
//! order, exactly once, and queues what the buyer, the seller and the admins must be told.

use crate::domain::OrderStatus;
use crate::payments::PaymentStatusBody;
use crate::store::ipn_events::{self, IpnOutcome};
use crate::store::orders::{self, Order};
use crate::store::outbox::{self, OutboxMessage};
use crate::store::{Conn, Store, StoreError, products};

/// The result of applying one payment update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settled {
    pub outcome: IpnOutcome,
    pub order_id: Option<i64>,
    /// The order's status after the update.
    pub status: Option<OrderStatus>,
}

/// Applies the update and records it in the inbox in the same transaction: the order moves
/// forward only (compare-and-set), and each message has a dedupe key so it exists at most once.
pub async fn apply(
    store: &Store,
    admins: &[i64],
    update: &PaymentStatusBody,
    raw: &str,
) -> Result<Settled, StoreError> {
    let mut tx = store.write().await?;
    let settled = apply_in(&mut tx, admins, update, raw).await?;
    let (payment, status) = (&update.payment_id, &update.payment_status);
    ipn_events::record(
        &mut tx,
        payment,
        status,
        raw,
        settled.order_id,
        settled.outcome,
    )
    .await?;
    tx.commit().await?;
    Ok(settled)
}

async fn apply_in(
    conn: &mut Conn,
    admins: &[i64],
    u: &PaymentStatusBody,
    raw: &str,
) -> Result<Settled, StoreError> {
    let Some(order) = find_order(conn, u).await? else {
        tracing::warn!(
            payment_id = u.payment_id,
            "IPN for a payment no order carries"
        );
        return Ok(Settled {
            outcome: IpnOutcome::UnknownOrder,
            order_id: None,
            status: None,
        });
    };
    let span = tracing::info_span!("settle", order_id = order.id, payment_id = %u.payment_id);
    let _enter = span.enter();

    if let Some(reason) = mismatch(&order, u) {
        tracing::error!(%reason, "payment does not match its order; nothing delivered");
        for admin in admins {
            let msg = OutboxMessage::text(
                "admin-payment-mismatch",
                &[
                    ("order", order.id.to_string()),
                    ("payment", u.payment_id.clone()),
                    ("reason", reason.clone()),
                ],
            );
            outbox::enqueue(
                conn,
                &format!("mismatch:{}:{}:{admin}", order.id, short_hash(raw)),
                *admin,
                &msg,
            )
            .await?;
        }
        return Ok(Settled {
            outcome: IpnOutcome::Mismatch,
            order_id: Some(order.id),
            status: Some(order.status),
        });
    }

    let Ok(next) = u.payment_status.parse::<OrderStatus>() else {
        tracing::warn!(status = u.payment_status, "unknown payment status ignored");
        return Ok(Settled {
            outcome: IpnOutcome::Ignored,
            order_id: Some(order.id),
            status: Some(order.status),
        });
    };
    let paid = u.actually_paid.as_ref().map(|a| a.as_str());
    let mut current = order;
    // Compare-and-set: on PostgreSQL a concurrent update may win; re-read and decide again.
    for _ in 0..3 {
        if !current.status.can_move_to(next) {
            return Ok(Settled {
                outcome: IpnOutcome::Ignored,
                order_id: Some(current.id),
                status: Some(current.status),
            });
        }
        if orders::transition(conn, current.id, current.status, next, &u.payment_id, paid).await? {
            tracing::info!(from = %current.status, to = %next, "order moved");
            queue_messages(conn, &current, next, u).await?;
            return Ok(Settled {
                outcome: IpnOutcome::Applied,
                order_id: Some(current.id),
                status: Some(next),
            });
        }
        current = orders::get_in(conn, current.id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("order vanished".into()))?;
    }
    Ok(Settled {
        outcome: IpnOutcome::Ignored,
        order_id: Some(current.id),
        status: Some(current.status),
    })
}

/// The order by payment id; else by our order id when that order has no payment yet (the
/// create call timed out after NOWPayments had created it).
async fn find_order(conn: &mut Conn, u: &PaymentStatusBody) -> Result<Option<Order>, StoreError> {
    if let Some(o) = orders::get_by_payment_in(conn, &u.payment_id).await? {
        return Ok(Some(o));
    }
    let Some(id) = u.order_id.as_deref().and_then(|s| s.parse::<i64>().ok()) else {
        return Ok(None);
    };
    Ok(orders::get_in(conn, id)
        .await?
        .filter(|o| o.payment_id.is_none()))
}

/// Why a payment cannot belong to its order, if it cannot.
fn mismatch(order: &Order, u: &PaymentStatusBody) -> Option<String> {
    if let Some(pid) = &order.payment_id
        && pid != &u.payment_id
    {
        return Some(format!(
            "payment id {} is not the order's {pid}",
            u.payment_id
        ));
    }
    if let Some(oid) = &u.order_id
        && oid != &order.id.to_string()
    {
        return Some(format!("order_id {oid} is not {}", order.id));
    }
    match &u.price_currency {
        Some(c) if c.eq_ignore_ascii_case("usd") => {}
        other => return Some(format!("price currency {other:?} is not usd")),
    }
    match &u.price_amount {
        Some(a) if a.value() == order.total.to_decimal() => {}
        other => {
            return Some(format!(
                "price amount {:?} is not {}",
                other.as_ref().map(|a| a.as_str()),
                order.total
            ));
        }
    }
    if let Some(c) = &u.pay_currency
        && !c.eq_ignore_ascii_case(&order.pay_currency)
    {
        return Some(format!("pay currency {c} is not {}", order.pay_currency));
    }
    None
}

/// What the move to `next` owes the buyer and the seller. The dedupe keys make each message
/// exist once per order and status, whatever repeats.
async fn queue_messages(
    conn: &mut Conn,
    order: &Order,
    next: OrderStatus,
    u: &PaymentStatusBody,
) -> Result<(), StoreError> {
    let product = products::get_in(conn, order.product_id).await?;
    let title = product
        .as_ref()
        .map(|p| p.title.clone())
        .unwrap_or_default();
    let base = [("title", title.clone()), ("order", order.id.to_string())];
    let key = |what: &str| format!("order:{}:{what}", order.id);
    let buyer = order.buyer_id;
    match next {
        OrderStatus::Confirming | OrderStatus::Confirmed | OrderStatus::Sending => {
            outbox::enqueue(
                conn,
                &key("detected"),
                buyer,
                &OutboxMessage::text("payment-detected", &base),
            )
            .await?;
        }
        OrderStatus::Finished => {
            let Some(product) = product else {
                return Err(StoreError::Corrupt("order without product".into()));
            };
            let receipt = [
                ("title", title.clone()),
                ("order", order.id.to_string()),
                ("total", order.total.to_string()),
                ("amount", order.pay_amount.clone().unwrap_or_default()),
                ("coin", order.pay_currency.to_ascii_uppercase()),
            ];
            outbox::enqueue(
                conn,
                &key("delivered"),
                buyer,
                &OutboxMessage::document(&product.file_id, "delivery-receipt", &receipt),
            )
            .await?;
            let sale = [
                ("title", title),
                ("order", order.id.to_string()),
                ("price", order.price.to_string()),
            ];
            outbox::enqueue(
                conn,
                &key("sold"),
                order.seller_id,
                &OutboxMessage::text("seller-sale", &sale),
            )
            .await?;
        }
        OrderStatus::PartiallyPaid => {
            let expected = order
                .pay_amount
                .as_deref()
                .and_then(crate::payments::CryptoAmount::parse);
            let paid = u.actually_paid.clone();
            let missing = match (&expected, &paid) {
                (Some(e), Some(p)) => (e.value() - p.value())
                    .max(rust_decimal::Decimal::ZERO)
                    .normalize()
                    .to_string(),
                (Some(e), None) => e.as_str().to_string(),
                _ => "?".to_string(),
            };
            let args = [
                ("title", title),
                ("order", order.id.to_string()),
                (
                    "paid",
                    paid.map(|p| p.as_str().to_string())
                        .unwrap_or_else(|| "0".into()),
                ),
                ("missing", missing),
                ("coin", order.pay_currency.to_ascii_uppercase()),
                ("address", order.pay_address.clone().unwrap_or_default()),
            ];
            outbox::enqueue(
                conn,
                &key("partially_paid"),
                buyer,
                &OutboxMessage::text("payment-partially-paid", &args),
            )
            .await?;
        }
        OrderStatus::Failed | OrderStatus::Expired | OrderStatus::Refunded => {
            let msg_key = format!("payment-{}", next.as_str());
            outbox::enqueue(
                conn,
                &key(next.as_str()),
                buyer,
                &OutboxMessage::text(&msg_key, &base),
            )
            .await?;
        }
        OrderStatus::Waiting | OrderStatus::Created | OrderStatus::Cancelled => {}
    }
    Ok(())
}

/// A short stable fingerprint of an IPN body, for dedupe keys.
fn short_hash(raw: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(raw.as_bytes())[..8])
}
