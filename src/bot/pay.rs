//! Before payment: product cards, choosing how to pay (and a phone number for mobile money), the
//! payment message of each rail. After it: `purchases`.

use super::action::Action;
use super::catalog::back;
use super::purchases::{self, own_order};
use super::screen::{self, Place};
use super::state::State;
use super::{Deps, HandlerResult, Who, qr};
use crate::domain::phone::PhoneNumber;
use crate::domain::product::ProductKind;
use crate::payments::GatewayError;
use crate::payments::currencies::label;
use crate::payments::rail::{Choice, Label, Presentation};
use crate::payments::uri::payment_uri;
use crate::services::checkout::{Buyer, CheckoutError, Payable};
use crate::store::orders;
use crate::store::products::{self, Product};
use crate::store::stock;
use std::sync::Arc;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{
    ButtonRequest, CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup, InputFile,
    KeyboardButton, KeyboardMarkup, KeyboardRemove, ParseMode,
};

pub async fn show_product(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    id: i64,
    place: Place,
) -> HandlerResult {
    let Some(product) = buyable(&bot, &who, &deps, id, place).await? else {
        return Ok(());
    };
    let quote = deps.checkout.quote(&product);
    let mut text = who.html(
        "product-card",
        &[
            ("title", product.title.clone()),
            ("description", product.description.clone()),
            ("price", product.price.to_string()),
            ("total", quote.total.to_string()),
        ],
    );
    let left = match product.kind {
        ProductKind::Items => Some(stock::available(&deps.core.store, product.id).await?),
        _ => None,
    };
    if let Some(n) = left.filter(|n| *n > 0) {
        text = format!(
            "{text}\n{}",
            who.html("stock-left", &[("count", n.to_string())])
        );
    }
    let label = match left {
        Some(0) => who.t("buy-button-sold-out"),
        _ => who.tr("buy-button", &[("price", quote.total.to_string())]),
    };
    let keyboard = InlineKeyboardMarkup::new([
        vec![InlineKeyboardButton::callback(
            label,
            Action::Buy(product.id).encode(),
        )],
        vec![back(&who, Action::Categories)],
    ]);
    screen::show(&bot, &who, place, text, Some(keyboard)).await
}

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
            show_product(bot, who, deps, id, place).await
        }
        Action::Purchases => {
            answer.await?;
            purchases::purchases(bot, who, deps).await
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
                    close_cancelled(&bot, &who, &deps, &q, &order).await;
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

/// The product, when it can still be bought; else the buyer is told it is unavailable.
async fn buyable(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    id: i64,
    place: Place,
) -> Result<Option<Product>, super::BoxError> {
    let product = products::get(&deps.core.store, id)
        .await?
        .filter(Product::is_buyable);
    if product.is_none() {
        let keyboard = InlineKeyboardMarkup::new([[back(who, Action::Categories)]]);
        let text = who.html("product-unavailable", &[]);
        screen::show(bot, who, place, text, Some(keyboard)).await?;
    }
    Ok(product)
}

/// The payment message of a cancelled order, rewritten in place: its address marked void and
/// its buttons gone. (Settlement does the same for orders paid, expired or failed.)
async fn close_cancelled(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    q: &CallbackQuery,
    order: &orders::Order,
) {
    let Some(message) = q.regular_message() else {
        return;
    };
    let title = products::get(&deps.core.store, order.product_id)
        .await
        .ok()
        .flatten()
        .map(|p| p.title)
        .unwrap_or_default();
    let text = who.tr(
        "payment-closed-cancelled",
        &[("order", order.id.to_string()), ("title", title)],
    );
    let id = i64::from(message.id.0);
    if let Err(e) = crate::delivery::edit::rewrite(bot, who.chat(), id, text).await {
        tracing::warn!(order_id = order.id, error = %e, "could not close the payment message");
    }
}

async fn choose_currency(
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
    let Some(product) = buyable(&bot, &who, &deps, product_id, place).await? else {
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
    let total = deps.checkout.quote(&product).total;
    let text = who.html(
        "choose-currency",
        &[("title", product.title), ("total", total.to_string())],
    );
    screen::show(
        &bot,
        &who,
        place,
        text,
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await
}

/// How a payment choice is named to this user.
fn choice_label(who: &Who, c: &Choice) -> String {
    match &c.label {
        Label::Key(key) => who.t(key),
        Label::Text(text) => text.clone(),
    }
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
                CheckoutError::Store(_) => who.t("error-generic"),
            };
            tracing::warn!(product_id, coin, error = %e, "checkout failed");
            bot.send_message(who.chat(), text).await?;
            return Ok(());
        }
    };
    let message = match payable.presentation {
        // Telegram's invoice closes itself once paid.
        Presentation::Invoice => {
            super::stars::send_invoice(&bot, &who, &payable).await?;
            None
        }
        Presentation::Link => Some(show_link(&bot, &who, &deps, &payable).await?),
        Presentation::Address => Some(show_address(&bot, &who, &deps, &payable).await?),
    };
    // Remembered so that closing the order (paid, expired, cancelled) edits it.
    if let Some(message) = message {
        let (order_id, message_id) = (payable.order.id, i64::from(message.id.0));
        orders::set_payment_message(&deps.core.store, order_id, message_id).await?;
    }
    // The menu of ways to pay has done its job: the payment message replaces it.
    if let Place::Edit(menu) = place
        && let Err(e) = bot.delete_message(who.chat(), menu).await
    {
        tracing::debug!(error = %e, "could not delete the payment choices");
    }
    Ok(())
}

/// The order's lines every payment message starts with (HTML: every value escaped).
fn order_caption(
    who: &Who,
    deps: &Deps,
    key: &str,
    p: &Payable,
    extra: &[(&str, String)],
) -> String {
    let order = &p.order;
    let mut args = vec![
        ("title", p.product.title.clone()),
        ("order", order.id.to_string()),
        ("price", order.price.to_string()),
        ("commission", order.commission.to_string()),
        (
            "percent",
            deps.checkout.commission.percent().normalize().to_string(),
        ),
        ("total", order.total.to_string()),
        ("amount", order.pay_amount.clone().unwrap_or_default()),
        ("kind", p.product.kind.as_str().to_string()),
        (
            "expires",
            crate::i18n::expiry(&who.lang, order.expiry(), crate::store::now()),
        ),
    ];
    args.extend(extra.iter().cloned());
    who.html(key, &args)
}

/// A mobile-money checkout: the provider's page as a URL button, and a QR code of it.
async fn show_link(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    p: &Payable,
) -> Result<Message, RequestError> {
    let order = &p.order;
    let url = order.pay_address.clone().unwrap_or_default();
    let caption = order_caption(
        who,
        deps,
        "mobile-payment-caption",
        p,
        &[
            ("provider", choice_label(who, &p.choice)),
            ("currency", p.choice.unit.clone()),
        ],
    );
    let mut rows = Vec::new();
    if let Ok(link) = url::Url::parse(&url) {
        rows.push(vec![InlineKeyboardButton::url(
            who.t("button-open-checkout"),
            link,
        )]);
    }
    rows.push(status_row(who, order.id));
    let png = p.qr_png.clone().or_else(|| qr::png(&url));
    send_with_qr(bot, who, png, caption, InlineKeyboardMarkup::new(rows)).await
}

/// A crypto payment: the address and the exact amount (tap to copy, and copy buttons), and a
/// QR code of the payment URI.
async fn show_address(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    p: &Payable,
) -> Result<Message, RequestError> {
    let order = &p.order;
    let address = order.pay_address.clone().unwrap_or_default();
    let amount = order.pay_amount.clone().unwrap_or_default();
    let mut caption = order_caption(
        who,
        deps,
        "payment-caption",
        p,
        &[
            ("coin", p.choice.unit.clone()),
            ("address", address.clone()),
        ],
    );
    let copy = |key: &str, text: &str| {
        InlineKeyboardButton::copy_text_button(
            who.t(key),
            CopyTextButton {
                text: text.to_string(),
            },
        )
    };
    let mut rows = Vec::new();
    // Telegram copies at most 256 characters from a button.
    if (1..=256).contains(&address.len()) && (1..=256).contains(&amount.len()) {
        rows.push(vec![
            copy("button-copy-amount", &amount),
            copy("button-copy-address", &address),
        ]);
    }
    rows.push(status_row(who, order.id));
    if deps.core.simulator.is_some() {
        caption = format!("{caption}\n\n{}", who.html("sandbox-payment-notice", &[]));
        rows.push(vec![InlineKeyboardButton::callback(
            who.t("button-simulate"),
            Action::Simulate(order.id).encode(),
        )]);
    }
    let uri = payment_uri(&order.pay_currency, &address, &amount);
    send_with_qr(
        bot,
        who,
        qr::png(&uri),
        caption,
        InlineKeyboardMarkup::new(rows),
    )
    .await
}

/// "Check status" and "Cancel" for an order waiting for its payment.
fn status_row(who: &Who, order_id: i64) -> Vec<InlineKeyboardButton> {
    vec![
        InlineKeyboardButton::callback(
            who.t("button-check-status"),
            Action::Check(order_id).encode(),
        ),
        InlineKeyboardButton::callback(
            who.t("button-cancel-order"),
            Action::Cancel(order_id).encode(),
        ),
    ]
}

/// The payment message (HTML): a photo of the QR code with the caption, or the caption alone.
async fn send_with_qr(
    bot: &Bot,
    who: &Who,
    png: Option<Vec<u8>>,
    caption: String,
    keyboard: InlineKeyboardMarkup,
) -> Result<Message, RequestError> {
    match png {
        Some(png) => {
            bot.send_photo(who.chat(), InputFile::memory(png).file_name("payment.png"))
                .caption(caption)
                .parse_mode(ParseMode::Html)
                .reply_markup(keyboard)
                .await
        }
        None => {
            bot.send_message(who.chat(), caption)
                .parse_mode(ParseMode::Html)
                .link_preview_options(screen::no_preview())
                .reply_markup(keyboard)
                .await
        }
    }
}
