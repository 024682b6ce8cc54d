//! The cover photo step of /sell: a photo for the product's card (the largest size Telegram
//! gives), or Skip.

use super::confirm;
use crate::bot::action::Action;
use crate::bot::state::{Draft, State};
use crate::bot::{ChatDialogue, Deps, HandlerResult, Who, uploads};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

/// Asks for the cover photo, with Skip.
pub(super) async fn ask(
    bot: &Bot,
    who: &Who,
    dialogue: &ChatDialogue,
    draft: Draft,
) -> HandlerResult {
    dialogue.update(State::SellPhoto { draft }).await?;
    let skip = InlineKeyboardButton::callback(who.t("button-skip"), Action::SkipPhoto.encode());
    bot.send_message(who.chat(), who.t("sell-ask-cover"))
        .reply_markup(InlineKeyboardMarkup::new([[skip]]))
        .await?;
    Ok(())
}

/// The seller's answer: a photo becomes the cover; anything else is explained.
pub(super) async fn receive(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    mut draft: Draft,
) -> HandlerResult {
    match uploads::cover_of(&msg) {
        Some(photo) => {
            draft.photo = Some(photo);
            confirm::show(&bot, &who, &deps, &dialogue, draft).await
        }
        None => {
            bot.send_message(who.chat(), who.t("sell-cover-not-photo"))
                .await?;
            Ok(())
        }
    }
}
