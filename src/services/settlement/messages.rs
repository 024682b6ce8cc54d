//! What each outcome tells whom: the buyer's receipts and payment news, the seller's note of a
//! sandbox sale, the admins' alerts; each message under a dedupe key that makes it exist once.

use crate::domain::OrderStatus;
use crate::domain::product::ProductKind;
use crate::payments::Amount;
use crate::store::orders::SettlementRow;
use crate::store::outbox::{self, OrderButton, OutboxMessage, Queued, Recipient};

/// The admins' alert that a payment does not match its order, once per distinct body however
/// often it is repeated.
pub(super) fn mismatch_alert(order_id: i64, payment_id: &str, reason: String, raw: &str) -> Queued {
    tracing::error!(order_id, payment_id, %reason, "payment does not match its order; nothing delivered");
    let args = [
        ("order", order_id.to_string()),
        ("payment", payment_id.to_string()),
        ("reason", reason),
    ];
    let open = vec![OrderButton::Open { order: order_id }];
    outbox::alert_admins(
        &format!("mismatch:{order_id}:{}", short_hash(raw)),
        OutboxMessage::alert("admin-payment-mismatch", &args, open),
    )
}

/// What the move to `next` owes the buyer (and the seller of a sandbox sale, which no ledger
/// entry announces). The dedupe keys make each message exist once per order and status,
/// whatever repeats.
pub(super) fn messages_for(
    row: &SettlementRow,
    next: OrderStatus,
    paid: Option<&Amount>,
) -> Vec<Queued> {
    let order = &row.order;
    let base = [
        ("title", row.title.clone()),
        ("order", order.id.to_string()),
    ];
    let mut messages = buyer_messages(row, next, paid);
    if next == OrderStatus::Finished && order.sandbox {
        // The seller hears of the simulated sale; nothing reaches their balance.
        messages.push(Queued {
            dedupe_key: format!("order:{}:sold", order.id),
            to: Recipient::Chat(order.seller_id),
            message: OutboxMessage::text("seller-sale-sandbox", &base),
        });
    }
    messages
}

/// The buyer's payment message once the order is closed: its address marked void, its buttons
/// ("Check status", "Cancel") gone. Once per order: the first close is the one shown. The
/// message id is read after the batch's compare-and-set (`orders::payment_messages_in`), so a
/// message id stored while the order was settling is never missed.
pub(super) fn closed_payment(
    row: &SettlementRow,
    next: OrderStatus,
    message_id: i64,
) -> Option<Queued> {
    let order = &row.order;
    let key = closed_key(next)?;
    let args = [
        ("title", row.title.clone()),
        ("order", order.id.to_string()),
    ];
    Some(Queued::to_chat(
        order.buyer_id,
        format!("order:{}:closed", order.id),
        OutboxMessage::edit(message_id, key, &args),
    ))
}

/// What a closed payment message says for an order that moved to `status`, if it closes it.
pub fn closed_key(status: OrderStatus) -> Option<&'static str> {
    Some(match status {
        OrderStatus::Finished => "payment-closed-paid",
        OrderStatus::Expired => "payment-closed-expired",
        OrderStatus::Failed => "payment-closed-failed",
        OrderStatus::Refunded => "payment-closed-refunded",
        _ => return None,
    })
}

/// What the move to `next` owes the buyer.
fn buyer_messages(row: &SettlementRow, next: OrderStatus, paid: Option<&Amount>) -> Vec<Queued> {
    let order = &row.order;
    let to_buyer = |what: &str, message| Queued {
        dedupe_key: format!("order:{}:{what}", order.id),
        to: Recipient::Chat(order.buyer_id),
        message,
    };
    let base = [
        ("title", row.title.clone()),
        ("order", order.id.to_string()),
    ];
    match next {
        OrderStatus::Confirming | OrderStatus::Confirmed | OrderStatus::Sending => {
            let mut args = base.to_vec();
            args.push(("kind", row.kind.as_str().to_string()));
            vec![to_buyer(
                "detected",
                OutboxMessage::text("payment-detected", &args),
            )]
        }
        OrderStatus::Finished => match row.kind {
            ProductKind::File => vec![to_buyer(
                "delivered",
                OutboxMessage::document(
                    order.product_id,
                    &row.file_id,
                    "delivery-receipt",
                    &receipt(row),
                ),
            )],
            ProductKind::Text => {
                let mut args = receipt(row);
                args.push(("text", row.text.clone().unwrap_or_default()));
                vec![to_buyer(
                    "delivered",
                    OutboxMessage::text("delivery-text", &args),
                )]
            }
            ProductKind::Access => vec![to_buyer(
                "delivered",
                OutboxMessage::Access {
                    order_id: order.id,
                    product_id: order.product_id,
                    chat_id: row.access_chat.unwrap_or_default(),
                    key: "delivery-access".into(),
                    args: receipt(row)
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                },
            )],
            // An item reserved at checkout goes now; one released since (the payment came
            // late) is reserved again when the batch writes (`StockEffect::ReserveLate`).
            ProductKind::Items => row
                .item
                .iter()
                .map(|item| item_delivery(row, item))
                .collect(),
        },
        OrderStatus::PartiallyPaid => {
            let expected = order.pay_amount.as_deref().and_then(Amount::parse);
            let missing = match (&expected, paid) {
                (Some(e), Some(p)) => (e.value() - p.value())
                    .max(rust_decimal::Decimal::ZERO)
                    .normalize()
                    .to_string(),
                (Some(e), None) => e.as_str().to_string(),
                _ => "?".to_string(),
            };
            let args = [
                ("title", row.title.clone()),
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
            vec![to_buyer(
                "partially_paid",
                OutboxMessage::text("payment-partially-paid", &args),
            )]
        }
        OrderStatus::Failed | OrderStatus::Expired => {
            vec![to_buyer(
                next.as_str(),
                OutboxMessage::text(&format!("payment-{}", next.as_str()), &base),
            )]
        }
        OrderStatus::Refunded => {
            let mut owed = vec![to_buyer(
                next.as_str(),
                OutboxMessage::text("payment-refunded", &base),
            )];
            // A refunded access ends: the buyer leaves the chat souk let them into.
            if let (ProductKind::Access, Some(chat_id)) = (row.kind, row.access_chat) {
                owed.push(to_buyer(
                    "access-ended",
                    OutboxMessage::EndAccess {
                        order_id: order.id,
                        product_id: order.product_id,
                        chat_id,
                        ends_at: None,
                        key: "access-ended-refund".into(),
                        args: own(&base),
                    },
                ));
            }
            owed
        }
        // A paid order with nothing left is told by the stock step (`apply_stock`).
        OrderStatus::Waiting
        | OrderStatus::Created
        | OrderStatus::Cancelled
        | OrderStatus::PaidSoldOut => Vec::new(),
    }
}

/// A partly paid order expired: the buyer hears that what they sent will be refunded, the
/// admins that a refund is owed (nothing was delivered or credited).
pub(super) fn partial_expired(row: &SettlementRow) -> Vec<Queued> {
    let order = &row.order;
    let args = [
        ("title", row.title.clone()),
        ("order", order.id.to_string()),
        ("paid", order.actually_paid.clone().unwrap_or_default()),
        ("coin", order.pay_currency.to_ascii_uppercase()),
    ];
    let mut messages = vec![Queued {
        dedupe_key: format!("order:{}:expired", order.id),
        to: Recipient::Chat(order.buyer_id),
        message: OutboxMessage::text("payment-partial-expired", &args),
    }];
    let open = vec![OrderButton::Open { order: order.id }];
    messages.push(outbox::alert_admins(
        &format!("order:{}:partial_expired", order.id),
        OutboxMessage::alert("admin-partial-expired", &args, open),
    ));
    messages
}

/// A partly paid order that expired (the admins were told to refund it) is being paid after
/// all: the admins hear that the money now settles the order and must not be refunded too.
pub(super) fn partial_then_paid(row: &SettlementRow) -> Queued {
    let args = [
        ("title", row.title.clone()),
        ("order", row.order.id.to_string()),
    ];
    outbox::to_admins(
        &format!("order:{}:partial_then_paid", row.order.id),
        "admin-partial-then-paid",
        &args,
    )
}

/// What a receipt says, for every kind of product.
fn receipt(row: &SettlementRow) -> Vec<(&'static str, String)> {
    let order = &row.order;
    vec![
        ("title", row.title.clone()),
        ("order", order.id.to_string()),
        ("total", order.total.to_string()),
        ("amount", order.pay_amount.clone().unwrap_or_default()),
        ("coin", order.pay_currency.to_ascii_uppercase()),
    ]
}

/// The message that hands a unique item to its buyer.
pub(super) fn item_delivery(row: &SettlementRow, item: &str) -> Queued {
    let mut args = receipt(row);
    args.push(("item", item.to_string()));
    Queued {
        dedupe_key: format!("order:{}:delivered", row.order.id),
        to: Recipient::Chat(row.order.buyer_id),
        message: OutboxMessage::text("delivery-item", &args),
    }
}

/// A short stable fingerprint of an IPN body, for dedupe keys.
fn short_hash(raw: &str) -> String {
    hex::encode(&super::repeats::digest(raw)[..8])
}

fn own(args: &[(&str, String)]) -> Vec<(String, String)> {
    args.iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}
