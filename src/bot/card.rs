//! A product's card: what it is, what the buyer receives (a file with its name, a licence key, a
//! text), who sells it and how many sold, the price the buyer pays (and in Stars when Stars are
//! on), the stock left, and Buy.

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
    };
    let stars = deps
        .stars_per_usd
        .and_then(|per_usd| crate::domain::price::stars_for(quote.total, per_usd))
        .map(|n| who.html("card-stars", &[("stars", n.to_string())]))
        .unwrap_or_default();
    let mut text = who.html(
        "product-card",
        &[
            ("title", product.title.clone()),
            ("description", product.description.clone()),
            ("price", product.price.to_string()),
            ("total", quote.total.to_string()),
            ("receives", receives),
            ("seller", front.seller),
            ("sales", front.sales.to_string()),
            ("stars", stars),
        ],
    );
    let left = match product.kind {
        ProductKind::Items => Some(stock::available(&deps.core.store, product.id).await?),
        _ => None,
    };
    if let Some(n) = left.filter(|n| *n > 0) {
        text = format!(
            "{text}\n{}",
            who.html("stock-left", &[("count", n.to_string())])
        );
    }
    let label = match left {
        Some(0) => who.t("buy-button-sold-out"),
        _ => who.tr("buy-button", &[("price", quote.total.to_string())]),
    };
    let keyboard = InlineKeyboardMarkup::new([
        vec![InlineKeyboardButton::callback(
            label,
            Action::Buy(product.id).encode(),
        )],
        vec![back(&who, Action::Categories(0))],
    ]);
    screen::show(&bot, &who, place, text, Some(keyboard)).await
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
