//! /sell: title → description → price → category → kind → what buyers receive → a cover photo
//! (or Skip) → Publish / Cancel.

mod confirm;
mod cover;

use super::action::Action;
use super::state::{Content, Draft, Listing, State};
use super::{BoxError, ChatDialogue, Deps, HandlerResult, MAX_TEXT, Who, uploads};
use crate::domain::UsdCents;
use crate::domain::price::{MAXIMUM_PRODUCT_PRICE, PriceError, parse_product_price};
use crate::domain::product::ProductKind;
use crate::store::categories::{self, Category};
use crate::store::products::{self, NewProduct};
use crate::store::users;
use std::sync::Arc;
use teloxide::dispatching::UpdateHandler;
use teloxide::dptree::case;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

pub const MAX_TITLE: usize = 100;
pub const MAX_DESCRIPTION: usize = 2000;

pub async fn begin(bot: Bot, who: Who, deps: Arc<Deps>, dialogue: ChatDialogue) -> HandlerResult {
    if users::is_banned(&deps.core.store, who.id).await? {
        bot.send_message(who.chat(), who.t("account-banned"))
            .await?;
        return Ok(());
    }
    dialogue.update(State::SellTitle).await?;
    bot.send_message(
        who.chat(),
        who.tr("sell-ask-title", &[("max", MAX_TITLE.to_string())]),
    )
    .await?;
    Ok(())
}

/// The /sell steps of the replies routing table: a text over Telegram's length is refused
/// first, then each step reads its reply.
pub fn steps() -> UpdateHandler<BoxError> {
    dptree::entry()
        .branch(dptree::filter(is_too_long).endpoint(too_long))
        .branch(case![State::SellTitle].endpoint(title))
        .branch(case![State::SellDescription { title }].endpoint(description))
        .branch(case![State::SellPrice { title, description }].endpoint(price_step))
        .branch(case![State::SellCategory { listing }].endpoint(press_a_button))
        .branch(case![State::SellKind { listing }].endpoint(press_a_button))
        .branch(case![State::SellContent { listing, kind }].endpoint(content))
        .branch(case![State::SellPhoto { draft }].endpoint(cover::receive))
        .branch(case![State::SellConfirm { draft }].endpoint(confirm_pending))
}

fn is_too_long(msg: Message) -> bool {
    msg.text()
        .is_some_and(|t| t.trim().chars().count() > MAX_TEXT)
}

async fn too_long(bot: Bot, who: Who) -> HandlerResult {
    bot.send_message(who.chat(), who.t("text-too-long")).await?;
    Ok(())
}

fn text(msg: &Message) -> Option<&str> {
    msg.text().map(str::trim)
}

async fn title(bot: Bot, who: Who, msg: Message, dialogue: ChatDialogue) -> HandlerResult {
    match title_of(&who, text(&msg)) {
        Ok(t) => {
            dialogue.update(State::SellDescription { title: t }).await?;
            bot.send_message(
                who.chat(),
                who.tr(
                    "sell-ask-description",
                    &[("max", MAX_DESCRIPTION.to_string())],
                ),
            )
            .await?;
        }
        Err(reply) => {
            bot.send_message(who.chat(), reply).await?;
        }
    }
    Ok(())
}

async fn description(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    title: String,
) -> HandlerResult {
    match description_of(&who, text(&msg)) {
        Ok(d) => {
            dialogue
                .update(State::SellPrice {
                    title,
                    description: d,
                })
                .await?;
            bot.send_message(
                who.chat(),
                who.tr("sell-ask-price", &[("min", deps.minimum_price.to_string())]),
            )
            .await?;
        }
        Err(reply) => {
            bot.send_message(who.chat(), reply).await?;
        }
    }
    Ok(())
}

async fn price_step(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    (title, description): (String, String),
) -> HandlerResult {
    let price = match price(&who, &deps, text(&msg)) {
        Ok(price) => price,
        Err(reply) => {
            bot.send_message(who.chat(), reply).await?;
            return Ok(());
        }
    };
    let listing = Listing {
        title,
        description,
        price_cents: price.0,
        category_id: None,
        access_days: None,
    };
    let cats = categories::list(&deps.core.store).await?;
    if cats.is_empty() {
        return ask_kind(&bot, &who, &dialogue, listing).await;
    }
    dialogue.update(State::SellCategory { listing }).await?;
    let keyboard = category_keyboard(&who, &cats, 0);
    bot.send_message(who.chat(), who.t("sell-ask-category"))
        .reply_markup(keyboard)
        .await?;
    Ok(())
}

/// Page `page` of the categories a seller picks from, with the way to the other pages.
fn category_keyboard(who: &Who, cats: &[Category], page: i64) -> InlineKeyboardMarkup {
    let (shown, has_next) = super::catalog::category_page(cats, page);
    let mut rows: Vec<Vec<InlineKeyboardButton>> = shown
        .iter()
        .map(|c| {
            vec![InlineKeyboardButton::callback(
                c.name.clone(),
                Action::PickCategory(c.id).encode(),
            )]
        })
        .collect();
    super::screen::pager(who, &mut rows, page, has_next, Action::SellCategories);
    InlineKeyboardMarkup::new(rows)
}

/// Another page of /sell's categories, in place, while the seller is choosing one.
pub async fn category_page(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    page: i64,
    place: super::screen::Place,
) -> HandlerResult {
    if !matches!(dialogue.get().await?, Some(State::SellCategory { .. })) {
        bot.send_message(who.chat(), who.t("stale-button")).await?;
        return Ok(());
    }
    let cats = categories::list(&deps.core.store).await?;
    let keyboard = category_keyboard(&who, &cats, page.clamp(0, super::action::MAX_PAGE));
    let ask = who.html("sell-ask-category", &[]);
    super::screen::show(&bot, &who, place, ask, Some(keyboard)).await
}

/// The step waits for a button (a category, a kind), not for text.
async fn press_a_button(bot: Bot, who: Who, _listing: Listing) -> HandlerResult {
    bot.send_message(who.chat(), who.t("sell-press-a-button"))
        .await?;
    Ok(())
}

async fn content(
    bot: Bot,
    who: Who,
    msg: Message,
    dialogue: ChatDialogue,
    (listing, kind): (Listing, ProductKind),
) -> HandlerResult {
    let Some(content) = uploads::read_content(&bot, &who, &msg, kind).await? else {
        return Ok(());
    };
    let draft = Draft {
        listing,
        content,
        photo: None,
    };
    cover::ask(&bot, &who, &dialogue, draft).await
}

/// The draft waits for Publish or Cancel.
async fn confirm_pending(bot: Bot, who: Who, _draft: Draft) -> HandlerResult {
    bot.send_message(who.chat(), who.t("sell-confirm-pending"))
        .await?;
    Ok(())
}

/// The title typed, or the message explaining why it is refused.
pub fn title_of(who: &Who, text: Option<&str>) -> Result<String, String> {
    text.filter(|t| !t.is_empty() && t.chars().count() <= MAX_TITLE)
        .map(String::from)
        .ok_or_else(|| who.tr("sell-title-invalid", &[("max", MAX_TITLE.to_string())]))
}

/// The description typed, or the message explaining why it is refused.
pub fn description_of(who: &Who, text: Option<&str>) -> Result<String, String> {
    text.filter(|d| !d.is_empty() && d.chars().count() <= MAX_DESCRIPTION)
        .map(String::from)
        .ok_or_else(|| {
            who.tr(
                "sell-description-invalid",
                &[("max", MAX_DESCRIPTION.to_string())],
            )
        })
}

/// The price typed, or the message explaining why it is refused.
pub fn price(who: &Who, deps: &Deps, text: Option<&str>) -> Result<UsdCents, String> {
    parse_product_price(text.unwrap_or(""), deps.minimum_price).map_err(|e| match e {
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
    })
}

async fn ask_kind(
    bot: &Bot,
    who: &Who,
    dialogue: &ChatDialogue,
    listing: Listing,
) -> HandlerResult {
    dialogue.update(State::SellKind { listing }).await?;
    let keyboard = InlineKeyboardMarkup::new([
        vec![InlineKeyboardButton::callback(
            who.t("kind-file"),
            Action::PickKind(ProductKind::File).encode(),
        )],
        vec![InlineKeyboardButton::callback(
            who.t("kind-items"),
            Action::PickKind(ProductKind::Items).encode(),
        )],
        vec![InlineKeyboardButton::callback(
            who.t("kind-text"),
            Action::PickKind(ProductKind::Text).encode(),
        )],
        vec![InlineKeyboardButton::callback(
            who.t("kind-access"),
            Action::PickKind(ProductKind::Access).encode(),
        )],
    ]);
    bot.send_message(who.chat(), who.t("sell-ask-kind"))
        .reply_markup(keyboard)
        .await?;
    Ok(())
}

pub async fn on_press(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    action: Action,
) -> HandlerResult {
    let state = dialogue.get().await?.unwrap_or_default();
    match (action, state) {
        (Action::Sell, _) => begin(bot, who, deps, dialogue).await,
        (Action::PickCategory(id), State::SellCategory { mut listing }) => {
            match categories::get(&deps.core.store, id).await? {
                Some(c) => {
                    listing.category_id = Some(c.id);
                    ask_kind(&bot, &who, &dialogue, listing).await
                }
                None => {
                    bot.send_message(who.chat(), who.t("stale-button")).await?;
                    Ok(())
                }
            }
        }
        (Action::PickKind(kind), State::SellKind { listing }) => {
            dialogue
                .update(State::SellContent { listing, kind })
                .await?;
            let key = match kind {
                ProductKind::File => "sell-ask-file",
                ProductKind::Items => "sell-ask-items",
                ProductKind::Text => "sell-ask-text",
                ProductKind::Access => {
                    bot.send_message(who.chat(), who.t("sell-access-term"))
                        .reply_markup(super::chat_access::terms(&who))
                        .await?;
                    return Ok(());
                }
            };
            bot.send_message(who.chat(), who.t(key)).await?;
            Ok(())
        }
        (
            Action::PickTerm(days),
            State::SellContent {
                mut listing,
                kind: ProductKind::Access,
            },
        ) => {
            listing.access_days = (days > 0).then_some(days);
            let kind = ProductKind::Access;
            dialogue
                .update(State::SellContent { listing, kind })
                .await?;
            bot.send_message(who.chat(), who.t("sell-access-pick"))
                .reply_markup(super::chat_access::picker(&who))
                .await?;
            Ok(())
        }
        (Action::SkipPhoto, State::SellPhoto { draft }) => {
            confirm::show(&bot, &who, &deps, &dialogue, draft).await
        }
        (Action::Publish, State::SellConfirm { .. })
            if users::is_banned(&deps.core.store, who.id).await? =>
        {
            dialogue.exit().await?;
            bot.send_message(who.chat(), who.t("account-banned"))
                .await?;
            Ok(())
        }
        (Action::Publish, State::SellConfirm { draft }) => {
            publish(bot, who, deps, dialogue, draft).await
        }
        (Action::DiscardDraft, State::SellConfirm { .. }) => {
            dialogue.exit().await?;
            bot.send_message(who.chat(), who.t("sell-discarded"))
                .await?;
            Ok(())
        }
        (Action::Publish | Action::DiscardDraft, _) => {
            bot.send_message(who.chat(), who.t("sell-nothing-to-publish"))
                .await?;
            Ok(())
        }
        _ => {
            bot.send_message(who.chat(), who.t("stale-button")).await?;
            Ok(())
        }
    }
}

async fn publish(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    draft: Draft,
) -> HandlerResult {
    let Draft {
        listing,
        content,
        photo,
    } = draft;
    let mut access_chat = None;
    let (kind, file, text, items) = match content {
        Content::File {
            file_id,
            file_unique_id,
            file_name,
            file_size,
        } => (
            ProductKind::File,
            (file_id, file_unique_id, file_name, file_size),
            None,
            vec![],
        ),
        Content::Items(items) => (ProductKind::Items, Default::default(), None, items),
        Content::Text(t) => (ProductKind::Text, Default::default(), Some(t), vec![]),
        Content::Access { chat_id, title } => {
            access_chat = Some((chat_id, title));
            (ProductKind::Access, Default::default(), None, vec![])
        }
    };
    let new = NewProduct {
        seller_id: who.id,
        title: listing.title.clone(),
        description: listing.description,
        price: UsdCents(listing.price_cents),
        kind,
        category_id: listing.category_id,
        file_id: file.0,
        file_unique_id: file.1,
        file_name: file.2,
        file_size: file.3,
        text_content: text,
        photo,
        access_days: listing.access_days.filter(|_| access_chat.is_some()),
        access_chat,
    };
    let id = products::insert(&deps.core.store, &new, &items).await?;
    dialogue.exit().await?;
    tracing::info!(
        product_id = id,
        seller_id = who.id,
        kind = kind.as_str(),
        "product published"
    );
    if kind == ProductKind::File {
        deps.file_copies.copy_later(id);
    }
    let link = super::catalog::deep_link(&deps, id);
    let mut text = who.tr(
        "sell-published",
        &[("title", listing.title), ("link", link)],
    );
    // The reminder first: the link closes the message, easy to copy.
    if let Some(nag) = confirm::wallet_nag(&who, &deps).await? {
        text = format!("{nag}\n\n{text}");
    }
    bot.send_message(who.chat(), text)
        .link_preview_options(super::screen::no_preview())
        .await?;
    Ok(())
}
