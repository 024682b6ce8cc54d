//! Telegram Stars orders: whether an invoice may be paid now, and settling a paid one through
//! the same path as an IPN. `telegram_payment_charge_id` becomes the order's payment id (unique):
//! a repeated payment message never delivers twice, and an old invoice paid again is caught.

use super::settlement::Settler;
use crate::domain::OrderStatus;
use crate::domain::product::ProductKind;
use crate::domain::report::{Amount, PaymentReport};
use crate::payments::rail::STARS;
use crate::payments::rails::Rails;
use crate::payments::stars::IncomingCharge;
use crate::store::orders::{self, AttachedPayment};
use crate::store::star_refunds::{self, Owed};
use crate::store::{Store, StoreError, is_unique_violation, outbox, products, stock};
use rust_decimal::Decimal;

/// The invoice payload: names the order, nothing else.
pub fn invoice_payload(order_id: i64) -> String {
    format!("souk-order-{order_id}")
}

pub fn order_of(payload: &str) -> Option<i64> {
    payload.strip_prefix("souk-order-")?.parse().ok()
}

/// An invoice link for a Stars order (`createInvoiceLink`), opened by Telegram wherever the
/// buyer taps it (a button in the chat, `openInvoice` in the Mini App). A 30-day access is a
/// Stars subscription: Telegram renews it every 30 days by itself (`subscription_period`).
pub async fn invoice_link(
    bot: &teloxide::Bot,
    payable: &super::checkout::Payable,
    label: String,
    public_url: Option<&url::Url>,
) -> Result<String, teloxide::RequestError> {
    use crate::domain::access::{DAY, STARS_PERIOD_DAYS};
    use teloxide::payloads::CreateInvoiceLinkSetters;
    use teloxide::prelude::Requester;
    use teloxide::types::{LabeledPrice, Seconds};
    let (order, product) = (&payable.order, &payable.product);
    let stars = payable.stars.unwrap_or_default();
    let title: String = product.title.chars().take(32).collect();
    let description: String = product.description.chars().take(255).collect();
    let description = if description.is_empty() {
        product.title.clone()
    } else {
        description
    };
    let mut link = bot.create_invoice_link(
        title,
        description,
        invoice_payload(order.id),
        "XTR",
        vec![LabeledPrice::new(label, stars)],
    );
    if product.kind == ProductKind::Access && product.access_days == Some(STARS_PERIOD_DAYS) {
        let period = u32::try_from(STARS_PERIOD_DAYS * DAY).unwrap_or(u32::MAX);
        link = link.subscription_period(Seconds::from_seconds(period));
    }
    let cover = product.photo.as_ref().and(public_url);
    if let Some(url) = cover.and_then(|base| crate::http::covers::cover_url(base, product.id)) {
        link = link.photo_url(url);
    }
    link.await
}

/// Why a Stars invoice may not be paid now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Unknown order, someone else's, or a product no longer in the shop.
    Unavailable,
    Paid,
    /// The order lapsed, its item went back to stock.
    Expired,
    SoldOut,
    /// The invoice's amount or currency is not the order's price.
    Price,
}

/// Decides a pre-checkout: `Ok(())` when `buyer` may pay `stars` for the order of `payload`.
pub async fn may_pay(
    store: &Store,
    rails: &Rails,
    buyer: i64,
    payload: &str,
    currency: &str,
    stars: u32,
) -> Result<Result<(), Refusal>, StoreError> {
    let Some(order) = order_of(payload) else {
        return Ok(Err(Refusal::Unavailable));
    };
    let Some(order) = orders::get(store, order).await? else {
        return Ok(Err(Refusal::Unavailable));
    };
    if order.buyer_id != buyer || order.pay_currency != STARS {
        return Ok(Err(Refusal::Unavailable));
    }
    if currency != "XTR" {
        return Ok(Err(Refusal::Price));
    }
    let Some(product) = products::get(store, order.product_id).await? else {
        return Ok(Err(Refusal::Unavailable));
    };
    if !matches!(
        order.status,
        OrderStatus::Created | OrderStatus::Expired | OrderStatus::Cancelled | OrderStatus::Failed
    ) {
        return Ok(Err(Refusal::Paid));
    }
    if order.status != OrderStatus::Created {
        // Its reservation lapsed: say whether anything is left to buy.
        let gone =
            product.kind == ProductKind::Items && stock::available(store, product.id).await? == 0;
        return Ok(Err(if gone {
            Refusal::SoldOut
        } else {
            Refusal::Expired
        }));
    }
    if !product.is_buyable() {
        return Ok(Err(Refusal::Unavailable));
    }
    if product.kind == ProductKind::Items && stock::item_of_order(store, order.id).await?.is_none()
    {
        return Ok(Err(Refusal::SoldOut));
    }
    let due = rails
        .for_code(STARS)
        .and_then(|rail| rail.amount_due(&order));
    if due != Some(Decimal::from(stars)) {
        return Ok(Err(Refusal::Price));
    }
    Ok(Ok(()))
}

/// What a `successful_payment` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paid {
    /// Settled (or a repeat of a settled payment, which changes nothing).
    Settled,
    /// Another charge paid this order already: this one must go back to its buyer.
    PaidTwice,
    /// A second charge that Telegram would not refund yet (the admins were told; the ledger
    /// check tries again).
    RefundFailed,
    UnknownOrder,
}

/// Attaches the charge to the order, then settles it as a `finished` report would.
pub async fn settle_paid(
    settler: &Settler,
    payload: &str,
    charge: &str,
    stars: u32,
) -> Result<Paid, StoreError> {
    let store = settler.store();
    let Some(order) = order_of(payload) else {
        return Ok(Paid::UnknownOrder);
    };
    let Some(order) = orders::get(store, order).await? else {
        return Ok(Paid::UnknownOrder);
    };
    let stars = stars.to_string();
    let payment = AttachedPayment {
        payment_id: charge,
        pay_address: "telegram",
        pay_amount: &stars,
        expires_at: None,
    };
    let attached = match orders::attach_payment(store, order.id, &payment).await {
        Ok(attached) => attached,
        // The charge id belongs to another order already.
        Err(StoreError::Db(e)) if is_unique_violation(&e) => false,
        Err(e) => return Err(e),
    };
    if !attached {
        tracing::error!(order_id = order.id, "a Stars invoice was paid twice");
        return Ok(Paid::PaidTwice);
    }
    let report = PaymentReport::own(
        order.id,
        charge,
        OrderStatus::Finished,
        Amount::parse(&stars),
        "telegram-stars",
        None,
    );
    let settled = settler.settle(report).await?;
    tracing::info!(
        order_id = order.id,
        outcome = settled.outcome.as_str(),
        "Stars payment settled"
    );
    Ok(Paid::Settled)
}

/// Takes a charge Telegram made (told by `successful_payment`, or found in the bot's Star
/// ledger): settles its order once; a second charge for an order another charge paid goes back
/// to its buyer at once (`refundStarPayment`), and the admins hear how that went.
pub async fn take_charge(
    settler: &Settler,
    bot: &teloxide::Bot,
    c: &IncomingCharge,
) -> Result<Paid, StoreError> {
    if c.recurring {
        return subscription(settler, c).await;
    }
    let paid = settle_paid(settler, &c.payload, &c.charge, c.stars).await?;
    if paid != Paid::PaidTwice {
        return Ok(paid);
    }
    let owed = Owed {
        charge: c.charge.clone(),
        buyer_id: c.buyer,
        order_id: order_of(&c.payload),
    };
    give_back(settler, bot, &owed).await
}

/// A Stars subscription's charge. The first settled its order like any payment; a renewal
/// Telegram billed by itself (the first order paid by another charge) is an order of its own,
/// settled once. Either way the membership is marked renewed by Telegram, and takes the end
/// Telegram gave when it is later than souk's.
async fn subscription(settler: &Settler, c: &IncomingCharge) -> Result<Paid, StoreError> {
    let store = settler.store();
    let Some(first) = order_of(&c.payload) else {
        return Ok(Paid::UnknownOrder);
    };
    let Some(first) = orders::get(store, first).await? else {
        return Ok(Paid::UnknownOrder);
    };
    if first.paid_by_another(&c.charge) {
        let stars = c.stars.to_string();
        let renewal = orders::renewals::of_renewal(store, first.id, &c.charge, &stars).await?;
        let report = PaymentReport::own(
            renewal,
            &c.charge,
            OrderStatus::Finished,
            Amount::parse(&stars),
            "telegram-stars-renewal",
            None,
        );
        let settled = settler.settle(report).await?;
        tracing::info!(
            order_id = renewal,
            first = first.id,
            outcome = settled.outcome.as_str(),
            "Stars subscription renewed"
        );
    } else {
        let paid = settle_paid(settler, &c.payload, &c.charge, c.stars).await?;
        if paid != Paid::Settled {
            return Ok(paid);
        }
    }
    let first_charge = first.payment_id.as_deref().unwrap_or(&c.charge);
    crate::store::memberships::by_stars(
        store,
        first.product_id,
        first.buyer_id,
        first_charge,
        c.expires_at,
    )
    .await?;
    Ok(Paid::Settled)
}

/// Refunds a second charge; when Telegram refuses, it is kept owed (`star_refunds_owed`) for the
/// Stars check to try again, and the admins hear either way (once each).
pub async fn give_back(
    settler: &Settler,
    bot: &teloxide::Bot,
    owed: &Owed,
) -> Result<Paid, StoreError> {
    let store = settler.store();
    let order = owed.order_id.unwrap_or_default().to_string();
    let mut args = vec![("order", order), ("charge", owed.charge.clone())];
    let (key, outcome) = match crate::payments::stars::refund(bot, owed.buyer_id, &owed.charge)
        .await
    {
        Ok(()) => {
            tracing::warn!(charge = owed.charge, "a second Stars charge was refunded");
            star_refunds::refunded(store, &owed.charge).await?;
            ("admin-stars-paid-twice", Paid::PaidTwice)
        }
        Err(reason) => {
            tracing::error!(charge = owed.charge, %reason, "a second Stars charge could not be refunded");
            star_refunds::owe(store, owed, &reason).await?;
            args.push(("error", reason));
            ("admin-stars-refund-failed", Paid::RefundFailed)
        }
    };
    let queued = outbox::to_admins(&format!("{key}:{}", owed.charge), key, &args);
    outbox::enqueue_now(store, &[queued]).await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_name_the_order() {
        assert_eq!(order_of(&invoice_payload(42)), Some(42));
        assert_eq!(order_of("souk-order-x"), None);
        assert_eq!(order_of("other-42"), None);
    }
}
