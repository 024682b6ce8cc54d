//! Telegram Stars (currency XTR) in the chat: the invoice, the pre-checkout answer (within
//! Telegram's 10 s) and the `successful_payment`; the rules are in `services::stars`.

use super::{Deps, HandlerResult, Who};

use crate::payments::stars::IncomingCharge;
use crate::services::checkout::Payable;
use crate::services::stars::{self, Paid, Refusal, invoice_payload};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{LabeledPrice, PreCheckoutQuery};

/// Sends the Stars invoice of an order checkout wrote (or reused).
pub async fn send_invoice(
    bot: &Bot,
    who: &Who,
    payable: &Payable,
    public_url: Option<&url::Url>,
) -> HandlerResult {
    let (order, product) = (&payable.order, &payable.product);
    // Checkout prices every Stars order it shows (an unpaid one is billed again).
    let Some(stars) = payable.stars else {
        bot.send_message(who.chat(), who.t("currency-not-offered"))
            .await?;
        return Ok(());
    };
    let description: String = product.description.chars().take(255).collect();
    let monthly = product.kind == crate::domain::product::ProductKind::Access
        && product.access_days == Some(crate::domain::access::STARS_PERIOD_DAYS);
    if monthly {
        return subscribe(bot, who, payable, stars, public_url).await;
    }
    let label = who.tr("stars-price-label", &[("order", order.id.to_string())]);
    let mut invoice = bot.send_invoice(
        who.chat(),
        product.title.chars().take(32).collect::<String>(),
        if description.is_empty() {
            product.title.clone()
        } else {
            description
        },
        invoice_payload(order.id),
        "XTR",
        vec![LabeledPrice::new(label, stars)],
    );
    // Telegram shows an invoice's picture from a URL only: souk serves the cover itself.
    let cover = product.photo.as_ref().and(public_url);
    if let Some(url) = cover.and_then(|base| crate::http::covers::cover_url(base, product.id)) {
        invoice = invoice.photo_url(url);
    }
    invoice.await?;
    tracing::info!(order_id = order.id, stars, "Stars invoice sent");
    Ok(())
}

/// A 30-day access billed as a Stars subscription: Telegram renews it every 30 days by itself
/// (each renewal a `successful_payment` souk turns into an order), until the buyer cancels it
/// in Telegram or an admin's refund does.
async fn subscribe(
    bot: &Bot,
    who: &Who,
    payable: &Payable,
    stars: u32,
    public_url: Option<&url::Url>,
) -> HandlerResult {
    use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
    let (order, product) = (&payable.order, &payable.product);
    let label = who.tr("stars-price-label", &[("order", order.id.to_string())]);
    let link = stars::invoice_link(bot, payable, label, public_url).await?;
    let args = [
        ("title", product.title.clone()),
        ("stars", stars.to_string()),
    ];
    let mut message = bot.send_message(who.chat(), who.tr("stars-subscribe", &args));
    if let Ok(url) = link.parse() {
        let pay = InlineKeyboardButton::url(who.tr("button-stars-subscribe", &args), url);
        message = message.reply_markup(InlineKeyboardMarkup::new([[pay]]));
    }
    message.await?;
    tracing::info!(order_id = order.id, stars, "Stars subscription link sent");
    Ok(())
}

/// The buyer-facing reason for a refusal.
fn refusal_key(r: Refusal) -> &'static str {
    match r {
        Refusal::Unavailable => "stars-refused-unavailable",
        Refusal::Paid => "stars-refused-paid",
        Refusal::Expired => "stars-refused-expired",
        Refusal::SoldOut => "sold-out",
        Refusal::Price => "stars-refused-price",
    }
}

/// Telegram asks whether the payment may go ahead; it waits at most 10 seconds for the answer.
pub async fn pre_checkout(bot: Bot, q: PreCheckoutQuery, deps: Arc<Deps>) -> HandlerResult {
    let buyer = i64::try_from(q.from.id.0).unwrap_or_default();
    let verdict = stars::may_pay(
        &deps.core.store,
        &deps.core.rails,
        buyer,
        &q.invoice_payload,
        &q.currency,
        q.total_amount,
    )
    .await?;
    match verdict {
        Ok(()) => {
            bot.answer_pre_checkout_query(q.id, true).await?;
        }
        Err(refusal) => {
            let key = refusal_key(refusal);
            tracing::info!(payload = %q.invoice_payload, reason = key, "Stars pre-checkout refused");
            // The language the buyer chose in the bot (/language), else their app's.
            let app_language =
                crate::i18n::negotiate(q.from.language_code.as_deref(), &deps.default_language);
            let lang =
                crate::store::users::language_or(&deps.core.store, buyer, &app_language).await;
            bot.answer_pre_checkout_query(q.id, false)
                .error_message(crate::i18n::t(&lang, key))
                .await?;
        }
    }
    Ok(())
}

/// Attempts at recording a payment before the admins are told (Telegram sends it only once).
const ATTEMPTS: u32 = 4;

/// The payment went through: settle the order (a repeat changes nothing). Telegram sends this
/// once, so a database error is retried, then reported to the admins straight through Telegram
/// (the outbox lives in the database); the Stars ledger check settles it later either way.
pub async fn paid(bot: Bot, msg: Message, deps: Arc<Deps>) -> HandlerResult {
    let Some(payment) = msg.successful_payment() else {
        return Ok(());
    };
    let charge = IncomingCharge {
        charge: payment.telegram_payment_charge_id.0.clone(),
        buyer: msg
            .from
            .as_ref()
            .and_then(|u| i64::try_from(u.id.0).ok())
            .unwrap_or(msg.chat.id.0),
        payload: payment.invoice_payload.clone(),
        stars: payment.total_amount,
        recurring: payment.is_recurring,
        expires_at: payment.subscription_expiration_date.map(|d| d.timestamp()),
    };
    let mut wait = std::time::Duration::from_millis(200);
    for attempt in 1..=ATTEMPTS {
        match stars::take_charge(&deps.core.settler, &bot, &charge).await {
            Ok(outcome) => {
                if outcome == Paid::UnknownOrder {
                    tracing::error!(payload = %charge.payload, "Stars payment for no order");
                }
                return Ok(());
            }
            Err(e) if attempt < ATTEMPTS => {
                tracing::warn!(charge = charge.charge, attempt, error = %e, "could not record a Stars payment; retrying");
                tokio::time::sleep(wait).await;
                wait *= 4;
            }
            Err(e) => {
                tracing::error!(charge = charge.charge, error = %e, "could not record a Stars payment");
                let text = crate::i18n::tr(
                    &deps.default_language,
                    "admin-stars-unrecorded",
                    &[
                        ("charge", charge.charge.clone()),
                        ("payload", charge.payload.clone()),
                        ("error", e.to_string()),
                    ],
                );
                for admin in deps.core.admins().iter() {
                    if let Err(e) = bot.send_message(ChatId(*admin), text.clone()).await {
                        tracing::error!(admin, error = %e, "could not alert an admin");
                    }
                }
            }
        }
    }
    Ok(())
}
