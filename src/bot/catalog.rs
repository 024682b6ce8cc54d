//! Finding products without a deep link: categories, paginated browsing, search, inline mode.

use super::action::{Action, MAX_PAGE};
use super::screen::{self, Place};
use super::state::State;
use super::{ChatDialogue, Deps, HandlerResult, Who};
use crate::i18n;
use crate::store::categories::{self, Category};
use crate::store::products::{self, Listing, Product};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{
    FileId, InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResult,
    InlineQueryResultArticle, InlineQueryResultCachedPhoto, InputMessageContent,
    InputMessageContentText,
};

const PAGE_SIZE: i64 = 8;
/// Inline results shown at once (Telegram allows 50).
const INLINE_RESULTS: i64 = 20;

/// Categories shown on one page: a keyboard stays far below Telegram's 100 buttons.
pub const CATEGORIES_PAGE: usize = 30;

/// Page `page` of a list of categories, and whether another page follows.
pub fn category_page(cats: &[Category], page: i64) -> (&[Category], bool) {
    let start = (page.max(0) as usize)
        .saturating_mul(CATEGORIES_PAGE)
        .min(cats.len());
    let end = (start + CATEGORIES_PAGE).min(cats.len());
    (&cats[start..end], end < cats.len())
}

/// The category list (page `page`), or every product when the shop has no categories.
pub async fn categories(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    page: i64,
    place: Place,
) -> HandlerResult {
    let cats = categories::list(&deps.core.store).await?;
    if cats.is_empty() {
        return browse(bot, who, deps, None, 0, place).await;
    }
    let (shown, has_next) = category_page(&cats, page);
    let mut rows: Vec<Vec<InlineKeyboardButton>> = shown
        .iter()
        .map(|c| {
            vec![InlineKeyboardButton::callback(
                c.name.clone(),
                Action::Browse(Some(c.id), 0).encode(),
            )]
        })
        .collect();
    screen::pager(&who, &mut rows, page, has_next, Action::Categories);
    rows.push(vec![InlineKeyboardButton::callback(
        who.t("browse-all"),
        Action::Browse(None, 0).encode(),
    )]);
    rows.push(vec![back(&who, Action::Menu)]);
    let keyboard = InlineKeyboardMarkup::new(rows);
    screen::show(
        &bot,
        &who,
        place,
        who.html("browse-categories", &[]),
        Some(keyboard),
    )
    .await
}

/// "◀ Back" to `to`.
pub fn back(who: &Who, to: Action) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(who.t("button-back"), to.encode())
}

/// One page of a category's products (all products for `None`), newest first.
pub async fn browse(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    category: Option<i64>,
    page: i64,
    place: Place,
) -> HandlerResult {
    let listing = Listing {
        category_id: category,
        words: vec![],
    };
    let title = match category {
        Some(id) => match categories::get(&deps.core.store, id).await? {
            Some(c) => who.html(
                "browse-category",
                &[("name", c.name), ("page", (page + 1).to_string())],
            ),
            None => {
                let stale = who.html("stale-button", &[]);
                return screen::show(&bot, &who, place, stale, None).await;
            }
        },
        None => who.html("browse-header", &[("page", (page + 1).to_string())]),
    };
    // Back to the categories, or to the menu when the shop has none (the list is the top).
    let back_to = match category {
        Some(_) => Action::Categories(0),
        None if categories::list(&deps.core.store).await?.is_empty() => Action::Menu,
        None => Action::Categories(0),
    };
    let page_of = Page {
        listing: &listing,
        page,
        title,
        place,
        back_to,
    };
    show_page(&bot, &who, &deps, page_of, |p| Action::Browse(category, p)).await
}

/// Asks for search words.
pub async fn prompt(bot: Bot, who: Who, dialogue: ChatDialogue) -> HandlerResult {
    dialogue.update(State::SearchQuery).await?;
    bot.send_message(who.chat(), who.t("search-ask")).await?;
    Ok(())
}

/// Products whose title or description holds every word, whatever the case and accents.
pub async fn search(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    text: &str,
    page: i64,
    place: Place,
) -> HandlerResult {
    let listing = Listing::search(text);
    if listing.words.is_empty() {
        return screen::show(&bot, &who, place, who.html("search-ask", &[]), None).await;
    }
    let words = listing.words.join(" ");
    let title = who.html(
        "search-results",
        &[
            ("query", text.trim().chars().take(60).collect()),
            ("page", (page + 1).to_string()),
        ],
    );
    let page_of = Page {
        listing: &listing,
        page,
        title,
        place,
        back_to: Action::Menu,
    };
    show_page(&bot, &who, &deps, page_of, |p| {
        Action::Search(words.clone(), p)
    })
    .await
}

/// One page of a listing to show: which products, which page, its title (HTML), where, and
/// where "◀ Back" goes.
struct Page<'a> {
    listing: &'a Listing,
    page: i64,
    title: String,
    place: Place,
    back_to: Action,
}

async fn show_page(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    Page {
        listing,
        page,
        title,
        place,
        back_to,
    }: Page<'_>,
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
        let keyboard = InlineKeyboardMarkup::new([[back(who, Action::Menu)]]);
        return screen::show(bot, who, place, who.html(key, &[]), Some(keyboard)).await;
    }
    let has_next = items.len() as i64 > PAGE_SIZE;
    let mut rows: Vec<Vec<InlineKeyboardButton>> = items
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|p| {
            let label = who.tr(
                "browse-item",
                &[
                    ("title", p.title.clone()),
                    ("price", deps.checkout.quote(p).total.to_string()),
                ],
            );
            vec![InlineKeyboardButton::callback(
                label,
                Action::Product(p.id).encode(),
            )]
        })
        .collect();
    screen::pager(who, &mut rows, page, has_next, nav);
    rows.push(vec![back(who, back_to)]);
    screen::show(
        bot,
        who,
        place,
        title,
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await
}

pub async fn on_press(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    action: Action,
    place: Place,
) -> HandlerResult {
    match action {
        Action::Categories(page) => categories(bot, who, deps, page, place).await,
        // Page numbers come from callback data a client can forge.
        Action::Browse(category, page) => {
            browse(bot, who, deps, category, page.clamp(0, MAX_PAGE), place).await
        }
        Action::Search(words, page) => {
            search(bot, who, deps, &words, page.clamp(0, MAX_PAGE), place).await
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
    let results: Vec<InlineQueryResult> = found.iter().map(|p| result(&deps, &lang, p)).collect();
    bot.answer_inline_query(q.id, results)
        .cache_time(10)
        .await?;
    Ok(())
}

/// One product in inline mode: its cover photo (a thumbnail in the list, sent as the photo with
/// the caption) when it has one, else an article; either way with "Open in the shop".
fn result(deps: &Deps, lang: &str, p: &Product) -> InlineQueryResult {
    let link = deep_link(deps, p.id);
    // The price the buyer pays, fee included, as on the card.
    let price = deps.checkout.quote(p).total.to_string();
    let text = i18n::tr(
        lang,
        "inline-message",
        &[
            ("title", p.title.clone()),
            ("price", price.clone()),
            ("link", link.clone()),
        ],
    );
    let title = i18n::tr(
        lang,
        "browse-item",
        &[("title", p.title.clone()), ("price", price)],
    );
    let description: String = p.description.chars().take(120).collect();
    let open = link.parse().ok().map(|url| {
        let open = InlineKeyboardButton::url(i18n::t(lang, "inline-open"), url);
        InlineKeyboardMarkup::new([[open]])
    });
    if let Some(photo) = &p.photo {
        let mut card = InlineQueryResultCachedPhoto::new(p.id.to_string(), FileId(photo.clone()))
            .title(title)
            .description(description)
            .caption(text);
        if let Some(open) = open {
            card = card.reply_markup(open);
        }
        return InlineQueryResult::CachedPhoto(card);
    }
    let mut article = InlineQueryResultArticle::new(
        p.id.to_string(),
        title,
        InputMessageContent::Text(InputMessageContentText::new(text)),
    )
    .description(description);
    if let Some(open) = open {
        article = article.reply_markup(open);
    }
    InlineQueryResult::Article(article)
}

/// `https://t.me/<bot>?start=p_<id>`: opens the product in the bot.
pub fn deep_link(deps: &Deps, product_id: i64) -> String {
    format!("https://t.me/{}?start=p_{product_id}", deps.bot_username)
}
