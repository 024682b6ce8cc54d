//! Finding products without a deep link: categories, paginated browsing, search, inline mode.

use super::action::{Action, MAX_PAGE};
use super::state::State;
use super::{ChatDialogue, Deps, HandlerResult, Who};
use crate::i18n;
use crate::store::categories;
use crate::store::products::{self, Listing, Product};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResult, InlineQueryResultArticle,
    InputMessageContent, InputMessageContentText,
};

const PAGE_SIZE: i64 = 8;
/// Inline results shown at once (Telegram allows 50).
const INLINE_RESULTS: i64 = 20;

/// The category list, or every product when the shop has no categories.
pub async fn categories(bot: Bot, who: Who, deps: Arc<Deps>) -> HandlerResult {
    let cats = categories::list(&deps.core.store).await?;
    if cats.is_empty() {
        return browse(bot, who, deps, None, 0).await;
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = cats
        .into_iter()
        .map(|c| {
            vec![InlineKeyboardButton::callback(
                c.name,
                Action::Browse(Some(c.id), 0).encode(),
            )]
        })
        .collect();
    rows.push(vec![InlineKeyboardButton::callback(
        who.t("browse-all"),
        Action::Browse(None, 0).encode(),
    )]);
    bot.send_message(who.chat(), who.t("browse-categories"))
        .reply_markup(InlineKeyboardMarkup::new(rows))
        .await?;
    Ok(())
}

/// One page of a category's products (all products for `None`), newest first.
pub async fn browse(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    category: Option<i64>,
    page: i64,
) -> HandlerResult {
    let listing = Listing {
        category_id: category,
        words: vec![],
    };
    let title = match category {
        Some(id) => match categories::get(&deps.core.store, id).await? {
            Some(c) => who.tr(
                "browse-category",
                &[("name", c.name), ("page", (page + 1).to_string())],
            ),
            None => {
                bot.send_message(who.chat(), who.t("stale-button")).await?;
                return Ok(());
            }
        },
        None => who.tr("browse-header", &[("page", (page + 1).to_string())]),
    };
    show_page(&bot, &who, &deps, &listing, page, title, |p| {
        Action::Browse(category, p)
    })
    .await
}

/// Asks for search words.
pub async fn prompt(bot: Bot, who: Who, dialogue: ChatDialogue) -> HandlerResult {
    dialogue.update(State::SearchQuery).await?;
    bot.send_message(who.chat(), who.t("search-ask")).await?;
    Ok(())
}

/// Products whose title or description holds every word, whatever the case and accents.
pub async fn search(bot: Bot, who: Who, deps: Arc<Deps>, text: &str, page: i64) -> HandlerResult {
    let listing = Listing::search(text);
    if listing.words.is_empty() {
        bot.send_message(who.chat(), who.t("search-ask")).await?;
        return Ok(());
    }
    let words = listing.words.join(" ");
    let title = who.tr(
        "search-results",
        &[
            ("query", text.trim().chars().take(60).collect()),
            ("page", (page + 1).to_string()),
        ],
    );
    show_page(&bot, &who, &deps, &listing, page, title, |p| {
        Action::Search(words.clone(), p)
    })
    .await
}

async fn show_page(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    listing: &Listing,
    page: i64,
    title: String,
    nav: impl Fn(i64) -> Action,
) -> HandlerResult {
    let page = page.clamp(0, MAX_PAGE);
    let items = products::list(
        &deps.core.store,
        listing,
        PAGE_SIZE + 1,
        Action::offset(page, PAGE_SIZE),
    )
    .await?;
    if items.is_empty() {
        let key = if page > 0 {
            "stale-button"
        } else if listing.words.is_empty() {
            "browse-empty"
        } else {
            "search-none"
        };
        bot.send_message(who.chat(), who.t(key)).await?;
        return Ok(());
    }
    let has_next = items.len() as i64 > PAGE_SIZE;
    let mut rows: Vec<Vec<InlineKeyboardButton>> = items
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|p| {
            let label = who.tr(
                "browse-item",
                &[("title", p.title.clone()), ("price", p.price.to_string())],
            );
            vec![InlineKeyboardButton::callback(
                label,
                Action::Product(p.id).encode(),
            )]
        })
        .collect();
    let mut buttons = Vec::new();
    if page > 0 {
        buttons.push(InlineKeyboardButton::callback(
            who.t("button-prev"),
            nav(page - 1).encode(),
        ));
    }
    if has_next {
        buttons.push(InlineKeyboardButton::callback(
            who.t("button-next"),
            nav(page + 1).encode(),
        ));
    }
    if !buttons.is_empty() {
        rows.push(buttons);
    }
    bot.send_message(who.chat(), title)
        .reply_markup(InlineKeyboardMarkup::new(rows))
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
    match action {
        Action::Categories => categories(bot, who, deps).await,
        // Page numbers come from callback data a client can forge.
        Action::Browse(category, page) => {
            browse(bot, who, deps, category, page.clamp(0, MAX_PAGE)).await
        }
        Action::Search(words, page) => {
            search(bot, who, deps, &words, page.clamp(0, MAX_PAGE)).await
        }
        Action::SearchPrompt => prompt(bot, who, dialogue).await,
        _ => Ok(()),
    }
}

/// `@bot words` in any chat: matching products as articles whose message carries the product's
/// deep link, so buyers can share them.
pub async fn inline_query(bot: Bot, q: InlineQuery, deps: Arc<Deps>) -> HandlerResult {
    let user = i64::try_from(q.from.id.0).unwrap_or_default();
    if deps.inline_limiter.check(user) != super::ratelimit::Verdict::Allow {
        // Typing faster than a search can help: this one is left unanswered.
        crate::metrics::inc("souk_updates_dropped_total", &[("reason", "inline")]);
        return Ok(());
    }
    let lang = i18n::negotiate(q.from.language_code.as_deref(), &deps.default_language);
    let listing = Listing::search(&q.query);
    let found = match products::list(&deps.core.store, &listing, INLINE_RESULTS, 0).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "inline search failed");
            Vec::new()
        }
    };
    let results: Vec<InlineQueryResult> = found
        .iter()
        .map(|p| InlineQueryResult::Article(article(&deps, &lang, p)))
        .collect();
    bot.answer_inline_query(q.id, results)
        .cache_time(10)
        .await?;
    Ok(())
}

fn article(deps: &Deps, lang: &str, p: &Product) -> InlineQueryResultArticle {
    let link = deep_link(deps, p.id);
    let price = p.price.to_string();
    let text = i18n::tr(
        lang,
        "inline-message",
        &[
            ("title", p.title.clone()),
            ("price", price.clone()),
            ("link", link.clone()),
        ],
    );
    let mut article = InlineQueryResultArticle::new(
        p.id.to_string(),
        i18n::tr(
            lang,
            "browse-item",
            &[("title", p.title.clone()), ("price", price)],
        ),
        InputMessageContent::Text(InputMessageContentText::new(text)),
    )
    .description(p.description.chars().take(120).collect::<String>());
    if let Ok(url) = link.parse() {
        let open = InlineKeyboardButton::url(i18n::t(lang, "inline-open"), url);
        article = article.reply_markup(InlineKeyboardMarkup::new([[open]]));
    }
    article
}

/// `https://t.me/<bot>?start=p_<id>`: opens the product in the bot.
pub fn deep_link(deps: &Deps, product_id: i64) -> String {
    format!("https://t.me/{}?start=p_{product_id}", deps.bot_username)
}
