//! Delivering access to a chat: a join-request link made for one order (recorded before it is
//! sent, so that a request through it is approved for the buyer only, and declined for anyone
//! the link was passed to); and ending it: the buyer removed from the chat (ban, then unban so
//! they may come back), only when souk let them in.

use crate::store::{Store, accesses};
use teloxide::RequestError;
use teloxide::payloads::{CreateChatInviteLinkSetters, UnbanChatMemberSetters};
use teloxide::prelude::*;

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

/// Removes the buyer from the chat when they joined through souk's link for this order (a
/// member souk did not let in is never touched); their link stops working. Repeating it is
/// harmless.
pub async fn remove(
    bot: &Bot,
    store: &Store,
    order_id: i64,
    chat_id: i64,
    buyer_id: i64,
) -> Result<(), RequestError> {
    let granted = accesses::of_order(store, order_id).await.map_err(|e| {
        tracing::error!(order_id, error = %e, "could not read an access");
        RequestError::Io(std::io::Error::other("access not read").into())
    })?;
    let Some(access) = granted else {
        return Ok(());
    };
    if let Err(e) = bot
        .revoke_chat_invite_link(ChatId(chat_id), access.invite_link.clone())
        .await
    {
        tracing::info!(order_id, error = %e, "the join link could not be revoked");
    }
    if access.joined {
        let user = teloxide::types::UserId(u64::try_from(buyer_id).unwrap_or_default());
        bot.ban_chat_member(ChatId(chat_id), user).await?;
        bot.unban_chat_member(ChatId(chat_id), user)
            .only_if_banned(true)
            .await?;
        tracing::info!(order_id, chat_id, "access ended: the buyer left the chat");
    }
    Ok(())
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
async fn pause_and_tell(
    store: &Store,
    product_id: i64,
    chat_id: i64,
) -> Result<(), crate::store::StoreError> {
    use crate::store::outbox::{self, OutboxMessage, Queued};
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
