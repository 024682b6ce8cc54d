//! Disputes: a buyer's problem with a finished order, opened inside the refund window; a thread
//! between the buyer, the seller and the admins, each message stored and relayed through the
//! outbox; settled once by an admin (refunded in full, in part, or closed in the seller's
//! favour), each party told. While a dispute is open, its sale's credit is frozen
//! (`store::disputes::not_frozen`).

use crate::domain::dispute::{DisputeStatus, Role};
use crate::domain::ledger::EntryKind;
use crate::domain::{OrderStatus, UsdCents};
use crate::store::disputes::{self, Dispute};
use crate::store::ledger::{self, NewEntry};
use crate::store::outbox::{self, OrderButton, OutboxMessage, Queued};
use crate::store::{Store, StoreError, orders, products};

/// What opening a dispute came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opening {
    Opened(i64),
    NotYours,
    /// Only a finished (delivered) order can be disputed.
    NotFinished,
    /// The refund window has passed (or there is none).
    WindowClosed,
    /// The order has a dispute already.
    AlreadyOpened(i64),
}

/// Whether the buyer may open a dispute about the order now; `Opened` is never returned.
pub async fn may_open(store: &Store, order_id: i64, buyer: i64) -> Result<Opening, StoreError> {
    let Some(order) = orders::get(store, order_id)
        .await?
        .filter(|o| o.buyer_id == buyer)
    else {
        return Ok(Opening::NotYours);
    };
    if order.status != OrderStatus::Finished {
        return Ok(Opening::NotFinished);
    }
    if let Some(d) = disputes::of_order(store, order_id).await? {
        return Ok(Opening::AlreadyOpened(d.id));
    }
    if !disputes::in_window(store, order_id).await? {
        return Ok(Opening::WindowClosed);
    }
    Ok(Opening::Opened(0))
}

/// Opens the order's dispute with the buyer's description; the seller and the admins are told,
/// with the buttons to answer (and, for the admins, to settle).
pub async fn open(
    store: &Store,
    order_id: i64,
    buyer: i64,
    text: &str,
) -> Result<Opening, StoreError> {
    match may_open(store, order_id, buyer).await? {
        Opening::Opened(_) => {}
        refused => return Ok(refused),
    }
    let Some(order) = orders::get(store, order_id).await? else {
        return Ok(Opening::NotYours);
    };
    let Some(id) = disputes::open(store, order_id, buyer, order.seller_id, text).await? else {
        let existing = disputes::of_order(store, order_id).await?;
        return Ok(Opening::AlreadyOpened(existing.map_or(0, |d| d.id)));
    };
    let title = title_of(store, order.product_id).await?;
    let args = [
        ("dispute", id.to_string()),
        ("order", order_id.to_string()),
        ("title", title),
        ("total", order.total.to_string()),
        ("buyer", buyer.to_string()),
        ("seller", order.seller_id.to_string()),
        ("text", text.to_string()),
    ];
    let to_seller = Queued::to_chat(
        order.seller_id,
        format!("dispute:{id}:opened"),
        OutboxMessage::alert(
            "dispute-opened-seller",
            &args,
            vec![OrderButton::DisputeReply { dispute: id }],
        ),
    );
    let to_admins = outbox::alert_admins(
        &format!("dispute:{id}:opened"),
        OutboxMessage::alert("admin-dispute-opened", &args, admin_buttons(id)),
    );
    outbox::enqueue_now(store, &[to_seller, to_admins]).await?;
    tracing::warn!(dispute = id, order_id, buyer, "dispute opened");
    Ok(Opening::Opened(id))
}

/// What an admin can do about a dispute.
fn admin_buttons(dispute: i64) -> Vec<OrderButton> {
    vec![
        OrderButton::DisputeReply { dispute },
        OrderButton::DisputeRefund { dispute },
        OrderButton::DisputePart { dispute },
        OrderButton::DisputeClose { dispute },
    ]
}

async fn title_of(store: &Store, product_id: i64) -> Result<String, StoreError> {
    Ok(products::get(store, product_id)
        .await?
        .map(|p| p.title)
        .unwrap_or_default())
}

/// The role `user` has in the dispute, if any (an admin who is also the buyer writes as the
/// buyer).
pub fn role_of(d: &Dispute, user: i64, admins: &[i64]) -> Option<Role> {
    if user == d.buyer_id {
        Some(Role::Buyer)
    } else if user == d.seller_id {
        Some(Role::Seller)
    } else if admins.contains(&user) {
        Some(Role::Admin)
    } else {
        None
    }
}

/// A message of the thread: stored, then relayed to the other parties (the admins see every
/// message; an admin's goes to the buyer and the seller), each with a button to answer.
pub async fn relay(
    store: &Store,
    d: &Dispute,
    author: i64,
    role: Role,
    text: &str,
    message_id: i32,
) -> Result<(), StoreError> {
    disputes::add_message(store, d.id, author, role, text).await?;
    let args = [
        ("dispute", d.id.to_string()),
        ("order", d.order_id.to_string()),
        ("role", role.as_str().to_string()),
        ("text", text.to_string()),
    ];
    let dedupe = format!("dispute:{}:message:{author}:{message_id}", d.id);
    let reply = vec![OrderButton::DisputeReply { dispute: d.id }];
    let mut queued = Vec::new();
    for party in [d.buyer_id, d.seller_id] {
        if party != author {
            queued.push(Queued::to_chat(
                party,
                format!("{dedupe}:{party}"),
                OutboxMessage::alert("dispute-message", &args, reply.clone()),
            ));
        }
    }
    if role != Role::Admin {
        queued.push(outbox::alert_admins(
            &dedupe,
            OutboxMessage::alert("dispute-message", &args, admin_buttons(d.id)),
        ));
    }
    outbox::enqueue_now(store, &queued).await
}

/// What settling a dispute came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settling {
    Settled,
    /// Another admin settled it first (or it was never open).
    AlreadySettled(DisputeStatus),
    /// Telegram gives Stars back only whole: a Stars order is refunded in full or not at all.
    StarsOnlyInFull,
    NotFound,
}

/// Settles the dispute by refunding `amount` (less than the price) to the buyer, who keeps the
/// goods: the seller's credit is reduced by exactly that (out of the held money while the sale
/// is in its window), once. The refund itself is made in the provider's dashboard.
pub async fn refund_part(
    store: &Store,
    dispute_id: i64,
    amount: UsdCents,
    admin: i64,
) -> Result<Settling, StoreError> {
    let Some(d) = disputes::get(store, dispute_id).await? else {
        return Ok(Settling::NotFound);
    };
    let Some(order) = orders::get(store, d.order_id).await? else {
        return Ok(Settling::NotFound);
    };
    if order.pay_currency == crate::payments::rail::STARS {
        return Ok(Settling::StarsOnlyInFull);
    }
    let mut tx = store.write().await?;
    if !disputes::settle_in(
        &mut tx,
        d.id,
        DisputeStatus::PartlyRefunded,
        Some(amount),
        admin,
    )
    .await?
    {
        return Ok(Settling::AlreadySettled(d.status));
    }
    // The order's one refund entry: a later full refund of it debits nothing more.
    let mut entries = [NewEntry {
        seller_id: d.seller_id,
        kind: EntryKind::Refund,
        amount,
        order_id: Some(d.order_id),
        reference: format!("{}:{}", EntryKind::Refund.as_str(), d.order_id),
        clears_at: None,
    }];
    ledger::hold_refunds(&mut tx, &mut entries).await?;
    ledger::append(&mut tx, &entries).await?;
    let args = [
        ("dispute", d.id.to_string()),
        ("order", d.order_id.to_string()),
        ("amount", amount.to_string()),
    ];
    outbox::enqueue(&mut tx, &notices(&d, "part", &args)).await?;
    tx.commit().await?;
    tracing::warn!(dispute = d.id, admin, amount = %amount, "dispute settled by a partial refund");
    Ok(Settling::Settled)
}

/// Settles the dispute in the seller's favour: the credit is no longer frozen.
pub async fn close(store: &Store, dispute_id: i64, admin: i64) -> Result<Settling, StoreError> {
    settle_without_money(store, dispute_id, DisputeStatus::Closed, admin, "closed").await
}

/// Records that the dispute's order was refunded in full (by `/refund`'s path).
pub async fn refunded_in_full(
    store: &Store,
    dispute_id: i64,
    admin: i64,
) -> Result<Settling, StoreError> {
    settle_without_money(store, dispute_id, DisputeStatus::Refunded, admin, "full").await
}

async fn settle_without_money(
    store: &Store,
    dispute_id: i64,
    status: DisputeStatus,
    admin: i64,
    outcome: &str,
) -> Result<Settling, StoreError> {
    let Some(d) = disputes::get(store, dispute_id).await? else {
        return Ok(Settling::NotFound);
    };
    let mut tx = store.write().await?;
    if !disputes::settle_in(&mut tx, d.id, status, None, admin).await? {
        return Ok(Settling::AlreadySettled(d.status));
    }
    let args = [
        ("dispute", d.id.to_string()),
        ("order", d.order_id.to_string()),
    ];
    outbox::enqueue(&mut tx, &notices(&d, outcome, &args)).await?;
    tx.commit().await?;
    tracing::warn!(
        dispute = d.id,
        admin,
        status = status.as_str(),
        "dispute settled"
    );
    Ok(Settling::Settled)
}

/// The outcome told to the buyer and to the seller (`dispute-<outcome>-buyer`, `-seller`).
fn notices(d: &Dispute, outcome: &str, args: &[(&str, String)]) -> Vec<Queued> {
    [(d.buyer_id, "buyer"), (d.seller_id, "seller")]
        .into_iter()
        .map(|(chat, party)| {
            Queued::to_chat(
                chat,
                format!("dispute:{}:settled:{chat}", d.id),
                OutboxMessage::text(&format!("dispute-{outcome}-{party}"), args),
            )
        })
        .collect()
}
