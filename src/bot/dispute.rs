//! Disputes in the chat: "⚠ Problem" in /purchases (inside the refund window), the buyer's
//! description, the thread's "Reply" buttons for every party, and the admins' buttons that
//! settle it (refund in full, refund part, close for the seller). The rules are in
//! `services::disputes`.

use super::action::Action;
use super::admin::is_admin;
use super::state::State;
use super::{ChatDialogue, Deps, HandlerResult, Who};
use crate::domain::OrderStatus;
use crate::domain::dispute::{DisputeStatus, PartError, partial_refund};
use crate::services::disputes::{self, Opening, Settling};
use crate::store::disputes::{self as stored, Dispute};
use crate::store::orders;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::InlineKeyboardButton;

/// "⚠ Problem" under a purchase still in its refund window.
pub fn problem_button(who: &Who, order_id: i64) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(
        who.t("button-problem"),
        Action::DisputeOpen(order_id).encode(),
    )
}

pub async fn on_press(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    action: Action,
) -> HandlerResult {
    match action {
        Action::DisputeOpen(order_id) => {
            match disputes::may_open(&deps.core.store, order_id, who.id).await? {
                Opening::Opened(_) => {
                    dialogue.update(State::DisputeWrite { order_id }).await?;
                    let ask = who.tr("dispute-ask", &[("order", order_id.to_string())]);
                    bot.send_message(who.chat(), ask).await?;
                }
                refused => say(&bot, &who, refused_text(&who, order_id, &refused)).await?,
            }
        }
        Action::DisputeReply(id) => {
            let Some(d) = party_dispute(&bot, &who, &deps, id).await? else {
                return Ok(());
            };
            dialogue
                .update(State::DisputeMessage { dispute_id: d.id })
                .await?;
            let ask = who.tr("dispute-reply-ask", &[("dispute", d.id.to_string())]);
            bot.send_message(who.chat(), ask).await?;
        }
        Action::DisputeRefund(id) => {
            let Some(d) = admin_dispute(&bot, &who, &deps, id).await? else {
                return Ok(());
            };
            // /refund's own path: Stars given back, the order moved, the seller debited once.
            super::moderation::refund(
                bot.clone(),
                who.clone(),
                deps.clone(),
                &d.order_id.to_string(),
            )
            .await?;
            let refunded = orders::get(&deps.core.store, d.order_id)
                .await?
                .is_some_and(|o| o.status == OrderStatus::Refunded);
            if refunded {
                let done = disputes::refunded_in_full(&deps.core.store, d.id, who.id).await?;
                say(&bot, &who, settled_text(&who, &d, &done)).await?;
            }
        }
        Action::DisputePart(id) => {
            let Some(d) = admin_dispute(&bot, &who, &deps, id).await? else {
                return Ok(());
            };
            let Some(order) = orders::get(&deps.core.store, d.order_id).await? else {
                return Ok(());
            };
            if order.pay_currency == crate::payments::rail::STARS {
                return say(&bot, &who, who.t("dispute-stars-in-full")).await;
            }
            dialogue
                .update(State::DisputePart { dispute_id: d.id })
                .await?;
            let ask = who.tr(
                "dispute-part-ask",
                &[
                    ("order", d.order_id.to_string()),
                    ("price", order.price.to_string()),
                ],
            );
            bot.send_message(who.chat(), ask).await?;
        }
        Action::DisputeClose(id) => {
            let Some(d) = admin_dispute(&bot, &who, &deps, id).await? else {
                return Ok(());
            };
            let done = disputes::close(&deps.core.store, d.id, who.id).await?;
            say(&bot, &who, settled_text(&who, &d, &done)).await?;
        }
        _ => {}
    }
    Ok(())
}

async fn say(bot: &Bot, who: &Who, text: String) -> HandlerResult {
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

fn refused_text(who: &Who, order_id: i64, refused: &Opening) -> String {
    let order = ("order", order_id.to_string());
    match refused {
        Opening::NotYours | Opening::Opened(_) => who.t("not-your-order"),
        Opening::NotFinished => who.tr("dispute-not-finished", &[order]),
        Opening::WindowClosed => who.tr("dispute-window-closed", &[order]),
        Opening::AlreadyOpened(id) => who.tr(
            "dispute-already-opened",
            &[order, ("dispute", id.to_string())],
        ),
    }
}

fn settled_text(who: &Who, d: &Dispute, done: &Settling) -> String {
    let dispute = ("dispute", d.id.to_string());
    match done {
        Settling::Settled => who.tr("dispute-settled", &[dispute]),
        Settling::AlreadySettled(_) | Settling::NotFound => {
            who.tr("dispute-already-settled", &[dispute])
        }
        Settling::StarsOnlyInFull => who.t("dispute-stars-in-full"),
    }
}

/// The open dispute `id`, when `who` is one of its parties; else they are told why not.
async fn party_dispute(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    id: i64,
) -> Result<Option<Dispute>, super::BoxError> {
    let d = stored::get(&deps.core.store, id).await?;
    let Some(d) = d.filter(|d| disputes::role_of(d, who.id, deps.core.admins()).is_some()) else {
        say(bot, who, who.t("dispute-not-yours")).await?;
        return Ok(None);
    };
    if d.status != DisputeStatus::Open {
        let text = who.tr("dispute-already-settled", &[("dispute", d.id.to_string())]);
        say(bot, who, text).await?;
        return Ok(None);
    }
    Ok(Some(d))
}

/// The open dispute `id`, when `who` is an admin.
async fn admin_dispute(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    id: i64,
) -> Result<Option<Dispute>, super::BoxError> {
    if !is_admin(bot, who, deps).await? {
        return Ok(None);
    }
    party_dispute(bot, who, deps, id).await
}

/// The buyer's description: the dispute opens.
pub async fn write(
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
    let text = match disputes::open(&deps.core.store, order_id, who.id, text).await? {
        Opening::Opened(id) => who.tr(
            "dispute-opened",
            &[("dispute", id.to_string()), ("order", order_id.to_string())],
        ),
        refused => refused_text(&who, order_id, &refused),
    };
    say(&bot, &who, text).await
}

/// A message to the thread, relayed to the other parties.
pub async fn message(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    dispute_id: i64,
) -> HandlerResult {
    let Some(text) = super::typed::required_text(&bot, &who, &msg).await? else {
        return Ok(());
    };
    dialogue.exit().await?;
    let Some(d) = party_dispute(&bot, &who, &deps, dispute_id).await? else {
        return Ok(());
    };
    let Some(role) = disputes::role_of(&d, who.id, deps.core.admins()) else {
        return Ok(());
    };
    disputes::relay(&deps.core.store, &d, who.id, role, text, msg.id.0).await?;
    let sent = who.tr("dispute-message-sent", &[("dispute", d.id.to_string())]);
    say(&bot, &who, sent).await
}

/// An admin's partial refund amount: the dispute is settled with it, or the amount explained.
pub async fn part(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    dispute_id: i64,
) -> HandlerResult {
    let Some(d) = admin_dispute(&bot, &who, &deps, dispute_id).await? else {
        dialogue.exit().await?;
        return Ok(());
    };
    let Some(order) = orders::get(&deps.core.store, d.order_id).await? else {
        dialogue.exit().await?;
        return Ok(());
    };
    let amount = match partial_refund(msg.text().unwrap_or_default(), order.price) {
        Ok(amount) => amount,
        Err(PartError::NotAnAmount | PartError::OutOfRange) => {
            let again = who.tr(
                "dispute-part-invalid",
                &[("price", order.price.to_string())],
            );
            return say(&bot, &who, again).await;
        }
    };
    dialogue.exit().await?;
    let done = disputes::refund_part(&deps.core.store, d.id, amount, who.id).await?;
    say(&bot, &who, settled_text(&who, &d, &done)).await
}
