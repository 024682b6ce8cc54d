//! Admin commands (only for `ADMIN_IDS`): the category list.

use super::{Deps, HandlerResult, Who};
use crate::store::categories;
use std::sync::Arc;
use teloxide::prelude::*;

const MAX_CATEGORY_NAME: usize = 40;

/// Refuses politely (and logs) when the user is not an admin.
async fn is_admin(bot: &Bot, who: &Who, deps: &Deps) -> Result<bool, super::BoxError> {
    if deps.admin_ids.contains(&who.id) {
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
    let list = categories::list(&deps.store).await?;
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
        Some(name) => match categories::add(&deps.store, name).await? {
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
        Some((id, name)) if categories::rename(&deps.store, id, name).await? => {
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
        Ok(id) if categories::delete(&deps.store, id).await? => who.t("category-deleted"),
        Ok(_) => who.t("category-unknown"),
    };
    bot.send_message(who.chat(), text).await?;
    Ok(())
}
