//! Coupons in the chat: `/coupon` to make a code (sellers; admins with `platform`), `/coupons`
//! to list them with their uses, and "🏷 Have a code?" under the ways to pay. The rules are in
//! `services::coupons`; checkout applies the code.

use super::screen::Place;
use super::state::State;
use super::{ChatDialogue, Deps, HandlerResult, Who};
use crate::services::coupons::{self, CreateError, discount_text};
use crate::store::coupons::{self as stored, Coupon};
use std::sync::Arc;
use teloxide::prelude::*;

/// One code as its owner reads it.
fn describe(who: &Who, c: &Coupon) -> String {
    let (kind, value) = discount_text(c.discount);
    who.tr(
        "coupon-item",
        &[
            ("code", c.code.clone()),
            ("kind", kind),
            ("value", value),
            (
                "product",
                c.product_id
                    .map_or_else(|| "all".to_string(), |p| p.to_string()),
            ),
            ("uses", c.uses.to_string()),
            (
                "max",
                c.max_uses
                    .map_or_else(|| "none".to_string(), |m| m.to_string()),
            ),
            (
                "until",
                c.expires_at
                    .map(crate::i18n::date)
                    .unwrap_or_else(|| "none".into()),
            ),
            (
                "platform",
                if c.seller_id.is_none() { "yes" } else { "no" }.into(),
            ),
        ],
    )
}

/// `/coupon CODE DISCOUNT [product=<id>] [uses=<n>] [days=<n>] [platform]`.
pub async fn create(bot: Bot, who: Who, deps: Arc<Deps>, args: &str) -> HandlerResult {
    let admin = deps.core.admins().contains(&who.id);
    let text = match coupons::create(&deps.core.store, who.id, admin, args).await? {
        Ok(c) => format!("{}\n{}", who.t("coupon-created"), describe(&who, &c)),
        Err(e) => who.t(match e {
            CreateError::Usage => "coupon-usage",
            CreateError::BadCode => "coupon-bad-code",
            CreateError::BadDiscount => "coupon-bad-discount",
            CreateError::NotYourProduct => "not-your-product",
            CreateError::BadNumber => "coupon-bad-number",
            CreateError::AdminsOnly => "admin-only",
            CreateError::CodeTaken => "coupon-code-taken",
        }),
    };
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

/// `/coupons`: the seller's codes (and, for an admin, the platform's) with their uses.
pub async fn list(bot: Bot, who: Who, deps: Arc<Deps>) -> HandlerResult {
    let store = &deps.core.store;
    let mut all = stored::of_owner(store, Some(who.id)).await?;
    if deps.core.admins().contains(&who.id) {
        all.extend(stored::of_owner(store, None).await?);
    }
    let text = if all.is_empty() {
        who.t("coupons-none")
    } else {
        let lines: Vec<String> = all.iter().map(|c| describe(&who, c)).collect();
        format!("{}\n{}", who.t("coupons-header"), lines.join("\n"))
    };
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

/// "🏷 Have a code?": the next message is the code.
pub async fn ask(bot: Bot, who: Who, dialogue: ChatDialogue, product_id: i64) -> HandlerResult {
    dialogue.update(State::CouponCode { product_id }).await?;
    bot.send_message(who.chat(), who.t("coupon-ask")).await?;
    Ok(())
}

/// The code typed: kept for the checkout and the ways to pay shown again with the new total;
/// or why it cannot be used.
pub async fn typed(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    product_id: i64,
) -> HandlerResult {
    dialogue.exit().await?;
    let typed = msg.text().unwrap_or_default();
    match coupons::apply(&deps.core.store, typed, who.id, product_id).await? {
        Ok(c) => {
            let applied = who.tr("coupon-applied", &[("code", c.code)]);
            bot.send_message(who.chat(), applied).await?;
            super::pay::choose_currency(bot, who, deps, product_id, Place::New).await
        }
        Err(reason) => {
            bot.send_message(who.chat(), who.t(super::pay::refusal_key(reason)))
                .await?;
            Ok(())
        }
    }
}
