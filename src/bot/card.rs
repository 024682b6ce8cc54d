//! A product's card: what it is, what the buyer receives (a file with its name, a licence key, a
//! text), who sells it and how many sold, the price the buyer pays (and in Stars when Stars are
//! on), the stock left, and Buy; under the product's cover photo when it has one.

use super::action::Action;
use super::catalog::back;
use super::screen::{self, Place};
use super::{Deps, HandlerResult, Who};
use crate::domain::product::ProductKind;
use crate::store::products::{self, Product};
use crate::store::stock;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

pub async fn show_product(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    id: i64,
    place: Place,
) -> HandlerResult {
    let Some(product) = buyable(&bot, &who, &deps, id, place).await? else {
        return Ok(());
    };
    let quote = deps.checkout.quote(&product);
    let front = products::storefront(&deps.core.store, &product).await?;
    let receives = match product.kind {
        ProductKind::File => who.html(
            "card-receives-file",
            &[
                ("name", product.file_name.clone().unwrap_or_default()),
                (
                    "size",
                    product
                        .file_size
                        .map_or_else(|| "none".to_string(), |s| s.to_string()),
                ),
            ],
        ),
        ProductKind::Items => who.html("card-receives-items", &[]),
        ProductKind::Text => who.html("card-receives-text", &[]),
        ProductKind::Access => who.html(
            "card-receives-access",
            &[
                (
                    "chat",
                    product.access_chat.clone().map(|c| c.1).unwrap_or_default(),
                ),
                ("days", product.access_days.unwrap_or(0).to_string()),
            ],
        ),
    };
    let stars = deps
        .stars_per_usd
        .and_then(|per_usd| crate::domain::price::stars_for(quote.total, per_usd))
        .map(|n| who.html("card-stars", &[("stars", n.to_string())]))
        .unwrap_or_default();
    let left = match product.kind {
        ProductKind::Items => Some(stock::available(&deps.core.store, product.id).await?),
        _ => None,
    };
    let rating = crate::store::reviews::of_product_rating(&deps.core.store, product.id).await?;
    let rating_line = rating.average().map(|average| {
        who.html(
            "card-rating",
            &[("average", average), ("count", rating.count.to_string())],
        )
    });
    let card = |description: String| {
        let text = who.html(
            "product-card",
            &[
                ("title", product.title.clone()),
                ("description", description),
                ("price", product.price.to_string()),
                ("total", quote.total.to_string()),
                ("receives", receives.clone()),
                ("seller", front.seller.clone()),
                ("sales", front.sales.to_string()),
                ("stars", stars.clone()),
            ],
        );
        let text = match &rating_line {
            Some(line) => format!("{text}\n{line}"),
            None => text,
        };
        match left.filter(|n| *n > 0) {
            Some(n) => format!(
                "{text}\n{}",
                who.html("stock-left", &[("count", n.to_string())])
            ),
            None => text,
        }
    };
    let mut text = card(product.description.clone());
    // Under a cover, the card is a caption: a long description is shortened to fit.
    let overflow = screen::visible_len(&text).saturating_sub(screen::MAX_CAPTION);
    if product.photo.is_some() && overflow > 0 {
        text = card(shortened(&product.description, overflow));
    }
    let label = match left {
        Some(0) => who.t("buy-button-sold-out"),
        _ => who.tr("buy-button", &[("price", quote.total.to_string())]),
    };
    let mut rows = vec![vec![InlineKeyboardButton::callback(
        label,
        Action::Buy(product.id).encode(),
    )]];
    if left == Some(0) {
        rows.push(vec![InlineKeyboardButton::callback(
            who.t("button-notify-me"),
            Action::NotifyMe(product.id).encode(),
        )]);
    }
    let mut more = Vec::new();
    if rating.count > 0 {
        let label = who.tr("button-reviews", &[("count", rating.count.to_string())]);
        more.push(InlineKeyboardButton::callback(
            label,
            Action::Reviews(product.id, 0).encode(),
        ));
    }
    more.push(InlineKeyboardButton::callback(
        who.t("button-seller"),
        Action::Seller(product.seller_id).encode(),
    ));
    rows.push(more);
    if let Some(open) = deps.app_button(&who, "button-open-in-app", Some(product.id)) {
        rows.push(vec![open]);
    }
    rows.push(vec![back(&who, Action::Categories(0))]);
    let keyboard = InlineKeyboardMarkup::new(rows);
    match &product.photo {
        Some(photo) => screen::show_photo(&bot, &who, place, photo, text, Some(keyboard)).await,
        None => screen::show(&bot, &who, place, text, Some(keyboard)).await,
    }
}

/// `text` shortened by at least `by` UTF-16 code units, ending with "…".
fn shortened(text: &str, by: usize) -> String {
    let budget = text.encode_utf16().count().saturating_sub(by + 1);
    let mut used = 0;
    let kept: String = text
        .chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= budget
        })
        .collect();
    format!("{}…", kept.trim_end())
}

/// The product, when it can still be bought; else the buyer is told it is unavailable.
pub(super) async fn buyable(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    id: i64,
    place: Place,
) -> Result<Option<Product>, super::BoxError> {
    let product = products::get(&deps.core.store, id)
        .await?
        .filter(Product::is_buyable);
    if product.is_none() {
        let keyboard = InlineKeyboardMarkup::new([[back(who, Action::Categories(0))]]);
        let text = who.html("product-unavailable", &[]);
        screen::show(bot, who, place, text, Some(keyboard)).await?;
    }
    Ok(product)
}

/// "Notify me" under a sold-out card: the user waits for the restock (told once); a toast says so.
pub async fn notify_me(
    bot: Bot,
    who: Who,
    q: CallbackQuery,
    deps: Arc<Deps>,
    id: i64,
) -> HandlerResult {
    let answer = bot.answer_callback_query(q.id.clone());
    let Some(product) = products::get(&deps.core.store, id)
        .await?
        .filter(Product::is_buyable)
    else {
        answer.text(who.t("product-unavailable")).await?;
        return Ok(());
    };
    let key = if stock::available(&deps.core.store, id).await? > 0 {
        "notify-in-stock"
    } else {
        crate::store::restock_alerts::subscribe(&deps.core.store, id, who.id).await?;
        "notify-subscribed"
    };
    answer
        .text(who.tr(key, &[("title", product.title)]))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_shortened_text_loses_at_least_what_was_asked_and_ends_with_an_ellipsis() {
        let text = "Un café très fort";
        let shortened = super::shortened(text, 5);
        assert_eq!(shortened, "Un café trè…");
        assert!(shortened.encode_utf16().count() <= text.encode_utf16().count() - 5);
    }
}
