//! Admin commands (only for `ADMIN_IDS`): the category list and payouts on demand.

use super::action::Action;
use super::{Deps, HandlerResult, Who};
use crate::domain::payout;
use crate::payments::currencies::label;
use crate::services::payouts;
use crate::store::categories;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

const MAX_CATEGORY_NAME: usize = 40;

/// Refuses politely (and logs) when the user is not an admin.
pub(super) async fn is_admin(bot: &Bot, who: &Who, deps: &Deps) -> Result<bool, super::BoxError> {
    if deps.core.admins().contains(&who.id) {
        return Ok(true);
    }
    tracing::warn!(user_id = who.id, "admin command refused");
    bot.send_message(who.chat(), who.t("admin-only")).await?;
    Ok(false)
}

pub async fn categories(bot: Bot, who: Who, deps: Arc<Deps>) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let list = categories::list(&deps.core.store).await?;
    let text = if list.is_empty() {
        who.t("categories-none")
    } else {
        let lines: Vec<String> = list
            .iter()
            .map(|c| format!("{} · {}", c.id, c.name))
            .collect();
        format!("{}\n{}", who.t("categories-list"), lines.join("\n"))
    };
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

fn valid_name(name: &str) -> Option<&str> {
    let name = name.trim();
    (!name.is_empty() && name.chars().count() <= MAX_CATEGORY_NAME).then_some(name)
}

pub async fn category_add(bot: Bot, who: Who, deps: Arc<Deps>, args: &str) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let text = match valid_name(args) {
        None => who.tr(
            "category-usage-add",
            &[("max", MAX_CATEGORY_NAME.to_string())],
        ),
        Some(name) => match categories::add(&deps.core.store, name).await? {
            Some(id) => who.tr(
                "category-added",
                &[("name", name.to_string()), ("id", id.to_string())],
            ),
            None => who.tr("category-exists", &[("name", name.to_string())]),
        },
    };
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

pub async fn category_rename(bot: Bot, who: Who, deps: Arc<Deps>, args: &str) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let parsed = args
        .trim()
        .split_once(' ')
        .and_then(|(id, name)| Some((id.parse::<i64>().ok()?, valid_name(name)?)));
    let text = match parsed {
        None => who.tr(
            "category-usage-rename",
            &[("max", MAX_CATEGORY_NAME.to_string())],
        ),
        Some((id, name)) if categories::rename(&deps.core.store, id, name).await? => {
            who.tr("category-renamed", &[("name", name.to_string())])
        }
        Some(_) => who.t("category-not-renamed"),
    };
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

pub async fn category_delete(bot: Bot, who: Who, deps: Arc<Deps>, args: &str) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let text = match args.trim().parse::<i64>() {
        Err(_) => who.t("category-usage-delete"),
        Ok(id) if categories::delete(&deps.core.store, id).await? => who.t("category-deleted"),
        Ok(_) => who.t("category-unknown"),
    };
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

/// `/payout_now`: shows who would be paid and asks for a confirmation first.
pub async fn payout_now(bot: Bot, who: Who, deps: Arc<Deps>) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let Some(payer) = &deps.core.payer else {
        bot.send_message(who.chat(), who.t("payout-now-disabled"))
            .await?;
        return Ok(());
    };
    let plan = payouts::preview(&deps.core.store, &payer.currency, payer.minimum).await?;
    if plan.is_empty() {
        bot.send_message(
            who.chat(),
            who.tr(
                "payout-now-nothing",
                &[("minimum", payer.minimum.to_string())],
            ),
        )
        .await?;
        return Ok(());
    }
    let total = payout::total(&plan);
    let keyboard = InlineKeyboardMarkup::new([[
        InlineKeyboardButton::callback(
            who.t("button-payout-go"),
            Action::PayoutGo(total.0).encode(),
        ),
        InlineKeyboardButton::callback(who.t("button-payout-drop"), Action::PayoutDrop.encode()),
    ]]);
    bot.send_message(
        who.chat(),
        who.tr(
            "payout-now-confirm",
            &[
                ("count", plan.len().to_string()),
                ("total", total.to_string()),
                ("currency", label(&payer.currency)),
            ],
        ),
    )
    .reply_markup(keyboard)
    .await?;
    Ok(())
}

/// The confirmation buttons. A run starts only if the total is still the one shown; the summary
/// reaches every admin when the run ends.
pub async fn on_press(bot: Bot, who: Who, deps: Arc<Deps>, action: Action) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let (Action::PayoutGo(shown), Some(payer)) = (action, deps.core.payer.clone()) else {
        bot.send_message(who.chat(), who.t("payout-now-dropped"))
            .await?;
        return Ok(());
    };
    let plan = payouts::preview(&deps.core.store, &payer.currency, payer.minimum).await?;
    if payout::total(&plan).0 != shown {
        bot.send_message(who.chat(), who.t("payout-now-changed"))
            .await?;
        return payout_now(bot, who, deps).await;
    }
    bot.send_message(who.chat(), who.t("payout-now-started"))
        .await?;
    let started_by = format!("admin {}", who.id);
    tokio::spawn(async move {
        // The outcome reaches the admins through the outbox; errors are logged by the run.
        let _ = payer.run(&started_by).await;
    });
    Ok(())
}
