//! The batch transaction: every order a batch of reports concerns is loaded at once, each report
//! is decided in arrival order (`decide`), then the changed orders (compare-and-set), stock,
//! ledger, messages and inbox rows are written with a handful of statements.

use super::Settled;
use super::decide::{Pending, StockEffect, decide};
use super::messages::item_delivery;
use super::repeats::digest;
use crate::domain::OrderStatus;
use crate::domain::ledger::EntryKind;
use crate::domain::report::PaymentReport;
use crate::store::bundle::Bundle;
use crate::store::ipn_events::{self, IpnOutcome, IpnRecord};
use crate::store::ledger::{self, NewEntry};
use crate::store::orders;
use crate::store::outbox::{self, OrderButton, OutboxMessage, Queued, Recipient};
use crate::store::{Conn, Store, StoreError, WriteTx, stock};
use std::collections::{HashMap, HashSet};

#[derive(Debug, thiserror::Error)]
pub(super) enum BatchError {
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

pub(super) async fn settle_batch(
    store: &Store,
    reports: &[PaymentReport],
) -> Result<Vec<Settled>, BatchError> {
    // Synced by the caller before anything is acknowledged (`Store::sync_log`).
    let mut tx = store.write_unsynced().await?;
    // A rail's notification is known by its body: the orders come with which of the batch's
    // notifications already applied to them.
    let digests: Vec<Option<String>> = reports
        .iter()
        .map(|u| u.is_notification().then(|| hex::encode(digest(&u.raw))))
        .collect();
    let mut pending = load(&mut tx, reports, &digests).await?;
    let mut by_payment: HashMap<String, usize> = HashMap::new();
    let mut by_order: HashMap<i64, usize> = HashMap::new();
    for (i, p) in pending.iter().enumerate() {
        by_order.insert(p.row.order.id, i);
        if let Some(pid) = &p.row.order.payment_id {
            by_payment.insert(pid.clone(), i);
        }
    }

    // The notifications that already applied (kept before, or earlier in this batch).
    let mut applied: HashSet<String> = pending
        .iter()
        .flat_map(|p| p.row.applied.iter().cloned())
        .collect();
    // The record of each digest in this batch, which its repeats in the batch add to.
    let mut recorded: HashMap<&str, usize> = HashMap::new();

    let mut settled = Vec::with_capacity(reports.len());
    let mut queued = Vec::new();
    let mut entries = Vec::new();
    let mut stock_effects = Vec::new();
    let mut records: Vec<IpnRecord> = Vec::with_capacity(reports.len());
    for (u, digest) in reports.iter().zip(&digests) {
        let digest = digest.as_deref();
        // The same body again, after it applied, changes nothing; one that did not apply (too
        // early, flagged) is decided again.
        let repeat = digest.is_some_and(|d| applied.contains(d));
        // By payment id, else by order id: a payment the order does not carry (a repeat deposit
        // NOWPayments reports under a new payment id) then fails the match and is reported.
        let index = by_payment
            .get(&u.payment_id)
            .copied()
            .or_else(|| by_order.get(&u.order_id?).copied());
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
            Some(i) if repeat => Settled {
                outcome: IpnOutcome::Ignored,
                order_id: Some(pending[i].row.order.id),
                status: Some(pending[i].row.order.status),
            },
            Some(i) => {
                let p = &mut pending[i];
                let (result, effects) = decide(p, u);
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
        if u.check && result.outcome == IpnOutcome::Ignored {
            // A status check that changed nothing: not worth a row every few minutes.
            settled.push(result);
            continue;
        }
        if let Some(d) = digest {
            if result.outcome == IpnOutcome::Applied {
                applied.insert(d.to_string());
            }
            if let Some(&k) = recorded.get(d) {
                records[k].repeats += 1;
                settled.push(result);
                continue;
            }
            recorded.insert(d, records.len());
        }
        records.push(IpnRecord {
            payment_id: &u.payment_id,
            order_id: result.order_id,
            payment_status: u.status.as_str(),
            body: &u.raw,
            source: u.source.as_deref(),
            paid: u.paid.as_ref().map(|a| a.as_str()),
            outcome_amount: u.outcome.as_ref().map(|a| a.as_str()),
            outcome: result.outcome,
            digest,
            repeats: 0,
        });
        settled.push(result);
    }

    // Stock first: a late payment that finds nothing left is not finished but paid and sold
    // out, and its seller is not credited.
    let stock = apply_stock(&mut tx, &pending, &stock_effects).await?;
    queued.extend(stock.messages);
    for order_id in &stock.sold_out {
        // Nothing was delivered, so nothing is credited, nor taken back by a refund later in
        // the batch; the order stays refunded if the batch refunded it.
        if let Some(p) = pending.iter_mut().find(|p| p.row.order.id == *order_id)
            && p.row.order.status == OrderStatus::Finished
        {
            p.row.order.status = OrderStatus::PaidSoldOut;
        }
        entries.retain(|e| e.order_id != Some(*order_id));
        for s in settled.iter_mut().filter(|s| s.order_id == Some(*order_id)) {
            if s.status == Some(OrderStatus::Finished) {
                s.status = Some(OrderStatus::PaidSoldOut);
            }
        }
    }
    // Every changed order in one compare-and-set statement.
    let moves: Vec<orders::Move> = pending
        .iter()
        .filter(|p| p.changed)
        .map(|p| orders::Move {
            order_id: p.row.order.id,
            from: p.loaded_status,
            to: p.row.order.status,
            payment_id: p.row.order.payment_id.as_deref().unwrap_or_default(),
            actually_paid: p.actually_paid.as_deref(),
        })
        .collect();
    // The batch's writes, sent together at the end (on SQLite, in one round trip with the
    // commit).
    let mut bundle = Bundle::new(store.backend());
    let moved = if tx.is_folded() {
        orders::transition_many_into(&mut bundle, &moves)?;
        moved_as_loaded(&pending, &moves)
    } else {
        let moved = orders::transition_many(&mut tx, &moves).await?;
        if moved.len() != moves.len() {
            return Err(BatchError::Conflict);
        }
        moved
    };
    // Payment messages are closed with the ids as the compare-and-set left them.
    for m in &moved {
        let Some(message_id) = m.payment_message_id else {
            continue;
        };
        let Some(p) = pending.iter().find(|p| p.row.order.id == m.order_id) else {
            continue;
        };
        queued.extend(super::messages::closed_payment(
            &p.row,
            p.row.order.status,
            message_id,
        ));
    }
    for m in &moves {
        // A payment's steps on its way (confirming → confirmed → sending) at debug: at info, a
        // payment is where money was first seen and where it ended (the inbox keeps every
        // notification). Each line is a tenth of a friendly IPN's cost (issue 18).
        if m.from.is_money_on_the_way() && m.to.is_money_on_the_way() {
            tracing::debug!(order_id = m.order_id, payment_id = m.payment_id, from = %m.from, to = %m.to, "order moved");
        } else {
            tracing::info!(order_id = m.order_id, payment_id = m.payment_id, from = %m.from, to = %m.to, "order moved");
        }
        // An order that will not be paid gives its coupon's use back.
        if matches!(m.to, OrderStatus::Failed | OrderStatus::Expired) {
            crate::store::coupons::release_in(&mut tx, m.order_id).await?;
        }
    }
    super::access::memberships_in(&mut tx, &pending, &moves).await?;
    // The refund window: a sale's credit is held, and a refund of a held sale is held with it.
    let hold = store.sale_hold();
    if hold > 0 {
        let until = crate::store::now() + hold;
        for e in entries.iter_mut().filter(|e| e.kind == EntryKind::Sale) {
            e.clears_at = Some(until);
        }
    }
    ledger::hold_refunds(&mut tx, &mut entries).await?;
    let owed = super::referrals::referral_entries(&mut tx, &pending, &entries, store.referrals());
    entries.extend(owed.await?);
    queued.extend(seller_notes(&mut tx, &pending, &entries).await?);
    ledger::append_into(&mut bundle, &entries)?;
    outbox::enqueue_into(&mut tx, &mut bundle, &queued)?;
    ipn_events::record_into(&mut bundle, &records)?;
    bundle.commit(tx).await?;
    Ok(settled)
}

/// The moves of a transaction that held SQLite's write lock since it read the orders: each
/// applies, and the payment message is the one read.
fn moved_as_loaded(pending: &[Pending], moves: &[orders::Move]) -> Vec<orders::Moved> {
    moves
        .iter()
        .map(|m| orders::Moved {
            order_id: m.order_id,
            payment_message_id: pending
                .iter()
                .find(|p| p.row.order.id == m.order_id)
                .and_then(|p| p.row.order.payment_message_id),
        })
        .collect()
}

/// The batch's orders, read by the transaction's first statement.
async fn load(
    tx: &mut WriteTx,
    reports: &[PaymentReport],
    digests: &[Option<String>],
) -> Result<Vec<Pending>, StoreError> {
    let payment_ids: Vec<&str> = reports.iter().map(|r| r.payment_id.as_str()).collect();
    let order_ids: Vec<i64> = reports.iter().filter_map(|r| r.order_id).collect();
    let digests: Vec<&str> = digests.iter().flatten().map(String::as_str).collect();
    let opening = tx.opening();
    let rows = orders::load_for_settlement(
        tx,
        opening,
        &dedup(payment_ids),
        &dedup(order_ids),
        &dedup(digests),
    )
    .await?;
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

/// The seller's message for each ledger entry of the batch, with the amount and, for an entry
/// that clears at once, the available balance right after it (read once, then carried forward
/// entry by entry; an entry held for the refund window leaves it out, and then nothing is read).
async fn seller_notes(
    conn: &mut Conn,
    pending: &[Pending],
    entries: &[NewEntry],
) -> Result<Vec<Queued>, StoreError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let shown: Vec<i64> = dedup(
        entries
            .iter()
            .filter(|e| e.clears_at.is_none())
            .map(|e| e.seller_id)
            .collect(),
    );
    let mut balances = ledger::available_in(conn, &shown).await?;
    let mut notes = Vec::with_capacity(entries.len());
    for e in entries {
        // A held entry does not move what can be paid out, and its note does not show it.
        let balance = match (e.clears_at, balances.get_mut(&e.seller_id)) {
            (None, Some(balance)) => {
                balance.0 += e.kind.signed(e.amount).0;
                Some(*balance)
            }
            _ => None,
        };
        let order_id = e.order_id.unwrap_or_default();
        let row = pending
            .iter()
            .find(|p| p.row.order.id == order_id)
            .map(|p| &p.row);
        let title = row.map(|r| r.title.clone()).unwrap_or_default();
        // A seller without a payout wallet is reminded to set one with each sale.
        let has_wallet = row.is_none_or(|r| r.seller_has_wallet);
        let mut args = vec![
            ("title", title),
            ("order", order_id.to_string()),
            ("amount", e.amount.to_string()),
            (
                "clears",
                e.clears_at
                    .map_or_else(|| "now".to_string(), crate::i18n::date),
            ),
        ];
        args.extend(balance.map(|b| ("balance", b.to_string())));
        let (what, key) = match e.kind {
            EntryKind::Refund => ("refund_debited", "seller-refund"),
            EntryKind::Referral => ("referral", "referral-earned"),
            EntryKind::ReferralReversal => ("referral_reversed", "referral-reversed"),
            _ if !has_wallet => ("sold", "seller-sale-no-wallet"),
            _ => ("sold", "seller-sale"),
        };
        notes.push(Queued {
            dedupe_key: format!("order:{order_id}:{what}"),
            to: Recipient::Chat(e.seller_id),
            message: OutboxMessage::text(key, &args),
        });
    }
    Ok(notes)
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
                            to: Recipient::Chat(p.row.order.buyer_id),
                            message: OutboxMessage::text("paid-but-sold-out", &args),
                        });
                        let order = *order_id;
                        let buttons =
                            vec![OrderButton::Refund { order }, OrderButton::Open { order }];
                        queued.push(outbox::alert_admins(
                            &format!("order:{order_id}:paid_sold_out"),
                            OutboxMessage::alert("admin-paid-but-sold-out", &args, buttons),
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
