//! Telegram Stars (currency XTR): the invoice, the pre-checkout answer (within Telegram's 10 s),
//! and the `successful_payment` that settles the order through the same path as an IPN.
//! `telegram_payment_charge_id` is the order's payment id (unique): a repeated payment message
//! never delivers twice, and an old invoice paid again is caught.

use super::{Deps, HandlerResult, Who};
use crate::domain::OrderStatus;
use crate::domain::price::stars_for;
use crate::domain::product::ProductKind;
use crate::services::checkout::{CheckoutError, STARS};
use crate::services::settlement;
use crate::store::orders::{self, AttachedPayment};
use crate::store::outbox;
use crate::store::{products, stock};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{LabeledPrice, PreCheckoutQuery, SuccessfulPayment};

/// The invoice payload: names the order, nothing else.
fn payload(order_id: i64) -> String {
    format!("souk-order-{order_id}")
}

fn order_of(payload: &str) -> Option<i64> {
    payload.strip_prefix("souk-order-")?.parse().ok()
}

/// Sends the Stars invoice for a product (creating or reusing the buyer's order).
pub async fn invoice(bot: &Bot, who: &Who, deps: &Deps, product_id: i64) -> HandlerResult {
    let (order, product, stars) = match deps.checkout.start_stars(who.id, product_id).await {
        Ok(done) => done,
        Err(e) => {
            let key = match e {
                CheckoutError::Banned => "account-banned",
                CheckoutError::SoldOut => "sold-out",
                CheckoutError::Store(_) => "error-generic",
                _ => "product-unavailable",
            };
            bot.send_message(who.chat(), who.t(key)).await?;
            return Ok(());
        }
    };
    let description: String = product.description.chars().take(255).collect();
    let label = who.tr("stars-price-label", &[("order", order.id.to_string())]);
    bot.send_invoice(
        who.chat(),
        product.title.chars().take(32).collect::<String>(),
        if description.is_empty() {
            product.title.clone()
        } else {
            description
        },
        payload(order.id),
        "XTR",
        vec![LabeledPrice::new(label, stars)],
    )
    .await?;
    tracing::info!(order_id = order.id, stars, "Stars invoice sent");
    Ok(())
}

/// Why an order cannot be paid now, as a locale key; `None` when it can.
async fn refusal(
    deps: &Deps,
    buyer: i64,
    order_id: i64,
    stars: u32,
) -> anyhow::Result<Option<&'static str>> {
    let Some(order) = orders::get(&deps.store, order_id).await? else {
        return Ok(Some("stars-refused-unavailable"));
    };
    if order.buyer_id != buyer || order.pay_currency != STARS {
        return Ok(Some("stars-refused-unavailable"));
    }
    let Some(product) = products::get(&deps.store, order.product_id).await? else {
        return Ok(Some("stars-refused-unavailable"));
    };
    if order.payment_id.is_some() {
        return Ok(Some("stars-refused-paid"));
    }
    if order.status != OrderStatus::Created {
        // Its reservation lapsed: say whether anything is left to buy.
        let gone = product.kind == ProductKind::Items
            && stock::available(&deps.store, product.id).await? == 0;
        return Ok(Some(if gone {
            "sold-out"
        } else {
            "stars-refused-expired"
        }));
    }
    if !product.is_buyable() {
        return Ok(Some("stars-refused-unavailable"));
    }
    if product.kind == ProductKind::Items {
        let mut conn = deps.store.pool().acquire().await?;
        if stock::of_order(&mut conn, order.id).await?.is_none() {
            return Ok(Some("sold-out"));
        }
    }
    let rate = deps.checkout.stars_per_usd;
    if rate.and_then(|r| stars_for(order.total, r)) != Some(stars) {
        return Ok(Some("stars-refused-price"));
    }
    Ok(None)
}

/// Telegram asks whether the payment may go ahead; it waits at most 10 seconds for the answer.
pub async fn pre_checkout(bot: Bot, q: PreCheckoutQuery, deps: Arc<Deps>) -> HandlerResult {
    let buyer = i64::try_from(q.from.id.0).unwrap_or_default();
    let lang = crate::i18n::negotiate(q.from.language_code.as_deref(), &deps.default_language);
    let verdict = match order_of(&q.invoice_payload) {
        None => Some("stars-refused-unavailable"),
        Some(order_id) if q.currency != "XTR" => {
            tracing::warn!(order_id, currency = %q.currency, "pre-checkout in another currency");
            Some("stars-refused-price")
        }
        Some(order_id) => refusal(&deps, buyer, order_id, q.total_amount).await?,
    };
    match verdict {
        None => {
            bot.answer_pre_checkout_query(q.id, true).await?;
        }
        Some(key) => {
            tracing::info!(payload = %q.invoice_payload, reason = key, "Stars pre-checkout refused");
            bot.answer_pre_checkout_query(q.id, false)
                .error_message(crate::i18n::t(&lang, key))
                .await?;
        }
    }
    Ok(())
}

/// The payment went through: attach its charge id (unique) and settle the order as finished.
pub async fn paid(msg: Message, deps: Arc<Deps>) -> HandlerResult {
    let Some(payment) = msg.successful_payment() else {
        return Ok(());
    };
    let Some(order_id) = order_of(&payment.invoice_payload) else {
        tracing::error!(payload = %payment.invoice_payload, "Stars payment for no order");
        return Ok(());
    };
    settle(&deps, order_id, payment).await?;
    deps.outbox_wake.notify_one();
    Ok(())
}

async fn settle(deps: &Deps, order_id: i64, payment: &SuccessfulPayment) -> anyhow::Result<()> {
    let charge = payment.telegram_payment_charge_id.0.as_str();
    let Some(order) = orders::get(&deps.store, order_id).await? else {
        return Ok(());
    };
    let stars = payment.total_amount.to_string();
    let attached = orders::attach_payment(
        &deps.store,
        order_id,
        &AttachedPayment {
            payment_id: charge,
            pay_address: "telegram",
            pay_amount: &stars,
            expires_at: None,
        },
    )
    .await;
    match attached {
        Ok(true) => {}
        // Another charge paid this order already: an old invoice was paid again.
        Ok(false) | Err(_) => {
            if order.payment_id.as_deref() != Some(charge) {
                tracing::error!(order_id, "a Stars invoice was paid twice");
                alert_paid_twice(deps, order_id, charge).await?;
                return Ok(());
            }
        }
    }
    let mut report = order.clone();
    report.payment_id = Some(charge.to_string());
    let (body, raw) = settlement::synthetic_report(&report, charge, "finished", "telegram-stars");
    let mut body = body;
    body.actually_paid = crate::payments::CryptoAmount::parse(&stars);
    let settled = settlement::apply(&deps.store, &deps.admin_ids, &body, &raw).await?;
    tracing::info!(
        order_id,
        outcome = settled.outcome.as_str(),
        "Stars payment settled"
    );
    Ok(())
}

async fn alert_paid_twice(deps: &Deps, order_id: i64, charge: &str) -> anyhow::Result<()> {
    let args = [
        ("order", order_id.to_string()),
        ("charge", charge.to_string()),
    ];
    let queued = outbox::to_admins(
        &deps.admin_ids,
        &format!("stars-paid-twice:{charge}"),
        "admin-stars-paid-twice",
        &args,
    );
    outbox::enqueue_now(&deps.store, &queued).await?;
    Ok(())
}
