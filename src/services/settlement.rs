//! Settlement: applies what NOWPayments says about payments (IPNs, status checks) to their
//! orders, exactly once, and queues what buyers, sellers and admins must be told.
//!
//! Reports are settled in batches: one transaction loads every order concerned, decides each
//! report in arrival order in memory (`decide`, pure), then writes the changed orders
//! (compare-and-set), the queued messages and the inbox rows with a handful of statements. A
//! batch that loses a race with another process is rolled back and settled report by report.

use crate::domain::ledger::EntryKind;
use crate::domain::product::ProductKind;
use crate::domain::{OrderStatus, UsdCents};
use crate::payments::rail::{Notice, Rail, Rails};
use crate::payments::{CryptoAmount, PaymentStatusBody};

use crate::store::ipn_events::{self, IpnOutcome, IpnRecord};
use crate::store::ledger::{self, NewEntry};
use crate::store::orders::{self, SettlementRow};
use crate::store::outbox::{self, OutboxMessage, Queued};
use crate::store::{Conn, Store, StoreError, stock};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The result of settling one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settled {
    pub outcome: IpnOutcome,
    pub order_id: Option<i64>,
    /// The order's status after the report.
    pub status: Option<OrderStatus>,
}

/// A payment report to settle: NOWPayments' description of a payment and the JSON it came as.
#[derive(Debug, Clone)]
pub struct Report {
    pub update: PaymentStatusBody,
    pub raw: String,
    /// An answer to souk's own status check: kept in `ipn_events` only when it changed
    /// something (checks repeat every few minutes; notifications are all kept).
    pub check: bool,
}

/// Reports settled together at most (keeps statements well under the databases' parameter limits).
const MAX_BATCH: usize = 128;
/// Attempts for one report whose order keeps being changed by another process.
const RETRIES: usize = 5;

#[derive(Debug, thiserror::Error)]
enum BatchError {
    #[error("an order changed under the batch")]
    Conflict,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for BatchError {
    fn from(e: sqlx::Error) -> Self {
        BatchError::Store(e.into())
    }
}

/// Why a payment could not be refreshed.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error(transparent)]
    Provider(#[from] crate::payments::GatewayError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Asks the order's payment rail where its payment stands now and settles the answer exactly as
/// an IPN would be: the "Check status" button and the reconciliation job both rely on it, so a
/// lost IPN still delivers. `None` when the rail could not tell.
pub async fn refresh(
    store: &Store,
    rails: &Rails,
    admins: &[i64],
    order: &orders::Order,
) -> Result<Option<Settled>, RefreshError> {
    let Some(rail) = rails.for_code(&order.pay_currency) else {
        return Ok(None);
    };
    let Some(notice) = rail.check(order).await? else {
        return Ok(None);
    };
    Ok(Some(
        settle_notice(store, admins, rail.as_ref(), &notice, true).await?,
    ))
}

/// Settles what `rail` said: a report as an IPN; a status once its order is found to be the
/// rail's and the amount paid the order's (else the admins are told and nothing moves); a closed
/// payment changes nothing here (reconciliation decides).
pub async fn apply_notice(
    store: &Store,
    admins: &[i64],
    rail: &dyn Rail,
    notice: &Notice,
) -> Result<Settled, StoreError> {
    settle_notice(store, admins, rail, notice, false).await
}

/// `apply_notice`, for a notification or (`check`) for the answer to a status check.
async fn settle_notice(
    store: &Store,
    admins: &[i64],
    rail: &dyn Rail,
    notice: &Notice,
    check: bool,
) -> Result<Settled, StoreError> {
    let untouched = |outcome, order_id| Settled {
        outcome,
        order_id,
        status: None,
    };
    match notice {
        Notice::Report(body, raw) => apply_report(store, admins, body, raw, check).await,
        Notice::Status {
            order_id,
            status,
            paid,
            source,
            raw,
        } => {
            let order = orders::get(store, *order_id)
                .await?
                .filter(|o| rail.serves(&o.pay_currency));
            let Some(order) = order else {
                return Ok(untouched(IpnOutcome::UnknownOrder, None));
            };
            let payment_id = order
                .payment_id
                .clone()
                .unwrap_or_else(|| format!("{}-order-{order_id}", rail.name()));
            let asked = match order.pay_amount.as_deref() {
                Some(amount) => amount.parse().ok(),
                None => rail.amount_due(&order),
            };
            if *status == "finished" && paid.is_some() && *paid != asked {
                let reason = format!(
                    "{} reports {} {} paid, the order asks {}",
                    rail.name(),
                    paid.unwrap_or_default(),
                    order.pay_currency,
                    order.pay_amount.as_deref().unwrap_or("nothing yet"),
                );
                let alerts = mismatch_alerts(admins, order.id, &payment_id, reason, raw);
                outbox::enqueue_now(store, &alerts).await?;
                return Ok(untouched(IpnOutcome::Mismatch, Some(order.id)));
            }
            let paid = paid.map(|p| p.to_string());
            let (body, _) = crate::payments::report::synthetic(
                &order,
                &payment_id,
                status,
                paid.as_deref(),
                source,
            );
            apply_report(store, admins, &body, raw, check).await
        }
        Notice::Closed { order_id } => {
            if let Some(order) = orders::get(store, *order_id).await?
                && order.status.is_open()
                && !order.is_past_expiry(chrono::Utc::now().timestamp())
            {
                closed_without_news(store, admins, &order).await?;
            }
            Ok(untouched(IpnOutcome::Ignored, Some(*order_id)))
        }
    }
}

/// The rail closed an open order's payment before its expiry without saying how it ended (paid
/// or not): the admins are asked to look in the rail's dashboard and settle it (once).
async fn closed_without_news(
    store: &Store,
    admins: &[i64],
    order: &orders::Order,
) -> Result<(), StoreError> {
    tracing::error!(
        order_id = order.id,
        "the rail closed a payment without a notification"
    );
    let args = [
        ("order", order.id.to_string()),
        ("payment", order.payment_id.clone().unwrap_or_default()),
    ];
    let alerts = outbox::to_admins(
        admins,
        &format!("payment-closed:{}", order.id),
        "admin-payment-closed",
        &args,
    );
    outbox::enqueue_now(store, &alerts).await
}

/// One alert per admin that a payment does not match its order, once per distinct body however
/// often it is repeated.
fn mismatch_alerts(
    admins: &[i64],
    order_id: i64,
    payment_id: &str,
    reason: String,
    raw: &str,
) -> Vec<Queued> {
    tracing::error!(order_id, payment_id, %reason, "payment does not match its order; nothing delivered");
    let args = [
        ("order", order_id.to_string()),
        ("payment", payment_id.to_string()),
        ("reason", reason),
    ];
    outbox::to_admins(
        admins,
        &format!("mismatch:{order_id}:{}", short_hash(raw)),
        "admin-payment-mismatch",
        &args,
    )
}

/// Settles one report (a status check, or an IPN outside the settler).
pub async fn apply(
    store: &Store,
    admins: &[i64],
    update: &PaymentStatusBody,
    raw: &str,
) -> Result<Settled, StoreError> {
    apply_report(store, admins, update, raw, false).await
}

async fn apply_report(
    store: &Store,
    admins: &[i64],
    update: &PaymentStatusBody,
    raw: &str,
    check: bool,
) -> Result<Settled, StoreError> {
    let report = Report {
        update: update.clone(),
        raw: raw.to_string(),
        check,
    };
    settle_one(store, admins, &report).await
}

async fn settle_one(store: &Store, admins: &[i64], report: &Report) -> Result<Settled, StoreError> {
    for _ in 0..RETRIES {
        match settle_batch(store, admins, std::slice::from_ref(report)).await {
            Ok(mut settled) => return Ok(settled.remove(0)),
            Err(BatchError::Conflict) => continue,
            Err(BatchError::Store(e)) => return Err(e),
        }
    }
    Err(StoreError::Corrupt(format!(
        "order for payment {} kept changing",
        report.update.payment_id
    )))
}

/// Settles reports together, in this order, as the `Settler` does with reports arriving at once;
/// when the batch cannot be committed as a whole, each report is settled on its own, so one bad
/// report never blocks the others.
pub async fn apply_many(
    store: &Store,
    admins: &[i64],
    reports: &[Report],
) -> Vec<Result<Settled, StoreError>> {
    if reports.len() > 1 {
        match settle_batch(store, admins, reports).await {
            Ok(settled) => return settled.into_iter().map(Ok).collect(),
            Err(e) => {
                tracing::warn!(error = %e, size = reports.len(), "batch not settled, settling one by one")
            }
        }
    }
    let mut results = Vec::with_capacity(reports.len());
    for report in reports {
        results.push(settle_one(store, admins, report).await);
    }
    results
}

/// An order being settled, as loaded and as decided so far.
struct Pending {
    row: SettlementRow,
    loaded_status: OrderStatus,
    actually_paid: Option<String>,
    changed: bool,
}

async fn settle_batch(
    store: &Store,
    admins: &[i64],
    reports: &[Report],
) -> Result<Vec<Settled>, BatchError> {
    let mut tx = store.write().await?;
    let mut pending = load(&mut tx, reports).await?;
    let mut by_payment: HashMap<String, usize> = HashMap::new();
    let mut by_order: HashMap<i64, usize> = HashMap::new();
    for (i, p) in pending.iter().enumerate() {
        by_order.insert(p.row.order.id, i);
        if let Some(pid) = &p.row.order.payment_id {
            by_payment.insert(pid.clone(), i);
        }
    }

    let mut settled = Vec::with_capacity(reports.len());
    let mut queued = Vec::new();
    let mut entries = Vec::new();
    let mut stock_effects = Vec::new();
    let mut records = Vec::with_capacity(reports.len());
    for report in reports {
        let u = &report.update;
        // By payment id, else by order id: a payment the order does not carry (a repeat deposit
        // NOWPayments reports under a new payment id) then fails the match and is reported.
        let index = by_payment.get(&u.payment_id).copied().or_else(|| {
            let id = u.order_id.as_deref()?.parse::<i64>().ok()?;
            by_order.get(&id).copied()
        });
        let result = match index {
            None => {
                tracing::warn!(
                    payment_id = u.payment_id,
                    "payment report for no known order"
                );
                Settled {
                    outcome: IpnOutcome::UnknownOrder,
                    order_id: None,
                    status: None,
                }
            }
            Some(i) => {
                let p = &mut pending[i];
                let (result, effects) = decide(p, u, &report.raw, admins);
                if result.outcome == IpnOutcome::Applied && p.row.order.payment_id.is_none() {
                    p.row.order.payment_id = Some(u.payment_id.clone());
                    by_payment.insert(u.payment_id.clone(), i);
                }
                queued.extend(effects.messages);
                entries.extend(effects.ledger);
                let order_id = p.row.order.id;
                stock_effects.extend(effects.stock.map(|e| (order_id, e)));
                result
            }
        };
        if report.check && result.outcome == IpnOutcome::Ignored {
            // A status check that changed nothing: not worth a row every few minutes.
            settled.push(result);
            continue;
        }
        records.push(IpnRecord {
            payment_id: &u.payment_id,
            order_id: result.order_id,
            payment_status: &u.payment_status,
            body: &report.raw,
            outcome: result.outcome,
        });
        settled.push(result);
    }

    // Stock first: a late payment that finds nothing left is not finished but paid and sold
    // out, and its seller is not credited.
    let stock = apply_stock(&mut tx, &pending, &stock_effects, admins).await?;
    queued.extend(stock.messages);
    for order_id in &stock.sold_out {
        if let Some(p) = pending.iter_mut().find(|p| p.row.order.id == *order_id) {
            p.row.order.status = OrderStatus::PaidSoldOut;
        }
        entries.retain(|e| e.order_id != Some(*order_id) || e.kind != EntryKind::Sale);
        for s in settled.iter_mut().filter(|s| s.order_id == Some(*order_id)) {
            if s.status == Some(OrderStatus::Finished) {
                s.status = Some(OrderStatus::PaidSoldOut);
            }
        }
    }
    for p in pending.iter().filter(|p| p.changed) {
        let o = &p.row.order;
        let payment_id = o.payment_id.as_deref().unwrap_or_default();
        let moved = orders::transition(
            &mut tx,
            o.id,
            p.loaded_status,
            o.status,
            payment_id,
            p.actually_paid.as_deref(),
        )
        .await?;
        if !moved {
            return Err(BatchError::Conflict);
        }
        tracing::info!(order_id = o.id, from = %p.loaded_status, to = %o.status, "order moved");
    }
    queued.extend(seller_notes(&mut tx, &pending, &entries).await?);
    ledger::append(&mut tx, &entries).await?;
    let mut seen = HashSet::new();
    queued.retain(|q: &Queued| seen.insert(q.dedupe_key.clone()));
    outbox::enqueue(&mut tx, &queued).await?;
    ipn_events::record(&mut tx, &records).await?;
    tx.commit().await?;
    Ok(settled)
}

async fn load(conn: &mut Conn, reports: &[Report]) -> Result<Vec<Pending>, StoreError> {
    let payment_ids: Vec<&str> = reports
        .iter()
        .map(|r| r.update.payment_id.as_str())
        .collect();
    let order_ids: Vec<i64> = reports
        .iter()
        .filter_map(|r| r.update.order_id.as_deref()?.parse().ok())
        .collect();
    let rows = orders::load_for_settlement(conn, &dedup(payment_ids), &dedup(order_ids)).await?;
    Ok(rows
        .into_iter()
        .map(|row| Pending {
            loaded_status: row.order.status,
            actually_paid: None,
            changed: false,
            row,
        })
        .collect())
}

fn dedup<T: Eq + std::hash::Hash + Copy>(items: Vec<T>) -> Vec<T> {
    let mut seen = HashSet::new();
    items.into_iter().filter(|i| seen.insert(*i)).collect()
}

/// Decides what one report does to its order (already loaded, possibly changed by earlier
/// reports of the batch) and what it owes users. Pure: no I/O.
fn decide(p: &mut Pending, u: &PaymentStatusBody, raw: &str, admins: &[i64]) -> (Settled, Effects) {
    let order = &p.row.order;
    let unchanged = |outcome| Settled {
        outcome,
        order_id: Some(order.id),
        status: Some(order.status),
    };

    // Flagged to the admins, nothing moves.
    let flagged = |reason: String| {
        let alerts = mismatch_alerts(admins, order.id, &u.payment_id, reason, raw);
        let effects = Effects {
            messages: alerts,
            ..Effects::default()
        };
        (unchanged(IpnOutcome::Mismatch), effects)
    };
    if let Some(reason) = mismatch(order, u) {
        return flagged(reason);
    }
    let Ok(next) = u.payment_status.parse::<OrderStatus>() else {
        tracing::warn!(
            order_id = order.id,
            status = u.payment_status,
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
        messages: messages_for(&p.row, next, u.actually_paid.as_ref()),
        ledger: ledger_entry(order, next),
        stock: stock_effect(&p.row, next),
    };
    if order.status == OrderStatus::PartiallyPaid && next == OrderStatus::Expired {
        effects.messages = partial_expired(&p.row, admins);
    }
    if effects.stock == Some(StockEffect::Release) {
        // The item is back on sale: money later in the batch must reserve one again.
        p.row.item = None;
    }
    p.row.order.status = next;
    if let Some(paid) = &u.actually_paid {
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
struct Effects {
    /// Messages to the buyer and to admins.
    messages: Vec<Queued>,
    /// The entry the move writes in the seller's ledger.
    ledger: Option<NewEntry>,
    /// What the move does to the order's unique item.
    stock: Option<StockEffect>,
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
    })
}

/// The seller's message for each ledger entry of the batch, with the amount and the available
/// balance right after it (balances read once, then carried forward entry by entry).
async fn seller_notes(
    conn: &mut Conn,
    pending: &[Pending],
    entries: &[NewEntry],
) -> Result<Vec<Queued>, StoreError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let sellers: Vec<i64> = dedup(entries.iter().map(|e| e.seller_id).collect());
    let mut balances = ledger::available_in(conn, &sellers).await?;
    let mut notes = Vec::with_capacity(entries.len());
    for e in entries {
        let balance = balances.entry(e.seller_id).or_insert(UsdCents(0));
        balance.0 += e.kind.signed(e.amount).0;
        let order_id = e.order_id.unwrap_or_default();
        let title = pending
            .iter()
            .find(|p| p.row.order.id == order_id)
            .map(|p| p.row.title.clone())
            .unwrap_or_default();
        let args = [
            ("title", title),
            ("order", order_id.to_string()),
            ("amount", e.amount.to_string()),
            ("balance", balance.to_string()),
        ];
        let (what, key) = match e.kind {
            EntryKind::Refund => ("refund_debited", "seller-refund"),
            _ => ("sold", "seller-sale"),
        };
        notes.push(Queued {
            dedupe_key: format!("order:{order_id}:{what}"),
            chat_id: e.seller_id,
            message: OutboxMessage::text(key, &args),
        });
    }
    Ok(notes)
}

/// Why a payment cannot belong to its order, if it cannot.
fn mismatch(order: &orders::Order, u: &PaymentStatusBody) -> Option<String> {
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

/// What the move to `next` owes the buyer (and the seller of a sandbox sale, which no ledger
/// entry announces). The dedupe keys make each message exist once per order and status,
/// whatever repeats.
fn messages_for(
    row: &SettlementRow,
    next: OrderStatus,
    paid: Option<&CryptoAmount>,
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
            chat_id: order.seller_id,
            message: OutboxMessage::text("seller-sale-sandbox", &base),
        });
    }
    messages
}

/// What the move to `next` owes the buyer.
fn buyer_messages(
    row: &SettlementRow,
    next: OrderStatus,
    paid: Option<&CryptoAmount>,
) -> Vec<Queued> {
    let order = &row.order;
    let to_buyer = |what: &str, message| Queued {
        dedupe_key: format!("order:{}:{what}", order.id),
        chat_id: order.buyer_id,
        message,
    };
    let base = [
        ("title", row.title.clone()),
        ("order", order.id.to_string()),
    ];
    match next {
        OrderStatus::Confirming | OrderStatus::Confirmed | OrderStatus::Sending => {
            vec![to_buyer(
                "detected",
                OutboxMessage::text("payment-detected", &base),
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
            // An item reserved at checkout goes now; one released since (the payment came
            // late) is reserved again when the batch writes (`StockEffect::ReserveLate`).
            ProductKind::Items => row
                .item
                .iter()
                .map(|item| item_delivery(row, item))
                .collect(),
        },
        OrderStatus::PartiallyPaid => {
            let expected = order.pay_amount.as_deref().and_then(CryptoAmount::parse);
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
        OrderStatus::Failed | OrderStatus::Expired | OrderStatus::Refunded => {
            vec![to_buyer(
                next.as_str(),
                OutboxMessage::text(&format!("payment-{}", next.as_str()), &base),
            )]
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
fn partial_expired(row: &SettlementRow, admins: &[i64]) -> Vec<Queued> {
    let order = &row.order;
    let args = [
        ("title", row.title.clone()),
        ("order", order.id.to_string()),
        ("paid", order.actually_paid.clone().unwrap_or_default()),
        ("coin", order.pay_currency.to_ascii_uppercase()),
    ];
    let mut messages = vec![Queued {
        dedupe_key: format!("order:{}:expired", order.id),
        chat_id: order.buyer_id,
        message: OutboxMessage::text("payment-partial-expired", &args),
    }];
    messages.extend(outbox::to_admins(
        admins,
        &format!("order:{}:partial_expired", order.id),
        "admin-partial-expired",
        &args,
    ));
    messages
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
fn item_delivery(row: &SettlementRow, item: &str) -> Queued {
    let mut args = receipt(row);
    args.push(("item", item.to_string()));
    Queued {
        dedupe_key: format!("order:{}:delivered", row.order.id),
        chat_id: row.order.buyer_id,
        message: OutboxMessage::text("delivery-item", &args),
    }
}

/// What a move does to the order's unique item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StockEffect {
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

/// What the stock step did: messages owed, and the paid orders left without an item.
struct StockOutcome {
    messages: Vec<Queued>,
    sold_out: Vec<i64>,
}

/// Writes the stock effects of the batch; items reserved late are delivered, and when none is
/// left the buyer and the admins are told (an admin refunds, or a restock delivers).
async fn apply_stock(
    conn: &mut Conn,
    pending: &[Pending],
    effects: &[(i64, StockEffect)],
    admins: &[i64],
) -> Result<StockOutcome, StoreError> {
    let mut queued = Vec::new();
    let mut sold_out = Vec::new();
    for (order_id, effect) in effects {
        match effect {
            StockEffect::Sell => stock::sell(conn, *order_id).await?,
            StockEffect::Release => stock::release(conn, *order_id).await?,
            StockEffect::ReserveLate => {
                let Some(p) = pending.iter().find(|p| p.row.order.id == *order_id) else {
                    continue;
                };
                match stock::reserve(conn, p.row.order.product_id, *order_id).await? {
                    Some(item) => {
                        stock::sell(conn, *order_id).await?;
                        queued.push(item_delivery(&p.row, &item));
                    }
                    None => {
                        tracing::error!(
                            order_id,
                            "paid after its item was released, and the product is sold out"
                        );
                        sold_out.push(*order_id);
                        let args = [
                            ("title", p.row.title.clone()),
                            ("order", order_id.to_string()),
                        ];
                        queued.push(Queued {
                            dedupe_key: format!("order:{order_id}:paid_sold_out"),
                            chat_id: p.row.order.buyer_id,
                            message: OutboxMessage::text("paid-but-sold-out", &args),
                        });
                        queued.extend(outbox::to_admins(
                            admins,
                            &format!("order:{order_id}:paid_sold_out"),
                            "admin-paid-but-sold-out",
                            &args,
                        ));
                    }
                }
            }
        }
    }
    Ok(StockOutcome {
        messages: queued,
        sold_out,
    })
}

/// A short stable fingerprint of an IPN body, for dedupe keys.
fn short_hash(raw: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(raw.as_bytes())[..8])
}

/// Collects reports arriving together (concurrent IPNs) and settles them in batches, so that
/// the database does a handful of statements per batch rather than per IPN.
#[derive(Clone)]
pub struct Settler {
    jobs: mpsc::Sender<(Report, oneshot::Sender<Result<Settled, StoreError>>)>,
}

impl Settler {
    /// Starts the settling task; it ends when every `Settler` clone is dropped.
    pub fn spawn(store: Store, admins: Arc<Vec<i64>>) -> Settler {
        let (jobs, mut rx) =
            mpsc::channel::<(Report, oneshot::Sender<Result<Settled, StoreError>>)>(4 * MAX_BATCH);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(job) => batch.push(job),
                        Err(_) => break,
                    }
                }
                let (reports, replies): (Vec<Report>, Vec<_>) = batch.into_iter().unzip();
                let results = apply_many(&store, &admins, &reports).await;
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
        });
        Settler { jobs }
    }

    pub async fn settle(
        &self,
        update: PaymentStatusBody,
        raw: String,
    ) -> Result<Settled, StoreError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || StoreError::Corrupt("settlement task stopped".into());
        self.jobs
            .send((
                Report {
                    update,
                    raw,
                    check: false,
                },
                reply,
            ))
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::UsdCents;
    use crate::store::orders::Order;

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
        };
        Pending {
            row: SettlementRow {
                order,
                title: "Book".into(),
                kind: ProductKind::File,
                file_id: "F".into(),
                text: None,
                item: None,
            },
            loaded_status: status,
            actually_paid: None,
            changed: false,
        }
    }

    fn report(status: &str, price: &str, paid: &str) -> PaymentStatusBody {
        serde_json::from_str(&format!(
            r#"{{"payment_id":555,"payment_status":"{status}","price_amount":{price},"price_currency":"usd","pay_currency":"btc","actually_paid":{paid},"order_id":"7"}}"#
        ))
        .unwrap()
    }

    #[test]
    fn finished_delivers_the_file_and_credits_the_seller_the_price() {
        let mut p = pending(OrderStatus::Waiting);
        let (s, effects) = decide(&mut p, &report("finished", "25.70", "0.0004"), "", &[]);
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
        assert_eq!(msgs[0].chat_id, 2);
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
        decide(&mut p, &report("finished", "25.7", "0.0004"), "", &[]);
        let (s, effects) = decide(&mut p, &report("finished", "25.7", "0.0004"), "", &[]);
        assert_eq!(s.outcome, IpnOutcome::Ignored);
        assert!(effects.messages.is_empty() && effects.ledger.is_none());
        let (s, _) = decide(&mut p, &report("confirming", "25.7", "0.0004"), "", &[]);
        assert_eq!(s.outcome, IpnOutcome::Ignored);
    }

    #[test]
    fn money_on_a_failed_order_alerts_admins_and_a_repeat_failure_does_not() {
        let mut p = pending(OrderStatus::Failed);
        let (s, effects) = decide(&mut p, &report("finished", "25.70", "0.0004"), "{}", &[9]);
        assert_eq!(s.outcome, IpnOutcome::Mismatch);
        assert_eq!(effects.messages.len(), 1);
        assert!(effects.ledger.is_none() && !p.changed);
        let (s, effects) = decide(&mut p, &report("failed", "25.70", "0"), "{}", &[9]);
        assert_eq!(s.outcome, IpnOutcome::Ignored);
        assert!(effects.messages.is_empty());
    }

    #[test]
    fn a_wrong_amount_alerts_admins_and_moves_nothing() {
        let mut p = pending(OrderStatus::Waiting);
        let (s, Effects { messages: msgs, .. }) = decide(
            &mut p,
            &report("finished", "1", "0.0004"),
            "body",
            &[10, 11],
        );
        assert_eq!(s.outcome, IpnOutcome::Mismatch);
        assert!(!p.changed);
        assert_eq!(msgs.iter().map(|m| m.chat_id).collect::<Vec<_>>(), [10, 11]);
    }

    #[test]
    fn a_refund_takes_the_price_back_from_the_seller() {
        let mut p = pending(OrderStatus::Finished);
        let (s, effects) = decide(&mut p, &report("refunded", "25.7", "0.0004"), "", &[]);
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
        let (_, Effects { messages: msgs, .. }) = decide(
            &mut p,
            &report("partially_paid", "25.7", "0.00012345"),
            "",
            &[],
        );
        let OutboxMessage::Text { args, .. } = &msgs[0].message else {
            panic!()
        };
        assert!(
            args.contains(&("missing".to_string(), "0.00027655".to_string())),
            "{args:?}"
        );
    }
}
