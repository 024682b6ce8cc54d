//! The payment message of each rail, as the buyer sees it: the order's lines (HTML), the address
//! and amount to copy with a QR code (crypto), the provider's page (mobile money), the "Check
//! status" and "Cancel" buttons; and the message closed in place once its order is cancelled.

use super::action::Action;
use super::{Deps, Who, qr, screen};
use crate::payments::rail::{Choice, Label};
use crate::payments::uri::payment_uri;
use crate::services::checkout::Payable;
use crate::store::orders;
use crate::store::products;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{
    CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, InputMedia,
    InputMediaPhoto, MessageId, ParseMode,
};

/// The payment message of a cancelled order, rewritten in place: its address marked void and
/// its buttons gone. (Settlement does the same for orders paid, expired or failed.)
pub async fn close_cancelled(
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
pub async fn show_link(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    p: &Payable,
    over: Option<MessageId>,
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
    send_with_qr(
        bot,
        who,
        png,
        caption,
        InlineKeyboardMarkup::new(rows),
        over,
    )
    .await
}

/// A crypto payment: the address and the exact amount (tap to copy, and copy buttons), and a
/// QR code of the payment URI.
pub async fn show_address(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    p: &Payable,
    over: Option<MessageId>,
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
        over,
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
/// A QR replaces the photo `over` (the product's cover the buyer chose a way to pay under)
/// when there is one; else it is a new message.
async fn send_with_qr(
    bot: &Bot,
    who: &Who,
    png: Option<Vec<u8>>,
    caption: String,
    keyboard: InlineKeyboardMarkup,
    over: Option<MessageId>,
) -> Result<Message, RequestError> {
    let qr = |png: Vec<u8>| InputFile::memory(png).file_name("payment.png");
    match (png, over) {
        (Some(png), Some(cover)) => {
            let mut media = InputMediaPhoto::new(qr(png.clone())).caption(caption.clone());
            media.parse_mode = Some(ParseMode::Html);
            let edit = bot
                .edit_message_media(who.chat(), cover, InputMedia::Photo(media))
                .reply_markup(keyboard.clone())
                .await;
            match edit {
                Ok(message) => Ok(message),
                Err(RequestError::Api(e)) if crate::delivery::edit::nothing_to_edit(&e) => {
                    Box::pin(send_with_qr(bot, who, Some(png), caption, keyboard, None)).await
                }
                Err(e) => Err(e),
            }
        }
        (Some(png), None) => {
            bot.send_photo(who.chat(), qr(png))
                .caption(caption)
                .parse_mode(ParseMode::Html)
                .reply_markup(keyboard)
                .await
        }
        (None, _) => {
            bot.send_message(who.chat(), caption)
                .parse_mode(ParseMode::Html)
                .link_preview_options(screen::no_preview())
                .reply_markup(keyboard)
                .await
        }
    }
}

/// How a payment choice is named to this user.
pub(super) fn choice_label(who: &Who, c: &Choice) -> String {
    match &c.label {
        Label::Key(key) => who.t(key),
        Label::Text(text) => text.clone(),
    }
}
