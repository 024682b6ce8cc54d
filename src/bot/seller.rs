//! /sell: title → description → price → file → summary with Publish / Cancel.

use super::action::Action;
use super::state::{Draft, State};
use super::{Deps, HandlerResult, MAX_TEXT, SellDialogue, Who};
use crate::domain::UsdCents;
use crate::domain::price::{MAXIMUM_PRODUCT_PRICE, PriceError, parse_product_price};
use crate::store::products::{self, NewProduct};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

const MAX_TITLE: usize = 100;
const MAX_DESCRIPTION: usize = 2000;

pub async fn begin(bot: Bot, who: Who, dialogue: SellDialogue) -> HandlerResult {
    dialogue.update(State::SellTitle).await?;
    bot.send_message(
        who.chat(),
        who.tr("sell-ask-title", &[("max", MAX_TITLE.to_string())]),
    )
    .await?;
    Ok(())
}

/// A message while the user is in /sell: its meaning depends on the step.
pub async fn on_message(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: SellDialogue,
    state: State,
) -> HandlerResult {
    let chat = who.chat();
    let text = msg.text().map(str::trim);
    if text.is_some_and(|t| t.chars().count() > MAX_TEXT) {
        bot.send_message(chat, who.t("text-too-long")).await?;
        return Ok(());
    }
    match state {
        State::SellTitle => match text {
            Some(t) if !t.is_empty() && t.chars().count() <= MAX_TITLE => {
                dialogue
                    .update(State::SellDescription {
                        title: t.to_string(),
                    })
                    .await?;
                bot.send_message(
                    chat,
                    who.tr(
                        "sell-ask-description",
                        &[("max", MAX_DESCRIPTION.to_string())],
                    ),
                )
                .await?;
            }
            _ => {
                bot.send_message(
                    chat,
                    who.tr("sell-title-invalid", &[("max", MAX_TITLE.to_string())]),
                )
                .await?;
            }
        },
        State::SellDescription { title } => match text {
            Some(d) if !d.is_empty() && d.chars().count() <= MAX_DESCRIPTION => {
                dialogue
                    .update(State::SellPrice {
                        title,
                        description: d.to_string(),
                    })
                    .await?;
                bot.send_message(
                    chat,
                    who.tr("sell-ask-price", &[("min", deps.minimum_price.to_string())]),
                )
                .await?;
            }
            _ => {
                bot.send_message(
                    chat,
                    who.tr(
                        "sell-description-invalid",
                        &[("max", MAX_DESCRIPTION.to_string())],
                    ),
                )
                .await?;
            }
        },
        State::SellPrice { title, description } => {
            match parse_product_price(text.unwrap_or(""), deps.minimum_price) {
                Ok(price) => {
                    dialogue
                        .update(State::SellFile {
                            title,
                            description,
                            price_cents: price.0,
                        })
                        .await?;
                    bot.send_message(chat, who.t("sell-ask-file")).await?;
                }
                Err(e) => {
                    let reply = match e {
                        PriceError::NotANumber => who.t("price-not-a-number"),
                        PriceError::TooManyDecimals => who.t("price-too-many-decimals"),
                        PriceError::BelowMinimum => who.tr(
                            "price-below-minimum",
                            &[("min", deps.minimum_price.to_string())],
                        ),
                        PriceError::TooLarge => who.tr(
                            "price-too-large",
                            &[("max", MAXIMUM_PRODUCT_PRICE.to_string())],
                        ),
                    };
                    bot.send_message(chat, reply).await?;
                }
            }
        }
        State::SellFile {
            title,
            description,
            price_cents,
        } => match msg.document() {
            Some(doc) => {
                let draft = Draft {
                    title,
                    description,
                    price_cents,
                    file_id: doc.file.id.0.clone(),
                    file_unique_id: doc.file.unique_id.0.clone(),
                    file_name: doc.file_name.clone(),
                };
                let summary = who.tr(
                    "sell-summary",
                    &[
                        ("title", draft.title.clone()),
                        ("description", draft.description.clone()),
                        ("price", UsdCents(draft.price_cents).to_string()),
                        (
                            "file",
                            draft.file_name.clone().unwrap_or_else(|| "-".into()),
                        ),
                    ],
                );
                dialogue.update(State::SellConfirm { draft }).await?;
                let keyboard = InlineKeyboardMarkup::new([[
                    InlineKeyboardButton::callback(
                        who.t("button-publish"),
                        Action::Publish.encode(),
                    ),
                    InlineKeyboardButton::callback(
                        who.t("button-cancel"),
                        Action::DiscardDraft.encode(),
                    ),
                ]]);
                bot.send_message(chat, summary)
                    .reply_markup(keyboard)
                    .await?;
            }
            None => {
                bot.send_message(chat, who.t("sell-file-not-document"))
                    .await?;
            }
        },
        State::SellConfirm { .. } => {
            bot.send_message(chat, who.t("sell-confirm-pending"))
                .await?;
        }
        // Not a /sell state: bot::on_message routes those elsewhere.
        State::Idle | State::WalletAddress | State::WalletConfirm { .. } => {}
    }
    Ok(())
}

pub async fn on_press(
    bot: Bot,
    who: Who,
    q: CallbackQuery,
    deps: Arc<Deps>,
    dialogue: SellDialogue,
    action: Action,
) -> HandlerResult {
    bot.answer_callback_query(q.id.clone()).await?;
    match action {
        Action::Sell => begin(bot, who, dialogue).await,
        Action::Publish => {
            let Some(State::SellConfirm { draft }) = dialogue.get().await? else {
                bot.send_message(who.chat(), who.t("sell-nothing-to-publish"))
                    .await?;
                return Ok(());
            };
            let id = products::insert(
                &deps.store,
                &NewProduct {
                    seller_id: who.id,
                    title: draft.title.clone(),
                    description: draft.description,
                    price: UsdCents(draft.price_cents),
                    file_id: draft.file_id,
                    file_unique_id: draft.file_unique_id,
                    file_name: draft.file_name,
                },
            )
            .await?;
            dialogue.exit().await?;
            tracing::info!(product_id = id, seller_id = who.id, "product published");
            let link = format!("https://t.me/{}?start=p_{id}", deps.bot_username);
            bot.send_message(
                who.chat(),
                who.tr("sell-published", &[("title", draft.title), ("link", link)]),
            )
            .await?;
            Ok(())
        }
        Action::DiscardDraft => {
            let had_draft = matches!(dialogue.get().await?, Some(State::SellConfirm { .. }));
            dialogue.exit().await?;
            bot.send_message(
                who.chat(),
                who.t(if had_draft {
                    "sell-discarded"
                } else {
                    "sell-nothing-to-publish"
                }),
            )
            .await?;
            Ok(())
        }
        _ => Ok(()),
    }
}
