//! A buyer's orders after checkout: /purchases, their goods again (redelivery, a download
//! link), and the "Check status" button (the rail asked at most every 20 s per order).

use super::action::Action;
use super::screen::{self, Place};
use super::{Deps, HandlerResult, Who};
use crate::domain::OrderStatus;
use crate::domain::product::ProductKind;
use crate::files::LINK_TTL;
use crate::services::settlement::RefreshError;
use crate::store::orders::{self, Order};
use crate::store::products;
use crate::store::stock;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{FileId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile};

/// Purchases shown on one page of /purchases.
const PAGE_SIZE: i64 = 10;

/// /purchases, page `page` (newest first): a button per purchase to get it again (and a
/// download link when the file has a stored copy), and the way to the other pages.
pub async fn purchases(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    page: i64,
    place: Place,
) -> HandlerResult {
    let offset = Action::offset(page, PAGE_SIZE);
    let which = orders::BuyerOrders::Purchases;
    let list = orders::of_buyer(&deps.core.store, who.id, which, PAGE_SIZE + 1, offset).await?;
    if list.is_empty() {
        let key = if page > 0 {
            "stale-button"
        } else {
            "purchases-empty"
        };
        return screen::show(&bot, &who, place, who.html(key, &[]), None).await;
    }
    let links = matches!(*deps.files, crate::files::FileStore::S3(_));
    // "⚠ Problem" for purchases still in their refund window and not disputed yet.
    let shown: Vec<i64> = list
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|p| p.order_id)
        .collect();
    let disputable =
        crate::store::disputes::openable_among(&deps.core.store, who.id, &shown).await?;
    let mut rows: Vec<Vec<InlineKeyboardButton>> = list
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|p| {
            let label = who.tr(
                "purchase-resend",
                &[
                    ("title", p.title.clone()),
                    ("order", p.order_id.to_string()),
                ],
            );
            let mut row = vec![InlineKeyboardButton::callback(
                label,
                Action::Redownload(p.order_id).encode(),
            )];
            if links && p.has_file_copy {
                row.push(InlineKeyboardButton::callback(
                    who.t("button-link"),
                    Action::Link(p.order_id).encode(),
                ));
            }
            if disputable.contains(&p.order_id) {
                row.push(super::dispute::problem_button(&who, p.order_id));
            }
            row
        })
        .collect();
    let has_next = list.len() as i64 > PAGE_SIZE;
    screen::pager(&who, &mut rows, page, has_next, Action::Purchases);
    let mut header = who.html("purchases-header", &[("page", (page + 1).to_string())]);
    // Running accesses first, with their ends and Renew.
    if page == 0 {
        let (lines, renew) = super::members::of_buyer(&deps, &who).await?;
        if !lines.is_empty() {
            header = format!(
                "{header}

{}",
                lines.join("\n")
            );
            rows.splice(0..0, renew);
        }
    }
    screen::show(
        &bot,
        &who,
        place,
        header,
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await
}

/// How long the "Check status" button waits for the payment rail (a hanging provider must not
/// hold the chat's worker).
const CHECK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(4);
/// An order's rail is asked at most this often from the button, whoever presses it.
const CHECK_COOLDOWN_SECS: i64 = 20;

/// The order, if it is this user's: another user's buttons (forwarded, forged) get nothing.
pub(super) async fn own_order(
    deps: &Deps,
    who: &Who,
    order_id: i64,
) -> Result<Option<Order>, crate::store::StoreError> {
    Ok(orders::get(&deps.core.store, order_id)
        .await?
        .filter(|o| o.buyer_id == who.id))
}

/// What the "Check status" button answers about `order_id`: the rail's word when it was not
/// asked in the last 20 s (by this button or reconciliation, on any replica), else what souk knows.
pub(super) async fn status_answer(
    deps: &Deps,
    who: &Who,
    order_id: i64,
) -> Result<String, crate::store::StoreError> {
    let Some(order) = own_order(deps, who, order_id).await? else {
        return Ok(who.t("not-your-order"));
    };
    let now = crate::store::now();
    if !orders::claim_check(&deps.core.store, order.id, now, CHECK_COOLDOWN_SECS).await? {
        return Ok(who.t(&format!("status-{}", order.status)));
    }
    let status = tokio::time::timeout(CHECK_TIMEOUT, check_status(deps, order))
        .await
        .unwrap_or_else(|_| "unavailable".to_string());
    Ok(who.t(&format!("status-{status}")))
}

/// Asks the order's rail where its payment stands now and applies the answer as a notification
/// would be (a lost one still delivers). Returns the order's status name after that.
async fn check_status(deps: &Deps, order: Order) -> String {
    match deps.core.settler.refresh(&deps.core.rails, &order).await {
        Ok(Some(settled)) => settled.status.unwrap_or(order.status).as_str().to_string(),
        Ok(None) => order.status.as_str().to_string(),
        Err(RefreshError::Store(e)) => {
            tracing::error!(order_id = order.id, error = %e, "status check not applied");
            order.status.as_str().to_string()
        }
        Err(RefreshError::Provider(e)) => {
            tracing::warn!(order_id = order.id, error = %e, "status check failed");
            "unavailable".to_string()
        }
    }
}

/// A finished order's goods, again, to its buyer only (deleted products included).
pub(super) async fn redeliver(bot: Bot, who: Who, deps: Arc<Deps>, order_id: i64) -> HandlerResult {
    let order = own_order(&deps, &who, order_id)
        .await?
        .filter(|o| o.status == OrderStatus::Finished);
    let product = match &order {
        Some(o) => products::get(&deps.core.store, o.product_id).await?,
        None => None,
    };
    let Some(p) = product else {
        bot.send_message(who.chat(), who.t("not-your-order"))
            .await?;
        return Ok(());
    };
    match p.kind {
        ProductKind::Access => {
            let running = crate::store::memberships::get(&deps.core.store, p.id, who.id)
                .await?
                .is_some_and(|m| !m.ended);
            if !running {
                bot.send_message(who.chat(), who.tr("access-over", &[("title", p.title)]))
                    .await?;
                return Ok(());
            }
            let chat = p.access_chat.clone().map(|c| c.0).unwrap_or_default();
            let link = crate::delivery::access::join_link(
                &bot,
                &deps.core.store,
                order_id,
                p.id,
                who.id,
                chat,
            )
            .await?;
            bot.send_message(
                who.chat(),
                who.tr("redelivery-access", &[("title", p.title), ("link", link)]),
            )
            .link_preview_options(super::screen::no_preview())
            .await?;
        }
        ProductKind::File => {
            let sent = bot
                .send_document(who.chat(), InputFile::file_id(FileId(p.file_id.clone())))
                .caption(who.tr("redownload-caption", &[("title", p.title.clone())]))
                .await;
            if let Err(e) = sent {
                // The file_id no longer works (a new bot token): fall back on the stored copy.
                tracing::warn!(order_id, error = %e, "re-sending by file_id failed; using the stored copy");
                crate::delivery::send_stored_copy(&bot, &deps.files, who.chat(), &who.lang, &p)
                    .await?;
            }
        }
        ProductKind::Items => {
            let item = stock::item_of_order(&deps.core.store, order_id)
                .await?
                .unwrap_or_default();
            bot.send_message(
                who.chat(),
                who.tr("redelivery-item", &[("title", p.title), ("item", item)]),
            )
            .await?;
        }
        ProductKind::Text => {
            let text = p.text_content.unwrap_or_default();
            let message = who.tr("redelivery-text", &[("title", p.title), ("text", text)]);
            crate::delivery::send_long_text(&bot, who.chat(), &message).await?;
        }
    }
    Ok(())
}

/// A short-lived download link to the stored copy of a purchased file.
pub(super) async fn link(bot: Bot, who: Who, deps: Arc<Deps>, order_id: i64) -> HandlerResult {
    let order = own_order(&deps, &who, order_id)
        .await?
        .filter(|o| o.status == OrderStatus::Finished);
    let product = match &order {
        Some(o) => products::get(&deps.core.store, o.product_id).await?,
        None => None,
    };
    let key = product.as_ref().and_then(|p| p.storage_key.clone());
    let url = match key {
        Some(key) => deps
            .files
            .download_link(&key, LINK_TTL)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(order_id, error = %e, "no download link");
                None
            }),
        None => None,
    };
    match (url, product) {
        (Some(url), Some(p)) => {
            let minutes = (LINK_TTL.as_secs() / 60).to_string();
            bot.send_message(
                who.chat(),
                who.tr(
                    "download-link",
                    &[("title", p.title), ("link", url), ("minutes", minutes)],
                ),
            )
            .link_preview_options(screen::no_preview())
            .await?;
        }
        (_, Some(_)) => {
            bot.send_message(who.chat(), who.t("download-link-unavailable"))
                .await?;
        }
        _ => {
            bot.send_message(who.chat(), who.t("not-your-order"))
                .await?;
        }
    }
    Ok(())
}
