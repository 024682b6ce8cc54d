//! Reviews in the chat: the stars of the invitation (a rating, then a comment), a product's
//! reviews page from its card, the seller's answer, `/hide_review`, and a seller's profile
//! (`?start=s_<id>`, and a button on every card). The rules are in `services::reviews`.

use super::action::{Action, MAX_PAGE};
use super::catalog::back;
use super::screen::{self, Place};
use super::state::State;
use super::{ChatDialogue, Deps, HandlerResult, Who};
use crate::domain::review::stars_line;
use crate::services::reviews::{self, Refusal};
use crate::store::products;
use crate::store::reviews::{self as stored, Rated};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

/// Reviews on one page.
const PAGE_SIZE: i64 = 5;

/// A rating from the invitation's stars: saved (or changed), then a comment is asked for.
pub async fn rate(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    order_id: i64,
    stars: i64,
) -> HandlerResult {
    match reviews::rate(&deps.core.store, order_id, who.id, stars).await? {
        Ok(rated) => {
            dialogue.update(State::ReviewComment { order_id }).await?;
            let key = match rated {
                Rated::New(_) => "review-rated",
                Rated::Changed(_) => "review-changed",
            };
            let text = who.tr(key, &[("stars", stars_line(stars))]);
            bot.send_message(who.chat(), text).await?;
        }
        Err(Refusal::NotABuyer | Refusal::NotARating) => {
            bot.send_message(who.chat(), who.t("review-not-a-buyer"))
                .await?;
        }
    }
    Ok(())
}

/// The buyer's comment after their rating.
pub async fn comment(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    order_id: i64,
) -> HandlerResult {
    let Some(text) = super::typed::required_text(&bot, &who, &msg).await? else {
        return Ok(());
    };
    dialogue.exit().await?;
    let key = if reviews::comment(&deps.core.store, order_id, who.id, text).await? {
        "review-saved"
    } else {
        "review-not-a-buyer"
    };
    bot.send_message(who.chat(), who.t(key)).await?;
    Ok(())
}

/// "Answer" under a new review: its seller writes their one answer.
pub async fn ask_answer(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    review_id: i64,
) -> HandlerResult {
    let review = stored::get(&deps.core.store, review_id).await?;
    let key = match review {
        Some(r) if r.seller_id == who.id && r.answer.is_none() => {
            dialogue.update(State::ReviewAnswer { review_id }).await?;
            "review-answer-ask"
        }
        Some(r) if r.seller_id == who.id => "review-answered-already",
        _ => "review-not-yours",
    };
    bot.send_message(who.chat(), who.t(key)).await?;
    Ok(())
}

/// The seller's answer, kept once and told to the buyer.
pub async fn answer(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    review_id: i64,
) -> HandlerResult {
    let Some(text) = super::typed::required_text(&bot, &who, &msg).await? else {
        return Ok(());
    };
    dialogue.exit().await?;
    let key = if reviews::answer(&deps.core.store, review_id, who.id, text).await? {
        "review-answer-saved"
    } else {
        "review-answered-already"
    };
    bot.send_message(who.chat(), who.t(key)).await?;
    Ok(())
}

/// A product's visible reviews, newest first, page `page`, with each seller's answer.
pub async fn page(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    product_id: i64,
    page: i64,
    place: Place,
) -> HandlerResult {
    let store = &deps.core.store;
    let page = page.clamp(0, MAX_PAGE);
    let Some(product) = products::get(store, product_id).await? else {
        return screen::show(
            &bot,
            &who,
            place,
            who.html("product-unavailable", &[]),
            None,
        )
        .await;
    };
    let rating = stored::of_product_rating(store, product_id).await?;
    let list = stored::of_product(store, product_id, PAGE_SIZE + 1, page * PAGE_SIZE).await?;
    let mut text = match rating.average() {
        Some(average) => who.html(
            "reviews-header",
            &[
                ("title", product.title.clone()),
                ("average", average),
                ("count", rating.count.to_string()),
            ],
        ),
        None => who.html("reviews-header-none", &[("title", product.title.clone())]),
    };
    for r in list.iter().take(PAGE_SIZE as usize) {
        let mut line = who.html(
            "reviews-line",
            &[
                ("id", r.id.to_string()),
                ("stars", stars_line(r.stars)),
                ("comment", r.comment.clone().unwrap_or_default()),
            ],
        );
        if let Some(answer) = &r.answer {
            line = format!(
                "{line}\n{}",
                who.html("reviews-answer", &[("text", answer.clone())])
            );
        }
        text = format!("{text}\n\n{line}");
    }
    let mut rows = Vec::new();
    // Admins hide a review from here.
    if deps.core.admins().contains(&who.id) {
        let hide: Vec<InlineKeyboardButton> = list
            .iter()
            .take(PAGE_SIZE as usize)
            .map(|r| {
                let label = who.tr("button-hide-review", &[("id", r.id.to_string())]);
                InlineKeyboardButton::callback(label, Action::HideReview(r.id).encode())
            })
            .collect();
        rows.extend(hide.chunks(3).map(<[_]>::to_vec));
    }
    let has_next = list.len() as i64 > PAGE_SIZE;
    screen::pager(&who, &mut rows, page, has_next, |p| {
        Action::Reviews(product_id, p)
    });
    rows.push(vec![back(&who, Action::Product(product_id))]);
    screen::show(
        &bot,
        &who,
        place,
        text,
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await
}

/// A seller's profile: their rating, sales, and products in the shop (a button each).
pub async fn seller_profile(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    seller_id: i64,
    place: Place,
) -> HandlerResult {
    let store = &deps.core.store;
    let all = products::by_seller(store, seller_id).await?;
    let sales: i64 = all.iter().map(|(_, n)| n).sum();
    let shown: Vec<&products::Product> = all
        .iter()
        .map(|(p, _)| p)
        .filter(|p| p.is_buyable())
        .take(30)
        .collect();
    let Some(first) = shown.first() else {
        return screen::show(&bot, &who, place, who.html("seller-unknown", &[]), None).await;
    };
    let front = products::storefront(store, first).await?;
    let rating = stored::of_seller_rating(store, seller_id).await?;
    let text = who.html(
        "seller-profile",
        &[
            ("seller", front.seller),
            ("average", rating.average().unwrap_or_else(|| "-".into())),
            ("count", rating.count.to_string()),
            ("sales", sales.to_string()),
            ("products", shown.len().to_string()),
        ],
    );
    let mut rows: Vec<Vec<InlineKeyboardButton>> = shown
        .iter()
        .map(|p| {
            let total = deps.checkout.quote(p).total.to_string();
            let label = who.tr(
                "browse-item",
                &[("title", p.title.clone()), ("price", total)],
            );
            vec![InlineKeyboardButton::callback(
                label,
                Action::Product(p.id).encode(),
            )]
        })
        .collect();
    rows.push(vec![back(&who, Action::Menu)]);
    screen::show(
        &bot,
        &who,
        place,
        text,
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await
}

/// `/hide_review <id>` (admins): the review leaves every list and every rating.
pub async fn hide(bot: Bot, who: Who, deps: Arc<Deps>, args: &str) -> HandlerResult {
    if !super::admin::is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let key = match args.trim().parse::<i64>() {
        Ok(id) if stored::set_hidden(&deps.core.store, id, true).await? => "review-hidden",
        Ok(_) => "review-unknown",
        Err(_) => "hide-review-usage",
    };
    let text = who.tr(key, &[("id", args.trim().to_string())]);
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

/// "🙈 Hide #n" under a product's reviews (admins): hidden, and the page shown again.
pub async fn hide_pressed(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    review_id: i64,
    place: Place,
) -> HandlerResult {
    if !super::admin::is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let Some(review) = stored::get(&deps.core.store, review_id).await? else {
        return Ok(());
    };
    stored::set_hidden(&deps.core.store, review_id, true).await?;
    tracing::info!(review = review_id, admin = who.id, "review hidden");
    page(bot, who, deps, review.product_id, 0, place).await
}
