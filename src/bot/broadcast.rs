//! `/broadcast`: an admin writes a message, sees it as users will, confirms, and follows a live
//! progress message while `services::broadcast` sends it.

use super::action::Action;
use super::admin::is_admin;
use super::state::State;
use super::{ChatDialogue, Deps, HandlerResult, MAX_TEXT, Who};
use crate::store::broadcasts::{self, Content};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

pub async fn begin(bot: Bot, who: Who, deps: Arc<Deps>, dialogue: ChatDialogue) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    dialogue.update(State::BroadcastText).await?;
    bot.send_message(who.chat(), who.t("broadcast-ask")).await?;
    Ok(())
}

/// What the admin's message broadcasts: a text with its formatting, or the photo or document
/// message itself (copied to each user, caption and formatting included).
fn content_of(msg: &Message) -> Option<Content> {
    if msg.photo().is_some() || msg.document().is_some() {
        return Some(Content {
            text: msg.caption().unwrap_or_default().to_string(),
            entities: None,
            source_message_id: Some(i64::from(msg.id.0)),
        });
    }
    let text = msg.text()?;
    if text.trim().is_empty() || text.chars().count() > MAX_TEXT {
        return None;
    }
    // The text as sent (entity offsets count from its first character), its formatting kept.
    let entities = msg
        .entities()
        .filter(|e| !e.is_empty())
        .and_then(|e| serde_json::to_string(e).ok());
    Some(Content {
        text: text.to_string(),
        entities,
        source_message_id: None,
    })
}

/// The admin's message: kept as a draft and shown back, as users will see it, with the
/// confirmation.
pub async fn receive(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    msg: Message,
) -> HandlerResult {
    let Some(content) = content_of(&msg) else {
        bot.send_message(who.chat(), who.t("broadcast-not-text"))
            .await?;
        return Ok(());
    };
    dialogue.exit().await?;
    let id = broadcasts::create_draft(&deps.core.store, who.id, &content).await?;
    let audience = broadcasts::audience(&deps.core.store).await?;
    let draft = broadcasts::get(&deps.core.store, id).await?;
    if let Some(draft) = draft {
        crate::services::broadcast::send_content(&bot, who.chat(), &draft).await?;
    }
    let keyboard = InlineKeyboardMarkup::new([[
        InlineKeyboardButton::callback(
            who.t("button-broadcast-go"),
            Action::BroadcastGo(id).encode(),
        ),
        InlineKeyboardButton::callback(
            who.t("button-broadcast-drop"),
            Action::BroadcastDrop(id).encode(),
        ),
    ]]);
    bot.send_message(
        who.chat(),
        who.tr("broadcast-confirm", &[("count", audience.to_string())]),
    )
    .reply_markup(keyboard)
    .await?;
    Ok(())
}

pub async fn on_press(bot: Bot, who: Who, deps: Arc<Deps>, action: Action) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    match action {
        Action::BroadcastGo(id) => {
            // Only the first press starts it: the draft moves to sending once.
            if !broadcasts::start(&deps.core.store, id).await? {
                bot.send_message(who.chat(), who.t("broadcast-not-draft"))
                    .await?;
                return Ok(());
            }
            let progress = broadcasts::progress(&deps.core.store, id).await?;
            let message = bot
                .send_message(
                    who.chat(),
                    who.tr(
                        "broadcast-progress",
                        &[
                            ("id", id.to_string()),
                            ("sent", "0".into()),
                            ("failed", "0".into()),
                            ("blocked", "0".into()),
                            ("remaining", progress.remaining.to_string()),
                        ],
                    ),
                )
                .await?;
            broadcasts::set_progress_message(&deps.core.store, id, i64::from(message.id.0)).await?;
            tracing::info!(
                admin = who.id,
                broadcast = id,
                recipients = progress.remaining,
                "broadcast started"
            );
            let broadcaster = deps.broadcaster.clone();
            tokio::spawn(async move {
                if let Err(e) = broadcaster.run(id).await {
                    tracing::error!(broadcast = id, error = %e, "broadcast stopped");
                }
            });
        }
        Action::BroadcastDrop(id) => {
            let key = if broadcasts::drop_draft(&deps.core.store, id).await? {
                "broadcast-dropped"
            } else {
                "broadcast-not-draft"
            };
            bot.send_message(who.chat(), who.t(key)).await?;
        }
        _ => {}
    }
    Ok(())
}
