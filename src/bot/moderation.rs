//! Admin moderation: /ban and /unban users, /hide and /unhide products, /refund an order,
//! /markpaid an order whose payment the rail never reported.

use super::action::Action;
use super::admin::is_admin;
use super::{Deps, HandlerResult, Who};
use crate::payments::rail::STARS;
use crate::services::moderation::{self, MarkPaidRefusal, RefundOutcome};
use crate::store::{orders, products, users};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

/// The id after a command, or the usage line.
fn id_arg(args: &str) -> Option<i64> {
    args.trim().parse::<i64>().ok().filter(|n| *n > 0)
}

/// `/ban <user id>` (or `/unban`): a banned user can neither buy nor sell, and their products
/// leave the shop.
pub async fn ban(bot: Bot, who: Who, deps: Arc<Deps>, args: &str, banned: bool) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let text = match id_arg(args) {
        None => who.t(if banned { "ban-usage" } else { "unban-usage" }),
        Some(id) if deps.core.admins().contains(&id) => who.t("ban-admin"),
        Some(id) if users::set_banned(&deps.core.store, id, banned).await? => {
            tracing::warn!(admin = who.id, user = id, banned, "ban changed");
            who.tr(
                if banned {
                    "user-banned"
                } else {
                    "user-unbanned"
                },
                &[("user", id.to_string())],
            )
        }
        Some(id) => who.tr("user-unknown", &[("user", id.to_string())]),
    };
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

/// `/hide <product id>` (or `/unhide`): out of the shop whatever its seller does.
pub async fn hide(bot: Bot, who: Who, deps: Arc<Deps>, args: &str, hidden: bool) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let text = match id_arg(args) {
        None => who.t(if hidden { "hide-usage" } else { "unhide-usage" }),
        Some(id) if products::set_hidden(&deps.core.store, id, hidden).await? => {
            tracing::warn!(
                admin = who.id,
                product = id,
                hidden,
                "product visibility changed"
            );
            who.tr(
                if hidden {
                    "product-hidden"
                } else {
                    "product-unhidden"
                },
                &[("product", id.to_string())],
            )
        }
        Some(id) => who.tr("product-unknown", &[("product", id.to_string())]),
    };
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

/// `/refund <order id>`: a Stars order's Stars go back to the buyer through Telegram
/// (`refundStarPayment`) first; a crypto order's refund is made in the NOWPayments dashboard.
/// Either way souk then records it once.
pub async fn refund(bot: Bot, who: Who, deps: Arc<Deps>, args: &str) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let Some(id) = id_arg(args) else {
        bot.send_message(who.chat(), who.t("refund-usage")).await?;
        return Ok(());
    };
    if let Err(problem) = refund_stars(&bot, &deps, id).await? {
        bot.send_message(
            who.chat(),
            who.tr(
                "refund-stars-failed",
                &[("order", id.to_string()), ("error", problem)],
            ),
        )
        .await?;
        return Ok(());
    }
    let text = match moderation::refund(&deps.core.settler, id, who.id).await? {
        RefundOutcome::Refunded(order) => {
            tracing::warn!(admin = who.id, order = id, "order refunded by an admin");
            let key = if order.pay_currency == STARS {
                "order-refunded-stars"
            } else {
                "order-refunded"
            };
            who.tr(
                key,
                &[
                    ("order", id.to_string()),
                    ("amount", order.price.to_string()),
                    ("seller", order.seller_id.to_string()),
                ],
            )
        }
        RefundOutcome::NotFinished(status) => who.tr(
            "refund-not-finished",
            &[
                ("order", id.to_string()),
                ("status", who.status(status.as_str())),
            ],
        ),
        RefundOutcome::NoSuchOrder => who.tr("order-unknown", &[("order", id.to_string())]),
    };
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

/// For a finished Stars order, gives the Stars back with `refundStarPayment`; a charge Telegram
/// already refunded (a /refund repeated after a crash) counts as given back. `Err` holds
/// Telegram's reason when it refused; nothing is recorded then.
async fn refund_stars(
    bot: &Bot,
    deps: &Deps,
    order_id: i64,
) -> Result<Result<(), String>, crate::store::StoreError> {
    let Some(order) = orders::get(&deps.core.store, order_id).await? else {
        return Ok(Ok(()));
    };
    let Some(charge) = order
        .payment_id
        .clone()
        .filter(|_| order.pay_currency == STARS && order.status.is_refundable())
    else {
        return Ok(Ok(()));
    };
    match crate::payments::stars::refund(bot, order.buyer_id, &charge).await {
        Ok(()) => {
            tracing::warn!(order_id, "Stars refunded to the buyer");
            Ok(Ok(()))
        }
        Err(e) => {
            tracing::error!(order_id, error = %e, "refundStarPayment failed");
            Ok(Err(e))
        }
    }
}

/// The Refund button of an admin's alert: the order, and a confirmation before `/refund` runs.
pub async fn refund_ask(bot: Bot, who: Who, deps: Arc<Deps>, id: i64) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let Some(order) = orders::get(&deps.core.store, id).await? else {
        bot.send_message(
            who.chat(),
            who.tr("order-unknown", &[("order", id.to_string())]),
        )
        .await?;
        return Ok(());
    };
    let text = who.tr(
        "refund-confirm",
        &[
            ("order", id.to_string()),
            ("total", order.total.to_string()),
            ("currency", order.pay_currency.to_ascii_uppercase()),
            ("status", who.status(order.status.as_str())),
        ],
    );
    let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback(
        who.t("button-refund"),
        Action::RefundConfirmed(id).encode(),
    )]]);
    bot.send_message(who.chat(), text)
        .reply_markup(keyboard)
        .await?;
    Ok(())
}

/// `/markpaid <order id>`: for a payment the rail never reported (a lost NexPay webhook), once
/// an admin has seen the money in the rail's dashboard. Shows the order and asks to confirm.
pub async fn mark_paid(bot: Bot, who: Who, deps: Arc<Deps>, args: &str) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let Some(id) = id_arg(args) else {
        bot.send_message(who.chat(), who.t("markpaid-usage"))
            .await?;
        return Ok(());
    };
    let order = orders::get(&deps.core.store, id)
        .await?
        .ok_or(MarkPaidRefusal::NoSuchOrder)
        .and_then(|order| moderation::may_mark_paid(&order).map(|()| order));
    let order = match order {
        Ok(order) => order,
        Err(refused) => {
            bot.send_message(who.chat(), mark_paid_refusal(&who, id, refused))
                .await?;
            return Ok(());
        }
    };

    let title = products::get(&deps.core.store, order.product_id)
        .await?
        .map(|p| p.title)
        .unwrap_or_default();
    let text = who.tr(
        "markpaid-confirm",
        &[
            ("order", id.to_string()),
            ("title", title),
            ("buyer", order.buyer_id.to_string()),
            ("total", order.total.to_string()),
            (
                "amount",
                order.pay_amount.clone().unwrap_or_else(|| "?".into()),
            ),
            ("currency", order.pay_currency.clone()),
            ("payment", order.payment_id.clone().unwrap_or_default()),
            ("status", who.status(order.status.as_str())),
        ],
    );
    let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback(
        who.t("markpaid-button"),
        Action::MarkPaid(id).encode(),
    )]]);
    bot.send_message(who.chat(), text)
        .reply_markup(keyboard)
        .await?;
    Ok(())
}

/// The confirm button of `/markpaid`: the order finishes through settlement, once.
pub async fn mark_paid_confirmed(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    order_id: i64,
) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let outcome = moderation::mark_paid(&deps.core.settler, order_id, who.id).await?;
    let text = match outcome {
        Ok(order) => {
            tracing::warn!(
                admin = who.id,
                order = order_id,
                "order marked paid by an admin"
            );
            who.tr(
                "markpaid-done",
                &[
                    ("order", order_id.to_string()),
                    ("amount", order.price.to_string()),
                    ("seller", order.seller_id.to_string()),
                ],
            )
        }
        Err(refused) => mark_paid_refusal(&who, order_id, refused),
    };
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

fn mark_paid_refusal(who: &Who, order_id: i64, refused: MarkPaidRefusal) -> String {
    let order = ("order", order_id.to_string());
    match refused {
        MarkPaidRefusal::NoSuchOrder => who.tr("order-unknown", &[order]),
        MarkPaidRefusal::StarsOrder => who.tr("markpaid-stars", &[order]),
        MarkPaidRefusal::NeverBilled => who.tr("markpaid-never-billed", &[order]),
        MarkPaidRefusal::Settled(status) => who.tr(
            "markpaid-settled",
            &[order, ("status", who.status(status.as_str()))],
        ),
    }
}
