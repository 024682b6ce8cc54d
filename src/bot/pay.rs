//! Before payment: product cards, choosing how to pay (and a phone number for mobile money),
//! billing the order (its message: `payment_message`). After it: `purchases`.

use super::action::Action;
use super::card;
use super::catalog::back;
use super::payment_message::{self, choice_label};
use super::purchases::{self, own_order};
use super::screen::{self, Place};
use super::state::State;
use super::{Deps, HandlerResult, Who};
use crate::domain::phone::PhoneNumber;
use crate::domain::product::ProductKind;
use crate::payments::GatewayError;
use crate::payments::currencies::label;
use crate::payments::rail::{Choice, Label, Presentation};
use crate::services::checkout::{Buyer, CheckoutError};
use crate::store::orders;
use crate::store::stock;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{
    ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup,
    KeyboardRemove,
};

pub async fn on_press(
    bot: Bot,
    who: Who,
    q: CallbackQuery,
    deps: Arc<Deps>,
    action: Action,
) -> HandlerResult {
    let answer = bot.answer_callback_query(q.id.clone());
    let place = Place::of(&q);
    match action {
        Action::Product(id) => {
            answer.await?;
            card::show_product(bot, who, deps, id, place).await
        }
        Action::Purchases(page) => {
            answer.await?;
            let page = page.clamp(0, super::action::MAX_PAGE);
            purchases::purchases(bot, who, deps, page, place).await
        }
        Action::Buy(id) => {
            answer.await?;
            choose_currency(bot, who, deps, id, place).await
        }
        Action::Check(order_id) => {
            let text = purchases::status_answer(&deps, &who, order_id).await?;
            answer.text(text).show_alert(true).await?;
            Ok(())
        }
        Action::Cancel(order_id) => {
            let text = match own_order(&deps, &who, order_id).await? {
                None => who.t("not-your-order"),
                Some(order) if orders::cancel(&deps.core.store, order_id, who.id).await? => {
                    payment_message::close_cancelled(&bot, &who, &deps, &q, &order).await;
                    who.t("order-cancelled")
                }
                Some(_) => who.t("order-not-cancellable"),
            };
            answer.text(text).show_alert(true).await?;
            Ok(())
        }
        Action::Simulate(order_id) => {
            let text = match (
                own_order(&deps, &who, order_id).await?,
                &deps.core.simulator,
            ) {
                (None, _) => who.t("not-your-order"),
                (Some(_), None) => who.t("simulate-unavailable"),
                (Some(order), Some(sim))
                    if order.status.is_open() && order.payment_id.is_some() =>
                {
                    sim.simulate(&order);
                    who.t("simulate-started")
                }
                (Some(_), Some(_)) => who.t("order-not-payable"),
            };
            answer.text(text).await?;
            Ok(())
        }
        Action::Redownload(order_id) => {
            answer.await?;
            purchases::redeliver(bot, who, deps, order_id).await
        }
        Action::Link(order_id) => {
            answer.await?;
            purchases::link(bot, who, deps, order_id).await
        }
        _ => {
            answer.await?;
            Ok(())
        }
    }
}

pub(super) async fn choose_currency(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    product_id: i64,
    place: Place,
) -> HandlerResult {
    if crate::store::users::is_banned(&deps.core.store, who.id).await? {
        bot.send_message(who.chat(), who.t("account-banned"))
            .await?;
        return Ok(());
    }
    let Some(product) = card::buyable(&bot, &who, &deps, product_id, place).await? else {
        return Ok(());
    };
    if product.kind == ProductKind::Items
        && stock::available(&deps.core.store, product.id).await? == 0
    {
        bot.send_message(who.chat(), who.t("sold-out")).await?;
        return Ok(());
    }
    let choices = match deps.core.rails.choices().await {
        Ok(c) if !c.is_empty() => c,
        Ok(_) => {
            bot.send_message(who.chat(), who.t("no-currencies")).await?;
            return Ok(());
        }
        Err(e) => {
            tracing::warn!(error = %e, "no payment choices available");
            bot.send_message(who.chat(), who.t("provider-down")).await?;
            return Ok(());
        }
    };
    let button = |c: &Choice| {
        InlineKeyboardButton::callback(
            choice_label(&who, c),
            Action::Pay(product.id, c.code.clone()).encode(),
        )
    };
    // Choices with a label of their own (Stars, mobile money) get a row each, first; coins
    // share rows of three.
    let (own_rows, coins): (Vec<&Choice>, Vec<&Choice>) = choices
        .iter()
        .partition(|c| matches!(c.label, Label::Key(_)));
    let mut rows: Vec<Vec<InlineKeyboardButton>> =
        own_rows.into_iter().map(|c| vec![button(c)]).collect();
    rows.extend(
        coins
            .chunks(3)
            .map(|row| row.iter().map(|c| button(c)).collect()),
    );
    rows.push(vec![back(&who, Action::Product(product.id))]);
    let (quote, coupon) = deps.checkout.quote_for(who.id, &product).await?;
    let mut text = who.html(
        "choose-currency",
        &[("title", product.title), ("total", quote.total.to_string())],
    );
    if let Some(c) = coupon {
        let line = who.html(
            "coupon-line",
            &[("code", c.code), ("discount", quote.discount.to_string())],
        );
        text = format!("{text}\n{line}");
    }
    // "Have a code?" only when some code could apply to this product.
    if crate::store::coupons::any_for(&deps.core.store, product.id, product.seller_id).await? {
        let have_a_code = InlineKeyboardButton::callback(
            who.t("button-have-a-code"),
            Action::CouponAsk(product.id).encode(),
        );
        let back_row = rows.pop();
        rows.push(vec![have_a_code]);
        rows.extend(back_row);
    }
    let keyboard = Some(InlineKeyboardMarkup::new(rows));
    screen::below_photo(&bot, &who, place, text, keyboard).await
}

/// A choice was pressed: ask for a phone number first when it needs one, else bill the order.
pub async fn pay_pressed(
    bot: Bot,
    who: Who,
    q: CallbackQuery,
    deps: Arc<Deps>,
    dialogue: super::ChatDialogue,
    product_id: i64,
    code: String,
) -> HandlerResult {
    let buyer_name = q.from.full_name();
    // An unknown or unavailable choice goes on to checkout, which says why it cannot be paid.
    let needs_phone = matches!(
        deps.core.rails.choice(&code).await,
        Ok(Some((_, choice))) if choice.needs_phone
    );
    if needs_phone {
        dialogue
            .update(State::PayPhone {
                product_id,
                code,
                name: buyer_name,
            })
            .await?;
        let share =
            KeyboardButton::new(who.t("button-share-phone")).request(ButtonRequest::Contact);
        bot.send_message(who.chat(), who.t("phone-ask"))
            .reply_markup(
                KeyboardMarkup::new(vec![vec![share]])
                    .one_time_keyboard()
                    .resize_keyboard(),
            )
            .await?;
        return Ok(());
    }
    let buyer = Buyer {
        id: who.id,
        name: &buyer_name,
        phone: None,
    };
    pay(bot, who, deps, buyer, product_id, &code, Place::of(&q)).await
}

/// The phone number for a mobile-money payment: shared with the button or typed.
pub async fn receive_phone(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: super::ChatDialogue,
    (product_id, code, name): (i64, String, String),
) -> HandlerResult {
    let phone = match (msg.contact(), msg.text()) {
        (Some(contact), _) => PhoneNumber::from_contact(&contact.phone_number),
        (None, Some(text)) => PhoneNumber::parse(text),
        (None, None) => None,
    };
    let Some(phone) = phone else {
        bot.send_message(who.chat(), who.t("phone-invalid")).await?;
        return Ok(());
    };
    dialogue.exit().await?;
    bot.send_message(
        who.chat(),
        who.tr("phone-received", &[("phone", phone.to_string())]),
    )
    .reply_markup(KeyboardRemove::new())
    .await?;
    let buyer = Buyer {
        id: who.id,
        name: &name,
        phone: Some(phone.as_str()),
    };
    pay(bot, who, deps, buyer, product_id, &code, Place::New).await
}

/// Bills the order and shows its payment message, in place of the menu of ways to pay
/// (`place`) when the checkout succeeds.
async fn pay(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    buyer: Buyer<'_>,
    product_id: i64,
    coin: &str,
    place: Place,
) -> HandlerResult {
    let payable = match deps.checkout.start(&buyer, product_id, coin).await {
        Ok(done) => done,
        Err(e) => {
            let text = match &e {
                CheckoutError::ProductUnavailable => who.t("product-unavailable"),
                CheckoutError::Banned => who.t("account-banned"),
                CheckoutError::SoldOut => who.t("sold-out"),
                CheckoutError::CurrencyNotOffered => who.t("currency-not-offered"),
                CheckoutError::PhoneNeeded => who.t("phone-invalid"),
                CheckoutError::BelowMinimum { minimum_usd } => who.tr(
                    "below-minimum",
                    &[("coin", label(coin)), ("minimum", minimum_usd.clone())],
                ),
                CheckoutError::Provider(
                    GatewayError::Unavailable(_) | GatewayError::BadResponse(_),
                ) => who.t("provider-down"),
                CheckoutError::Provider(_) => who.t("provider-refused"),
                CheckoutError::Coupon(reason) => who.t(refusal_key(*reason)),
                CheckoutError::Store(_) => who.t("error-generic"),
            };
            tracing::warn!(product_id, coin, error = %e, "checkout failed");
            bot.send_message(who.chat(), text).await?;
            return Ok(());
        }
    };
    // Under a product's cover, the QR code takes the cover's place.
    let over = match place {
        Place::Photo(cover) => Some(cover),
        _ => None,
    };
    let message = match payable.presentation {
        // Telegram's invoice closes itself once paid.
        Presentation::Invoice => {
            super::stars::send_invoice(&bot, &who, &payable, deps.public_url.as_ref()).await?;
            None
        }
        Presentation::Link => {
            Some(payment_message::show_link(&bot, &who, &deps, &payable, over).await?)
        }
        Presentation::Address => {
            Some(payment_message::show_address(&bot, &who, &deps, &payable, over).await?)
        }
    };
    // Remembered so that closing the order (paid, expired, cancelled) edits it.
    if let Some(message) = &message {
        let (order_id, message_id) = (payable.order.id, i64::from(message.id.0));
        // Settled already (a payment faster than this message): closed here and now.
        let settled = orders::set_payment_message(&deps.core.store, order_id, message_id).await?;
        if let Some(key) = settled.and_then(crate::services::settlement::closed_key) {
            let args = [
                ("title", payable.product.title.clone()),
                ("order", order_id.to_string()),
            ];
            let text = who.tr(key, &args);
            if let Err(e) = crate::delivery::edit::rewrite(&bot, who.chat(), message_id, text).await
            {
                tracing::warn!(order_id, error = %e, "could not close the payment message");
            }
        }
    }
    // The menu of ways to pay has done its job: the payment message replaces it.
    if let Place::Edit(menu) | Place::Photo(menu) = place
        && message.map(|m| m.id) != Some(menu)
    {
        screen::remove(&bot, &who, menu).await;
    }
    Ok(())
}

/// The message key for a code that cannot be used.
pub(super) fn refusal_key(reason: crate::domain::coupon::Unusable) -> &'static str {
    use crate::domain::coupon::Unusable;
    match reason {
        Unusable::Unknown => "coupon-unknown",
        Unusable::Expired => "coupon-expired",
        Unusable::UsedUp => "coupon-used-up",
        Unusable::NotForThis => "coupon-not-for-this",
        Unusable::AlreadyUsed => "coupon-already-used",
    }
}
