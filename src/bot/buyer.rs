//! Buyers: product cards, choosing a coin, the payment message, status checks, purchases.

use super::action::Action;
use super::{Deps, HandlerResult, Who, qr};
use crate::domain::OrderStatus;
use crate::domain::product::ProductKind;
use crate::files::LINK_TTL;
use crate::payments::GatewayError;
use crate::payments::currencies::label;
use crate::payments::uri::payment_uri;
use crate::services::checkout::{CheckoutError, STARS};
use crate::services::settlement::{self, RefreshError};
use crate::store::orders::{self, Order};
use crate::store::products::{self, Product};
use crate::store::stock;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{FileId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile};

pub async fn show_product(bot: Bot, who: Who, deps: Arc<Deps>, id: i64) -> HandlerResult {
    let Some(product) = products::get(&deps.store, id)
        .await?
        .filter(Product::is_buyable)
    else {
        bot.send_message(who.chat(), who.t("product-unavailable"))
            .await?;
        return Ok(());
    };
    let quote = deps.checkout.quote(&product);
    let mut text = who.tr(
        "product-card",
        &[
            ("title", product.title.clone()),
            ("description", product.description.clone()),
            ("price", product.price.to_string()),
            ("total", quote.total.to_string()),
        ],
    );
    let left = match product.kind {
        ProductKind::Items => Some(stock::available(&deps.store, product.id).await?),
        _ => None,
    };
    if let Some(n) = left.filter(|n| *n > 0) {
        text = format!(
            "{text}\n{}",
            who.tr("stock-left", &[("count", n.to_string())])
        );
    }
    let label = match left {
        Some(0) => who.t("buy-button-sold-out"),
        _ => who.tr("buy-button", &[("price", quote.total.to_string())]),
    };
    let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback(
        label,
        Action::Buy(product.id).encode(),
    )]]);
    bot.send_message(who.chat(), text)
        .reply_markup(keyboard)
        .await?;
    Ok(())
}

pub async fn purchases(bot: Bot, who: Who, deps: Arc<Deps>) -> HandlerResult {
    let list = orders::purchases(&deps.store, who.id, 20).await?;
    if list.is_empty() {
        bot.send_message(who.chat(), who.t("purchases-empty"))
            .await?;
        return Ok(());
    }
    let links = matches!(*deps.files, crate::files::FileStore::S3(_));
    let rows: Vec<Vec<InlineKeyboardButton>> = list
        .iter()
        .map(|p| {
            let label = who.tr(
                "purchase-resend",
                &[
                    ("title", p.title.clone()),
                    ("order", p.order_id.to_string()),
                ],
            );
            let mut row = vec![InlineKeyboardButton::callback(
                label,
                Action::Redownload(p.order_id).encode(),
            )];
            if links && p.has_file_copy {
                row.push(InlineKeyboardButton::callback(
                    who.t("button-link"),
                    Action::Link(p.order_id).encode(),
                ));
            }
            row
        })
        .collect();
    bot.send_message(who.chat(), who.t("purchases-header"))
        .reply_markup(InlineKeyboardMarkup::new(rows))
        .await?;
    Ok(())
}

pub async fn on_press(
    bot: Bot,
    who: Who,
    q: CallbackQuery,
    deps: Arc<Deps>,
    action: Action,
) -> HandlerResult {
    let answer = bot.answer_callback_query(q.id.clone());
    match action {
        Action::Product(id) => {
            answer.await?;
            show_product(bot, who, deps, id).await
        }
        Action::Purchases => {
            answer.await?;
            purchases(bot, who, deps).await
        }
        Action::Buy(id) => {
            answer.await?;
            choose_currency(bot, who, deps, id).await
        }
        Action::Pay(id, coin) => {
            answer.await?;
            pay(bot, who, deps, id, &coin).await
        }
        Action::Check(order_id) => {
            let text = match own_order(&deps, &who, order_id).await? {
                Some(order) => who.t(&format!("status-{}", check_status(&deps, order).await)),
                None => who.t("not-your-order"),
            };
            answer.text(text).show_alert(true).await?;
            Ok(())
        }
        Action::Cancel(order_id) => {
            let text = match own_order(&deps, &who, order_id).await? {
                None => who.t("not-your-order"),
                Some(_) if orders::cancel(&deps.store, order_id, who.id).await? => {
                    who.t("order-cancelled")
                }
                Some(_) => who.t("order-not-cancellable"),
            };
            answer.await?;
            bot.send_message(who.chat(), text).await?;
            Ok(())
        }
        Action::Simulate(order_id) => {
            let text = match (own_order(&deps, &who, order_id).await?, &deps.simulator) {
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
            redeliver(bot, who, deps, order_id).await
        }
        Action::Link(order_id) => {
            answer.await?;
            link(bot, who, deps, order_id).await
        }
        _ => {
            answer.await?;
            Ok(())
        }
    }
}

/// The order, if it is this user's: another user's buttons (forwarded, forged) get nothing.
async fn own_order(
    deps: &Deps,
    who: &Who,
    order_id: i64,
) -> Result<Option<Order>, crate::store::StoreError> {
    Ok(orders::get(&deps.store, order_id)
        .await?
        .filter(|o| o.buyer_id == who.id))
}

async fn choose_currency(bot: Bot, who: Who, deps: Arc<Deps>, product_id: i64) -> HandlerResult {
    if crate::store::users::is_banned(&deps.store, who.id).await? {
        bot.send_message(who.chat(), who.t("account-banned"))
            .await?;
        return Ok(());
    }
    let Some(product) = products::get(&deps.store, product_id)
        .await?
        .filter(Product::is_buyable)
    else {
        bot.send_message(who.chat(), who.t("product-unavailable"))
            .await?;
        return Ok(());
    };
    if product.kind == ProductKind::Items && stock::available(&deps.store, product.id).await? == 0 {
        bot.send_message(who.chat(), who.t("sold-out")).await?;
        return Ok(());
    }
    let coins = match deps.checkout.currencies.offered().await {
        Ok(c) if !c.is_empty() => c,
        Ok(_) => {
            bot.send_message(who.chat(), who.t("no-currencies")).await?;
            return Ok(());
        }
        Err(e) => {
            tracing::warn!(error = %e, "currency list unavailable");
            bot.send_message(who.chat(), who.t("provider-down")).await?;
            return Ok(());
        }
    };
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    if deps.checkout.stars_per_usd.is_some() {
        // Telegram's rules put Stars first for digital goods.
        rows.push(vec![InlineKeyboardButton::callback(
            who.t("button-stars"),
            Action::Pay(product.id, STARS.to_string()).encode(),
        )]);
    }
    rows.extend(coins.chunks(3).map(|row| {
        row.iter()
            .map(|c| {
                InlineKeyboardButton::callback(
                    label(c),
                    Action::Pay(product.id, c.clone()).encode(),
                )
            })
            .collect()
    }));
    let total = deps.checkout.quote(&product).total;
    bot.send_message(
        who.chat(),
        who.tr(
            "choose-currency",
            &[("title", product.title), ("total", total.to_string())],
        ),
    )
    .reply_markup(InlineKeyboardMarkup::new(rows))
    .await?;
    Ok(())
}

async fn pay(bot: Bot, who: Who, deps: Arc<Deps>, product_id: i64, coin: &str) -> HandlerResult {
    if coin == STARS {
        return super::stars::invoice(&bot, &who, &deps, product_id).await;
    }
    let (order, product) = match deps.checkout.start(who.id, product_id, coin).await {
        Ok(done) => done,
        Err(e) => {
            let text = match &e {
                CheckoutError::ProductUnavailable => who.t("product-unavailable"),
                CheckoutError::Banned => who.t("account-banned"),
                CheckoutError::SoldOut => who.t("sold-out"),
                CheckoutError::CurrencyNotOffered => who.t("currency-not-offered"),
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
    let address = order.pay_address.clone().unwrap_or_default();
    let amount = order.pay_amount.clone().unwrap_or_default();
    let mut caption = who.tr(
        "payment-caption",
        &[
            ("title", product.title.clone()),
            ("order", order.id.to_string()),
            ("price", order.price.to_string()),
            ("commission", order.commission.to_string()),
            (
                "percent",
                deps.checkout.commission.percent().normalize().to_string(),
            ),
            ("total", order.total.to_string()),
            ("amount", amount.clone()),
            ("coin", label(&order.pay_currency)),
            ("address", address.clone()),
            (
                "expires",
                order
                    .expires_at
                    .clone()
                    .unwrap_or_else(|| who.t("expiry-unknown")),
            ),
        ],
    );
    let mut rows = vec![vec![
        InlineKeyboardButton::callback(
            who.t("button-check-status"),
            Action::Check(order.id).encode(),
        ),
        InlineKeyboardButton::callback(
            who.t("button-cancel-order"),
            Action::Cancel(order.id).encode(),
        ),
    ]];
    if deps.simulator.is_some() {
        caption = format!("{caption}\n\n{}", who.t("sandbox-payment-notice"));
        rows.push(vec![InlineKeyboardButton::callback(
            who.t("button-simulate"),
            Action::Simulate(order.id).encode(),
        )]);
    }
    let keyboard = InlineKeyboardMarkup::new(rows);
    let uri = payment_uri(&order.pay_currency, &address, &amount);
    match qr::png(&uri) {
        Some(png) => {
            bot.send_photo(who.chat(), InputFile::memory(png).file_name("payment.png"))
                .caption(caption)
                .reply_markup(keyboard)
                .await?;
        }
        None => {
            bot.send_message(who.chat(), caption)
                .reply_markup(keyboard)
                .await?;
        }
    }
    Ok(())
}

/// Asks the rail for the payment now and applies the answer as an IPN would be (a lost IPN still
/// delivers). Returns the order's status name after that.
async fn check_status(deps: &Deps, order: Order) -> String {
    let Some(payment_id) = order.payment_id.clone() else {
        return order.status.as_str().to_string();
    };
    match settlement::refresh(
        &deps.store,
        deps.gateway.as_ref(),
        &deps.admin_ids,
        &payment_id,
    )
    .await
    {
        Ok(settled) => {
            deps.outbox_wake.notify_one();
            settled.status.unwrap_or(order.status).as_str().to_string()
        }
        Err(RefreshError::Store(e)) => {
            tracing::error!(order_id = order.id, error = %e, "status check not applied");
            order.status.as_str().to_string()
        }
        Err(RefreshError::Provider(e)) => {
            tracing::warn!(order_id = order.id, error = %e, "status check failed");
            "unavailable".to_string()
        }
    }
}

/// A finished order's goods, again, to its buyer only (deleted products included).
async fn redeliver(bot: Bot, who: Who, deps: Arc<Deps>, order_id: i64) -> HandlerResult {
    let order = own_order(&deps, &who, order_id)
        .await?
        .filter(|o| o.status == OrderStatus::Finished);
    let product = match &order {
        Some(o) => products::get(&deps.store, o.product_id).await?,
        None => None,
    };
    let Some(p) = product else {
        bot.send_message(who.chat(), who.t("not-your-order"))
            .await?;
        return Ok(());
    };
    match p.kind {
        ProductKind::File => {
            let sent = bot
                .send_document(who.chat(), InputFile::file_id(FileId(p.file_id.clone())))
                .caption(who.tr("redownload-caption", &[("title", p.title.clone())]))
                .await;
            if let Err(e) = sent {
                // The file_id no longer works (a new bot token): fall back on the stored copy.
                tracing::warn!(order_id, error = %e, "re-sending by file_id failed; using the stored copy");
                crate::delivery::send_stored_copy(&bot, &deps.files, who.chat(), &who.lang, &p)
                    .await?;
            }
        }
        ProductKind::Items => {
            let mut conn = deps.store.pool().acquire().await?;
            let item = stock::of_order(&mut conn, order_id)
                .await?
                .unwrap_or_default();
            bot.send_message(
                who.chat(),
                who.tr("redelivery-item", &[("title", p.title), ("item", item)]),
            )
            .await?;
        }
        ProductKind::Text => {
            let text = p.text_content.unwrap_or_default();
            bot.send_message(
                who.chat(),
                who.tr("redelivery-text", &[("title", p.title), ("text", text)]),
            )
            .await?;
        }
    }
    Ok(())
}

/// A short-lived download link to the stored copy of a purchased file.
async fn link(bot: Bot, who: Who, deps: Arc<Deps>, order_id: i64) -> HandlerResult {
    let order = own_order(&deps, &who, order_id)
        .await?
        .filter(|o| o.status == OrderStatus::Finished);
    let product = match &order {
        Some(o) => products::get(&deps.store, o.product_id).await?,
        None => None,
    };
    let key = product.as_ref().and_then(|p| p.storage_key.clone());
    let url = match key {
        Some(key) => deps
            .files
            .download_link(&key, LINK_TTL)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(order_id, error = %e, "no download link");
                None
            }),
        None => None,
    };
    match (url, product) {
        (Some(url), Some(p)) => {
            let minutes = (LINK_TTL.as_secs() / 60).to_string();
            bot.send_message(
                who.chat(),
                who.tr(
                    "download-link",
                    &[("title", p.title), ("link", url), ("minutes", minutes)],
                ),
            )
            .await?;
        }
        (_, Some(_)) => {
            bot.send_message(who.chat(), who.t("download-link-unavailable"))
                .await?;
        }
        _ => {
            bot.send_message(who.chat(), who.t("not-your-order"))
                .await?;
        }
    }
    Ok(())
}
