//! Delivering access to a chat: a join-request link made for one order (recorded before it is
//! sent, so that a request through it is approved for the buyer only, and declined for anyone
//! the link was passed to), or, for a renewal of a member still in the chat, the new end; and
//! ending an access: the buyer removed from the chat (ban, then unban so they may come back),
//! only when souk let them in, however often the removal is repeated.

use super::{Deliverer, borrowed};
use crate::i18n;
use crate::store::outbox::{self, OrderButton, OutboxMessage, Queued};
use crate::store::{Store, StoreError, accesses, memberships, orders};
use teloxide::RequestError;
use teloxide::payloads::{CreateChatInviteLinkSetters, UnbanChatMemberSetters};
use teloxide::prelude::*;
use teloxide::types::{ChatMemberKind, InlineKeyboardButton, InlineKeyboardMarkup, UserId};

/// An order's access, as the outbox owes it.
pub(super) struct Owed<'a> {
    pub order_id: i64,
    pub product_id: i64,
    pub chat_id: i64,
    pub key: &'a str,
    pub args: &'a [(String, String)],
}

/// Sends the buyer their join link, or the new end of an access they use already.
pub(super) async fn deliver(
    d: &Deliverer,
    lang: &str,
    buyer: i64,
    owed: Owed<'_>,
) -> Result<(), RequestError> {
    let member = memberships::get(&d.store, owed.product_id, buyer)
        .await
        .map_err(unread)?;
    let period = memberships::period_of(&d.store, owed.order_id)
        .await
        .map_err(unread)?;
    let mut args = borrowed(owed.args);
    let until = period.and_then(|(_, ends)| ends);
    args.push(("until", until.map_or_else(|| "none".into(), i18n::date)));
    let chat = ChatId(buyer);
    match member {
        Some(m) if m.ended => {
            // Refunded or ended by the seller before its link went: no link any more.
            tracing::info!(order_id = owed.order_id, "access ended before its delivery");
            return Ok(());
        }
        Some(m) if m.joined => {
            d.budget.wait_turn().await;
            let text = i18n::tr(lang, "delivery-access-renewed", &args);
            d.bot.send_message(chat, text).await?;
            return Ok(());
        }
        _ => {}
    }
    let link = join_link(
        &d.bot,
        &d.store,
        owed.order_id,
        owed.product_id,
        buyer,
        owed.chat_id,
    )
    .await?;
    args.push(("link", link.clone()));
    let text = i18n::tr(lang, owed.key, &args);
    d.budget.wait_turn().await;
    let mut send = d.bot.send_message(chat, text);
    if let Ok(url) = link.parse() {
        let join = InlineKeyboardButton::url(i18n::t(lang, "button-join"), url);
        send = send.reply_markup(InlineKeyboardMarkup::new([[join]]));
    }
    send.await?;
    Ok(())
}

/// An access's end, as the outbox owes it.
pub(super) struct Ending<'a> {
    pub order_id: i64,
    pub product_id: i64,
    pub chat_id: i64,
    pub ends_at: Option<i64>,
    pub key: &'a str,
    pub args: &'a [(String, String)],
}

/// Ends an access: removes the buyer (once an expiry finds the membership not renewed), then
/// queues the buyer's notice under a key of its own (`outbox_id`), so it goes at most once
/// while the removal is repeated until done.
pub(super) async fn end(
    d: &Deliverer,
    outbox_id: i64,
    buyer: i64,
    e: Ending<'_>,
) -> Result<(), RequestError> {
    let product_id = match e.product_id {
        0 => orders::get(&d.store, e.order_id)
            .await
            .map_err(unread)?
            .map_or(0, |o| o.product_id),
        id => id,
    };
    if let Some(ends_at) = e.ends_at {
        let mine = memberships::close_expired(&d.store, product_id, buyer, ends_at)
            .await
            .map_err(unread)?;
        if !mine {
            tracing::info!(product_id, buyer, "renewed before its removal: stays");
            return Ok(());
        }
    }
    remove(d, product_id, buyer, e.chat_id, e.order_id).await?;
    let buttons = match e.ends_at {
        Some(_) => vec![OrderButton::Renew {
            product: product_id,
        }],
        None => Vec::new(),
    };
    let notice = Queued::to_chat(
        buyer,
        format!("access-told:{outbox_id}"),
        OutboxMessage::alert(e.key, &borrowed(e.args), buttons),
    );
    outbox::enqueue_now(&d.store, &[notice])
        .await
        .map_err(unread)?;
    Ok(())
}

/// Removes the buyer from the chat when they joined through souk's link (a member souk did not
/// let in is never touched), reading their status first so a repeat neither bans twice nor
/// touches an administrator; their links stop working, and a Stars subscription is cancelled.
async fn remove(
    d: &Deliverer,
    product_id: i64,
    buyer: i64,
    chat_id: i64,
    order_id: i64,
) -> Result<(), RequestError> {
    let member = memberships::get(&d.store, product_id, buyer)
        .await
        .map_err(unread)?;
    let by_order = match order_id {
        0 => None,
        id => accesses::of_order(&d.store, id).await.map_err(unread)?,
    };
    for link in accesses::links_of(&d.store, product_id, buyer)
        .await
        .map_err(unread)?
    {
        d.budget.wait_turn().await;
        if let Err(e) = d.bot.revoke_chat_invite_link(ChatId(chat_id), link).await {
            tracing::info!(product_id, error = %e, "a join link could not be revoked");
        }
    }
    let let_in = member.as_ref().is_some_and(|m| m.let_in) || by_order.is_some_and(|a| a.joined);
    let user = UserId(u64::try_from(buyer).unwrap_or_default());
    if let_in {
        let chat = ChatId(chat_id);
        d.budget.wait_turn().await;
        let status = d.bot.get_chat_member(chat, user).await?.kind;
        let unban = match status {
            ChatMemberKind::Member(_) | ChatMemberKind::Restricted(_) => {
                memberships::banning(&d.store, product_id, buyer)
                    .await
                    .map_err(unread)?;
                d.budget.wait_turn().await;
                d.bot.ban_chat_member(chat, user).await?;
                true
            }
            // Banned by a removal cut short: only its unban is left (a seller's ban stays).
            ChatMemberKind::Banned(_) => member.as_ref().is_some_and(|m| m.banning),
            ChatMemberKind::Left | ChatMemberKind::Owner(_) | ChatMemberKind::Administrator(_) => {
                false
            }
        };
        if unban {
            d.budget.wait_turn().await;
            d.bot
                .unban_chat_member(chat, user)
                .only_if_banned(true)
                .await?;
        }
        memberships::removed(&d.store, product_id, buyer)
            .await
            .map_err(unread)?;
        tracing::info!(product_id, chat_id, "access ended: the buyer left the chat");
    }
    if let Some(charge) = member.and_then(|m| m.star_charge) {
        d.budget.wait_turn().await;
        let cancel = d
            .bot
            .edit_user_star_subscription(user, charge.into(), true)
            .await;
        if let Err(e) = cancel {
            tracing::info!(product_id, error = %e, "the Stars subscription could not be cancelled");
        }
    }
    Ok(())
}

/// A store error, as a failed send to try again.
fn unread(e: StoreError) -> RequestError {
    tracing::error!(error = %e, "could not read or write an access");
    RequestError::Io(std::io::Error::other("access not read").into())
}

/// Makes the order's join-request link and records it; returns the link.
pub async fn join_link(
    bot: &Bot,
    store: &Store,
    order_id: i64,
    product_id: i64,
    buyer_id: i64,
    chat_id: i64,
) -> Result<String, RequestError> {
    let made = bot
        .create_chat_invite_link(ChatId(chat_id))
        .creates_join_request(true)
        .name(format!("souk order {order_id}"))
        .await;
    let link = match made {
        Ok(link) => link,
        Err(RequestError::Api(e)) if lost_rights(&e) => {
            // The delivery is retried; no new sale is taken meanwhile.
            if let Err(why) = pause_and_tell(store, product_id, chat_id).await {
                tracing::error!(product_id, error = %why, "could not pause an access product");
            }
            return Err(RequestError::Api(e));
        }
        Err(e) => return Err(e),
    };
    if let Err(e) = accesses::record(
        store,
        order_id,
        product_id,
        buyer_id,
        chat_id,
        &link.invite_link,
    )
    .await
    {
        // Unrecorded, the link would let nobody in: this delivery is tried again.
        tracing::error!(order_id, error = %e, "could not record a join link");
        return Err(RequestError::Io(
            std::io::Error::other("join link not recorded").into(),
        ));
    }
    Ok(link.invite_link)
}

/// Telegram says the bot can no longer invite users into the chat (removed, or its rights
/// taken away).
fn lost_rights(e: &teloxide::ApiError) -> bool {
    let text = e.to_string().to_ascii_lowercase();
    [
        "not enough rights",
        "not a member",
        "chat not found",
        "was kicked",
    ]
    .iter()
    .any(|m| text.contains(m))
}

/// Pauses the product (no new sale) and tells its seller and the admins, once an hour at most.
async fn pause_and_tell(store: &Store, product_id: i64, chat_id: i64) -> Result<(), StoreError> {
    let Some(product) = crate::store::products::get(store, product_id).await? else {
        return Ok(());
    };
    crate::store::products::pause(store, product_id).await?;
    let chat = product.access_chat.map(|c| c.1).unwrap_or_default();
    let args = [
        ("title", product.title.clone()),
        ("chat", chat),
        ("product", product_id.to_string()),
        ("chat_id", chat_id.to_string()),
    ];
    let hour = crate::store::now() / 3600;
    let dedupe = format!("access-rights:{product_id}:{hour}");
    let to_seller = Queued::to_chat(
        product.seller_id,
        dedupe.clone(),
        OutboxMessage::text("access-rights-lost", &args),
    );
    let to_admins = outbox::to_admins(&dedupe, "admin-access-rights-lost", &args);
    outbox::enqueue_now(store, &[to_seller, to_admins]).await?;
    tracing::warn!(
        product_id,
        chat_id,
        "the bot lost its rights in a sold chat; product paused"
    );
    Ok(())
}
