//! `/paysupport` (Telegram requires it of bots that take Stars): how to get help with a payment,
//! and a button per recent order that sends the admins a request about it.

use super::action::Action;
use super::{Deps, HandlerResult, Who};
use crate::store::{orders, outbox};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

/// Orders offered as buttons.
const RECENT: i64 = 8;

pub async fn paysupport(bot: Bot, who: Who, deps: Arc<Deps>) -> HandlerResult {
    let recent =
        orders::of_buyer(&deps.core.store, who.id, orders::BuyerOrders::All, RECENT).await?;
    if recent.is_empty() {
        bot.send_message(who.chat(), who.t("paysupport-no-orders"))
            .await?;
        return Ok(());
    }
    let rows: Vec<Vec<InlineKeyboardButton>> = recent
        .iter()
        .map(|o| {
            let title: String = o.title.chars().take(30).collect();
            let label = who.tr(
                "paysupport-order-button",
                &[("order", o.order_id.to_string()), ("title", title)],
            );
            vec![InlineKeyboardButton::callback(
                label,
                Action::Support(o.order_id).encode(),
            )]
        })
        .collect();
    bot.send_message(who.chat(), who.t("paysupport-intro"))
        .reply_markup(InlineKeyboardMarkup::new(rows))
        .await?;
    Ok(())
}

/// The buyer picked an order: the admins get the request (once an hour per order at most).
pub async fn request(
    bot: Bot,
    who: Who,
    username: Option<String>,
    deps: Arc<Deps>,
    order_id: i64,
) -> HandlerResult {
    let Some(order) = super::purchases::own_order(&deps, &who, order_id).await? else {
        bot.send_message(who.chat(), who.t("not-your-order"))
            .await?;
        return Ok(());
    };
    let hour = chrono::Utc::now().timestamp() / 3600;
    let args = [
        ("order", order.id.to_string()),
        ("buyer", who.id.to_string()),
        (
            "username",
            username
                .map(|u| format!("@{u}"))
                .unwrap_or_else(|| "-".into()),
        ),
        ("status", order.status.to_string()),
        ("currency", order.pay_currency.to_ascii_uppercase()),
        (
            "payment",
            order.payment_id.clone().unwrap_or_else(|| "-".into()),
        ),
        ("total", order.total.to_string()),
    ];
    let alerts = outbox::to_admins(
        &format!("paysupport:{}:{hour}", order.id),
        "admin-paysupport",
        &args,
    );
    outbox::enqueue_now(&deps.core.store, &[alerts]).await?;
    tracing::info!(
        order_id = order.id,
        buyer = who.id,
        "payment support requested"
    );
    bot.send_message(
        who.chat(),
        who.tr("paysupport-sent", &[("order", order.id.to_string())]),
    )
    .await?;
    Ok(())
}
