//! The pure decision: what one report does to its (already loaded) order, what it writes in the
//! seller's ledger and to its unique item, and what it owes users. No I/O.

use super::Settled;
use super::messages::{messages_for, mismatch_alert, partial_expired, partial_then_paid};
use crate::domain::OrderStatus;
use crate::domain::ledger::EntryKind;
use crate::domain::product::ProductKind;
use crate::domain::report::{PaymentReport, ReportedStatus};
use crate::store::ipn_events::IpnOutcome;
use crate::store::ledger::NewEntry;
use crate::store::orders::{self, SettlementRow};
use crate::store::outbox::Queued;

/// An order being settled, as loaded and as decided so far.
pub(super) struct Pending {
    pub(super) row: SettlementRow,
    pub(super) loaded_status: OrderStatus,
    pub(super) actually_paid: Option<String>,
    pub(super) changed: bool,
}

/// Decides what one report does to its order (already loaded, possibly changed by earlier
/// reports of the batch) and what it owes users. Pure: no I/O.
pub(super) fn decide(p: &mut Pending, u: &PaymentReport) -> (Settled, Effects) {
    let order = &p.row.order;
    let unchanged = |outcome| Settled {
        outcome,
        order_id: Some(order.id),
        status: Some(order.status),
    };

    // Flagged to the admins, nothing moves.
    let flagged = |reason: String| {
        let alert = mismatch_alert(order.id, &u.payment_id, reason, &u.raw);
        let effects = Effects {
            messages: vec![alert],
            ..Effects::default()
        };
        (unchanged(IpnOutcome::Mismatch), effects)
    };
    if let Some(reason) = mismatch(order, u) {
        return flagged(reason);
    }
    let ReportedStatus::Known(next) = u.status else {
        tracing::warn!(
            order_id = order.id,
            status = u.status.as_str(),
            "unknown payment status ignored"
        );
        return (unchanged(IpnOutcome::Ignored), Effects::default());
    };
    if !order.status.can_move_to(next) {
        // Money reported for an order that had failed cannot settle it, but must not vanish.
        if order.status == OrderStatus::Failed && next.means_money_seen() {
            return flagged(format!("{next} reported for an order that had failed"));
        }
        return (unchanged(IpnOutcome::Ignored), Effects::default());
    }
    let mut effects = Effects {
        messages: messages_for(&p.row, next, u.paid.as_ref()),
        ledger: ledger_entry(order, next),
        stock: stock_effect(&p.row, next),
    };
    if order.status == OrderStatus::PartiallyPaid && next == OrderStatus::Expired {
        effects.messages = partial_expired(&p.row);
    }
    if order.status == OrderStatus::Expired
        && next.means_money_seen()
        && order.actually_paid.is_some()
    {
        // The admins were told to refund what had arrived: the money is now the buyer's order.
        effects.messages.push(partial_then_paid(&p.row));
    }
    if effects.stock == Some(StockEffect::Release) {
        // The item is back on sale: money later in the batch must reserve one again.
        p.row.item = None;
    }
    p.row.order.status = next;
    if let Some(paid) = &u.paid {
        p.actually_paid = Some(paid.as_str().to_string());
    }
    p.changed = true;
    (
        Settled {
            outcome: IpnOutcome::Applied,
            order_id: Some(p.row.order.id),
            status: Some(next),
        },
        effects,
    )
}

/// What deciding a report produces besides the order's new state.
#[derive(Debug, Default)]
pub(super) struct Effects {
    /// Messages to the buyer and to admins.
    pub(super) messages: Vec<Queued>,
    /// The entry the move writes in the seller's ledger.
    pub(super) ledger: Option<NewEntry>,
    /// What the move does to the order's unique item.
    pub(super) stock: Option<StockEffect>,
}

/// What the move to `next` writes in the seller's ledger: the price on sale, taken back on
/// refund of a sale (an order refunded before it finished was never credited, so nothing is
/// debited). A sandbox order moves no real money, so it writes nothing. The reference makes each
/// happen once per order.
fn ledger_entry(order: &orders::Order, next: OrderStatus) -> Option<NewEntry> {
    if order.sandbox {
        return None;
    }
    let kind = match (order.status, next) {
        (_, OrderStatus::Finished) => EntryKind::Sale,
        (OrderStatus::Finished, OrderStatus::Refunded) => EntryKind::Refund,
        _ => return None,
    };
    Some(NewEntry {
        seller_id: order.seller_id,
        kind,
        amount: order.price,
        order_id: Some(order.id),
        reference: format!("{}:{}", kind.as_str(), order.id),
        clears_at: None,
    })
}

/// Why a payment cannot belong to its order, if it cannot.
fn mismatch(order: &orders::Order, u: &PaymentReport) -> Option<String> {
    if let Some(pid) = &order.payment_id
        && pid != &u.payment_id
    {
        return Some(format!(
            "payment id {} is not the order's {pid}",
            u.payment_id
        ));
    }
    if let Some(oid) = u.order_id
        && oid != order.id
    {
        return Some(format!("order_id {oid} is not {}", order.id));
    }
    if let Some(price) = &u.price {
        match &price.currency {
            Some(c) if c.eq_ignore_ascii_case("usd") => {}
            other => return Some(format!("price currency {other:?} is not usd")),
        }
        match &price.amount {
            Some(a) if a.value() == order.total.to_decimal() => {}
            other => {
                return Some(format!(
                    "price amount {:?} is not {}",
                    other.as_ref().map(|a| a.as_str()),
                    order.total
                ));
            }
        }
    }
    if let Some(c) = &u.pay_currency
        && !c.eq_ignore_ascii_case(&order.pay_currency)
    {
        return Some(format!("pay currency {c} is not {}", order.pay_currency));
    }
    None
}

/// What a move does to the order's unique item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StockEffect {
    /// Paid: the reserved item is sold.
    Sell,
    /// Paid after the reservation was released: reserve one now, if any is left.
    ReserveLate,
    /// Failed or expired: the item goes back to stock.
    Release,
}

fn stock_effect(row: &SettlementRow, next: OrderStatus) -> Option<StockEffect> {
    match (row.kind, next) {
        (ProductKind::Items, OrderStatus::Finished) if row.item.is_some() => {
            Some(StockEffect::Sell)
        }
        (ProductKind::Items, OrderStatus::Finished) => Some(StockEffect::ReserveLate),
        (ProductKind::Items, OrderStatus::Failed | OrderStatus::Expired) => {
            Some(StockEffect::Release)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::UsdCents;
    use crate::store::orders::Order;
    use crate::store::outbox::{OutboxMessage, Recipient};

    fn pending(status: OrderStatus) -> Pending {
        let order = Order {
            id: 7,
            buyer_id: 2,
            product_id: 1,
            seller_id: 1,
            price: UsdCents(2500),
            commission: UsdCents(70),
            total: UsdCents(2570),
            pay_currency: "btc".into(),
            status,
            payment_id: Some("555".into()),
            pay_address: Some("bc1q".into()),
            pay_amount: Some("0.0004".into()),
            actually_paid: None,
            expires_at: None,
            sandbox: false,
            payment_message_id: None,
        };
        Pending {
            row: SettlementRow {
                order,
                title: "Book".into(),
                kind: ProductKind::File,
                file_id: "F".into(),
                text: None,
                item: None,
                access_chat: None,
                referral: None,
                applied: Vec::new(),
                seller_has_wallet: true,
            },
            loaded_status: status,
            actually_paid: None,
            changed: false,
        }
    }

    fn report(status: &str, price: &str, paid: &str) -> PaymentReport {
        crate::payments::PaymentStatusBody::read(
            &format!(
                r#"{{"payment_id":555,"payment_status":"{status}","price_amount":{price},"price_currency":"usd","pay_currency":"btc","actually_paid":{paid},"order_id":"7"}}"#
            ),
            false,
        )
        .unwrap()
    }

    #[test]
    fn finished_delivers_the_file_and_credits_the_seller_the_price() {
        let mut p = pending(OrderStatus::Waiting);
        let (s, effects) = decide(&mut p, &report("finished", "25.70", "0.0004"));
        let msgs = effects.messages;
        assert_eq!(
            (s.outcome, s.status),
            (IpnOutcome::Applied, Some(OrderStatus::Finished))
        );
        let keys: Vec<_> = msgs.iter().map(|m| m.dedupe_key.as_str()).collect();
        assert_eq!(keys, ["order:7:delivered"]);
        assert!(
            matches!(&msgs[0].message, OutboxMessage::Document { file_id, .. } if file_id == "F")
        );
        assert_eq!(msgs[0].to, Recipient::Chat(2));
        let entry = effects.ledger.expect("the seller is credited");
        assert_eq!(
            (entry.seller_id, entry.kind, entry.amount),
            (1, EntryKind::Sale, UsdCents(2500)),
            "the price, not the total with commission"
        );
    }

    #[test]
    fn a_repeat_within_a_batch_changes_nothing() {
        let mut p = pending(OrderStatus::Waiting);
        decide(&mut p, &report("finished", "25.7", "0.0004"));
        let (s, effects) = decide(&mut p, &report("finished", "25.7", "0.0004"));
        assert_eq!(s.outcome, IpnOutcome::Ignored);
        assert!(effects.messages.is_empty() && effects.ledger.is_none());
        let (s, _) = decide(&mut p, &report("confirming", "25.7", "0.0004"));
        assert_eq!(s.outcome, IpnOutcome::Ignored);
    }

    #[test]
    fn money_on_a_failed_order_alerts_admins_and_a_repeat_failure_does_not() {
        let mut p = pending(OrderStatus::Failed);
        let (s, effects) = decide(&mut p, &report("finished", "25.70", "0.0004"));
        assert_eq!(s.outcome, IpnOutcome::Mismatch);
        assert_eq!(effects.messages.len(), 1);
        assert!(effects.ledger.is_none() && !p.changed);
        let (s, effects) = decide(&mut p, &report("failed", "25.70", "0"));
        assert_eq!(s.outcome, IpnOutcome::Ignored);
        assert!(effects.messages.is_empty());
    }

    #[test]
    fn a_wrong_amount_alerts_admins_and_moves_nothing() {
        let mut p = pending(OrderStatus::Waiting);
        let (s, Effects { messages: msgs, .. }) =
            decide(&mut p, &report("finished", "1", "0.0004"));
        assert_eq!(s.outcome, IpnOutcome::Mismatch);
        assert!(!p.changed);
        let rows = crate::store::outbox::addressed(&msgs, &[10, 11]);
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), [10, 11]);
    }

    #[test]
    fn a_refund_takes_the_price_back_from_the_seller() {
        let mut p = pending(OrderStatus::Finished);
        let (s, effects) = decide(&mut p, &report("refunded", "25.7", "0.0004"));
        assert_eq!(s.outcome, IpnOutcome::Applied);
        let entry = effects.ledger.unwrap();
        assert_eq!(
            (entry.kind, entry.kind.signed(entry.amount)),
            (EntryKind::Refund, UsdCents(-2500))
        );
        assert_eq!(entry.reference, "refund:7");
    }

    #[test]
    fn partial_payment_states_the_exact_missing_amount() {
        let mut p = pending(OrderStatus::Waiting);
        let (_, Effects { messages: msgs, .. }) =
            decide(&mut p, &report("partially_paid", "25.7", "0.00012345"));
        let OutboxMessage::Text { args, .. } = &msgs[0].message else {
            panic!()
        };
        assert!(
            args.contains(&("missing".to_string(), "0.00027655".to_string())),
            "{args:?}"
        );
    }
}
