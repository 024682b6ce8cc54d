//! `/paysupport` (Telegram requires it of bots that take Stars): a conversation about an order
//! between the buyer and the admins, relayed by the bot both ways; the admins' alerts carry
//! buttons to answer, open the order, refund it or mark it paid.

use super::action::Action;
use super::state::State;
use super::{ChatDialogue, Deps, HandlerResult, Who};
use crate::store::outbox::{OrderButton, OutboxMessage};
use crate::store::{orders, outbox};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

/// Orders offered as buttons.
const RECENT: i64 = 8;

pub async fn paysupport(bot: Bot, who: Who, deps: Arc<Deps>) -> HandlerResult {
    let recent = orders::of_buyer(
        &deps.core.store,
        who.id,
        orders::BuyerOrders::All,
        RECENT,
        0,
    )
    .await?;
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

/// The buyer picked an order: the admins get the request (once an hour per order at most),
/// with buttons to answer, open the order, refund it or mark it paid; the buyer may then write
/// their question, which reaches the admins too.
pub async fn request(
    bot: Bot,
    who: Who,
    username: Option<String>,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
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
    let message = OutboxMessage::alert("admin-paysupport", &args, buttons(order.id, who.id));
    let alert = outbox::alert_admins(&format!("paysupport:{}:{hour}", order.id), message);
    outbox::enqueue_now(&deps.core.store, &[alert]).await?;
    tracing::info!(
        order_id = order.id,
        buyer = who.id,
        "payment support requested"
    );
    dialogue.update(State::SupportQuestion { order_id }).await?;
    bot.send_message(
        who.chat(),
        who.tr("paysupport-sent", &[("order", order.id.to_string())]),
    )
    .await?;
    Ok(())
}

/// What an admin can do about an order a buyer wrote about.
fn buttons(order: i64, buyer: i64) -> Vec<OrderButton> {
    vec![
        OrderButton::Reply { order, buyer },
        OrderButton::Open { order },
        OrderButton::Refund { order },
        OrderButton::MarkPaid { order },
    ]
}

/// "Reply" under a support message: the buyer writes again, or an admin answers.
pub async fn on_press(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    action: Action,
) -> HandlerResult {
    match action {
        Action::SupportWrite(order_id) => {
            if super::purchases::own_order(&deps, &who, order_id)
                .await?
                .is_none()
            {
                bot.send_message(who.chat(), who.t("not-your-order"))
                    .await?;
                return Ok(());
            }
            dialogue.update(State::SupportQuestion { order_id }).await?;
            let ask = who.tr("support-ask", &[("order", order_id.to_string())]);
            bot.send_message(who.chat(), ask).await?;
        }
        Action::SupportReply(order_id, buyer_id) => {
            if !super::admin::is_admin(&bot, &who, &deps).await? {
                return Ok(());
            }
            dialogue
                .update(State::SupportAnswer { order_id, buyer_id })
                .await?;
            let ask = who.tr(
                "support-answer-ask",
                &[
                    ("order", order_id.to_string()),
                    ("buyer", buyer_id.to_string()),
                ],
            );
            bot.send_message(who.chat(), ask).await?;
        }
        _ => {}
    }
    Ok(())
}

/// What the buyer wrote about an order: relayed to every admin, with the buttons to answer.
pub async fn question(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    order_id: i64,
) -> HandlerResult {
    let Some(text) = super::typed::required_text(&bot, &who, &msg).await? else {
        return Ok(());
    };
    dialogue.exit().await?;
    let args = [
        ("order", order_id.to_string()),
        ("buyer", who.id.to_string()),
        ("text", text.to_string()),
    ];
    let message = OutboxMessage::alert("admin-support-message", &args, buttons(order_id, who.id));
    let dedupe = format!("support:{order_id}:{}:{}", who.id, msg.id.0);
    outbox::enqueue_now(&deps.core.store, &[outbox::alert_admins(&dedupe, message)]).await?;
    bot.send_message(
        who.chat(),
        who.tr("support-question-sent", &[("order", order_id.to_string())]),
    )
    .await?;
    Ok(())
}

/// An admin's answer: relayed to the buyer with a button to reply.
pub async fn answer(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    (order_id, buyer_id): (i64, i64),
) -> HandlerResult {
    let Some(text) = super::typed::required_text(&bot, &who, &msg).await? else {
        return Ok(());
    };
    dialogue.exit().await?;
    let buyer_lang =
        crate::store::users::language_or(&deps.core.store, buyer_id, &deps.default_language).await;
    let relayed = crate::i18n::tr(
        &buyer_lang,
        "support-answer",
        &[("order", order_id.to_string()), ("text", text.to_string())],
    );
    let reply = InlineKeyboardButton::callback(
        crate::i18n::t(&buyer_lang, "button-support-reply"),
        Action::SupportWrite(order_id).encode(),
    );
    bot.send_message(ChatId(buyer_id), relayed)
        .reply_markup(InlineKeyboardMarkup::new([[reply]]))
        .await?;
    tracing::info!(
        order_id,
        admin = who.id,
        buyer = buyer_id,
        "support answer relayed"
    );
    bot.send_message(
        who.chat(),
        who.tr("support-answer-sent", &[("order", order_id.to_string())]),
    )
    .await?;
    Ok(())
}
