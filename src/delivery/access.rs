//! Delivering access to a chat: a join-request link made for one order (recorded before it is
//! sent, so that a request through it is approved for the buyer only, and declined for anyone
//! the link was passed to).

use crate::store::{Store, accesses};
use teloxide::RequestError;
use teloxide::payloads::CreateChatInviteLinkSetters;
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
