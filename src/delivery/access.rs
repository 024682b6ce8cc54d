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
    let link = bot
        .create_chat_invite_link(ChatId(chat_id))
        .creates_join_request(true)
        .name(format!("souk order {order_id}"))
        .await?;
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
