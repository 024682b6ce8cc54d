//! Members of sold chats in the chat: the seller's list of an access product's members (until
//! when, what the product brought in the last 30 days) with a way to end one member's access
//! (no refund); and a buyer's running accesses at the top of /purchases, with Renew.

use super::action::Action;
use super::screen::{self, Place};
use super::{Deps, HandlerResult, Who};
use crate::domain::access::DAY;
use crate::store::outbox::{self, OutboxMessage, Queued};
use crate::store::{StoreError, ledger, memberships, products};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

/// Members listed at most (the soonest to end first).
const SHOWN: i64 = 20;

/// When an access ends, in the reader's words.
fn until(who: &Who, ends_at: Option<i64>) -> String {
    match ends_at {
        Some(at) => who.tr("access-until", &[("date", crate::i18n::date(at))]),
        None => who.t("access-for-life"),
    }
}

/// The line of an access product's card for its seller: members, and the last 30 days' income.
pub async fn summary(deps: &Deps, who: &Who, p: &products::Product) -> Result<String, StoreError> {
    let store = &deps.core.store;
    let (_, count) = memberships::members_of(store, p.id, 0).await?;
    let since = crate::store::now() - 30 * DAY;
    let income = ledger::product_income_since(store, p.seller_id, p.id, since).await?;
    Ok(who.tr(
        "manage-members",
        &[
            ("members", count.to_string()),
            ("income", income.to_string()),
        ],
    ))
}

/// The seller's list of a product's members, each with a button to end their access.
pub async fn list(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    product_id: i64,
    place: Place,
) -> HandlerResult {
    let Some(p) = own_access(bot, deps, who, product_id).await? else {
        return Ok(());
    };
    let (members, count) = memberships::members_of(&deps.core.store, p.id, SHOWN).await?;
    let mut lines = vec![who.html(
        "members-header",
        &[("title", p.title.clone()), ("members", count.to_string())],
    )];
    let mut rows = Vec::new();
    for m in &members {
        let state = if m.joined { "in" } else { "out" };
        lines.push(who.html(
            "members-line",
            &[
                ("name", m.name.clone()),
                ("until", until(who, m.ends_at)),
                ("state", state.to_string()),
            ],
        ));
        rows.push(vec![InlineKeyboardButton::callback(
            who.tr("button-end-member", &[("name", m.name.clone())]),
            Action::EndMember(p.id, m.buyer_id).encode(),
        )]);
    }
    if count > SHOWN {
        lines.push(who.html("members-more", &[("more", (count - SHOWN).to_string())]));
    }
    rows.push(vec![InlineKeyboardButton::callback(
        who.t("button-back"),
        Action::Manage(p.id).encode(),
    )]);
    let keyboard = InlineKeyboardMarkup::new(rows);
    screen::below_photo(bot, who, place, lines.join("\n"), Some(keyboard)).await
}

/// Asks the seller to confirm that a member's access ends, without a refund.
pub async fn ask_end(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    (product_id, member): (i64, i64),
    place: Place,
) -> HandlerResult {
    let Some(p) = own_access(bot, deps, who, product_id).await? else {
        return Ok(());
    };
    let keyboard = InlineKeyboardMarkup::new([[
        InlineKeyboardButton::callback(
            who.t("button-end-member-confirm"),
            Action::EndMemberConfirmed(p.id, member).encode(),
        ),
        InlineKeyboardButton::callback(who.t("button-back"), Action::Members(p.id).encode()),
    ]]);
    let ask = who.html("end-member-confirm", &[("title", p.title)]);
    screen::below_photo(bot, who, place, ask, Some(keyboard)).await
}

/// Ends the member's access: they leave the chat (through the outbox, at least once) and are
/// told; their money stays with the seller.
pub async fn end(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    (product_id, member): (i64, i64),
    place: Place,
) -> HandlerResult {
    let Some(p) = own_access(bot, deps, who, product_id).await? else {
        return Ok(());
    };
    let store = &deps.core.store;
    let chat_id = p.access_chat.as_ref().map_or(0, |c| c.0);
    if memberships::end(store, p.id, member).await? {
        let removal = Queued::to_chat(
            member,
            format!(
                "access-end:seller:{}:{member}:{}",
                p.id,
                crate::store::now()
            ),
            OutboxMessage::EndAccess {
                order_id: 0,
                product_id: p.id,
                chat_id,
                ends_at: None,
                key: "access-ended-by-seller".into(),
                args: vec![("title".into(), p.title.clone())],
            },
        );
        outbox::enqueue_now(store, &[removal]).await?;
        tracing::info!(
            product_id = p.id,
            member,
            "the seller ended a member's access"
        );
    }
    bot.send_message(who.chat(), who.t("member-ended")).await?;
    list(bot, who, deps, p.id, place).await
}

/// The seller's own access product; else they are told it is not theirs, and `None`.
async fn own_access(
    bot: &Bot,
    deps: &Deps,
    who: &Who,
    product_id: i64,
) -> Result<Option<products::Product>, super::BoxError> {
    let product = products::get(&deps.core.store, product_id)
        .await?
        .filter(|p| p.seller_id == who.id && p.access_chat.is_some());
    if product.is_none() {
        bot.send_message(who.chat(), who.t("not-your-product"))
            .await?;
    }
    Ok(product)
}

/// The buyer's running accesses, for the top of /purchases: a line each (until when), and a
/// Renew button for each subscription Telegram does not renew by itself.
pub async fn of_buyer(
    deps: &Deps,
    who: &Who,
) -> Result<(Vec<String>, Vec<Vec<InlineKeyboardButton>>), StoreError> {
    let mut lines = Vec::new();
    let mut rows = Vec::new();
    for m in memberships::active_of_buyer(&deps.core.store, who.id).await? {
        let Some(p) = products::get(&deps.core.store, m.product_id).await? else {
            continue;
        };
        lines.push(who.html(
            "purchases-access",
            &[("title", p.title.clone()), ("until", until(who, m.ends_at))],
        ));
        if m.ends_at.is_some() && m.star_charge.is_none() {
            rows.push(vec![InlineKeyboardButton::callback(
                who.tr("button-renew-title", &[("title", p.title)]),
                Action::Product(p.id).encode(),
            )]);
        }
    }
    Ok((lines, rows))
}
