//! Access products in the chat: at /sell, Telegram's own chat picker (a keyboard button that
//! asks for a channel or group with the rights the bot needs: invite users, ban members) and the
//! check that the bot has them; and the join requests buyers make through their own link,
//! approved for the buyer only (declined for anyone the link was passed to; a link souk did not
//! make is none of its business).

use super::action::Action;
use super::state::Content;
use super::{BoxError, Deps, HandlerResult, Who};
use crate::store::{accesses, memberships};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{
    ButtonRequest, ChatAdministratorRights, ChatJoinRequest, ChatMemberKind, ChatMemberUpdated,
    InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardButtonRequestChat,
    KeyboardMarkup, KeyboardRemove, RequestId,
};

/// The rights the bot needs in a chat it sells access to (and that the seller must have).
fn rights() -> ChatAdministratorRights {
    ChatAdministratorRights {
        is_anonymous: false,
        can_manage_chat: false,
        can_delete_messages: false,
        can_manage_video_chats: false,
        can_restrict_members: true,
        can_promote_members: false,
        can_change_info: false,
        can_invite_users: true,
        can_post_messages: None,
        can_edit_messages: None,
        can_pin_messages: None,
        can_post_stories: None,
        can_edit_stories: None,
        can_delete_stories: None,
        can_manage_topics: None,
    }
}

/// "Pick a channel" and "Pick a group": Telegram lists the seller's chats where they may add
/// the bot with these rights.
pub fn picker(who: &Who) -> KeyboardMarkup {
    let pick = |key: &str, request_id: i32, channel: bool| {
        let mut request = KeyboardButtonRequestChat::new(RequestId(request_id), channel);
        request.bot_administrator_rights = Some(rights());
        request.user_administrator_rights = Some(rights());
        request.request_title = true;
        KeyboardButton::new(who.t(key)).request(ButtonRequest::RequestChat(request))
    };
    KeyboardMarkup::new([
        vec![pick("button-pick-channel", 1, true)],
        vec![pick("button-pick-group", 2, false)],
    ])
    .resize_keyboard()
    .one_time_keyboard()
}

/// How long a payment gives access: for life, or one period of 7, 30, 90 or 365 days.
pub fn terms(who: &Who) -> InlineKeyboardMarkup {
    let button = |days: i64| {
        let label = match days {
            0 => who.t("term-lifetime"),
            d => who.tr("term-days", &[("days", d.to_string())]),
        };
        InlineKeyboardButton::callback(label, Action::PickTerm(days).encode())
    };
    let periods = crate::domain::access::PERIODS.map(button);
    InlineKeyboardMarkup::new([vec![button(0)], periods.to_vec()])
}

/// The chat the seller picked, once the bot is an administrator there with both rights; else
/// what is missing is said and `None` returned.
pub async fn read_chat(bot: &Bot, who: &Who, msg: &Message) -> Result<Option<Content>, BoxError> {
    let Some(shared) = msg.shared_chat() else {
        bot.send_message(who.chat(), who.t("sell-access-pick"))
            .reply_markup(picker(who))
            .await?;
        return Ok(None);
    };
    let chat_id = shared.chat_id;
    let me = bot.get_me().await?;
    let (can_invite, can_ban) = match bot.get_chat_member(chat_id, me.id).await {
        Ok(member) => match member.kind {
            ChatMemberKind::Administrator(a) => (a.can_invite_users, a.can_restrict_members),
            _ => (false, false),
        },
        Err(e) => {
            tracing::info!(chat = chat_id.0, error = %e, "the bot is not in the picked chat");
            (false, false)
        }
    };
    if !(can_invite && can_ban) {
        let missing = match (can_invite, can_ban) {
            (false, false) => "sell-access-not-admin",
            (false, true) => "sell-access-no-invite",
            _ => "sell-access-no-ban",
        };
        bot.send_message(who.chat(), who.t(missing))
            .reply_markup(picker(who))
            .await?;
        return Ok(None);
    }
    let title = bot
        .get_chat(chat_id)
        .await?
        .title()
        .map(str::to_owned)
        .unwrap_or_default();
    bot.send_message(
        who.chat(),
        who.tr("sell-access-ok", &[("chat", title.clone())]),
    )
    .reply_markup(KeyboardRemove::new())
    .await?;
    Ok(Some(Content::Access {
        chat_id: chat_id.0,
        title,
    }))
}

/// A join request: approved when it comes from the buyer whose link it used while their access
/// runs, declined when the link was passed to someone else or the access ended, left alone when
/// the link is not souk's.
pub async fn join_request(bot: Bot, request: ChatJoinRequest, deps: Arc<Deps>) -> HandlerResult {
    let Some(link) = &request.invite_link else {
        return Ok(());
    };
    let store = &deps.core.store;
    let Some(access) = accesses::by_link(store, &link.invite_link).await? else {
        return Ok(());
    };
    let user = i64::try_from(request.from.id.0).unwrap_or_default();
    let running = memberships::get(store, access.product_id, access.buyer_id)
        .await?
        .is_some_and(|m| !m.ended);
    if user == access.buyer_id && running {
        bot.approve_chat_join_request(request.chat.id, request.from.id)
            .await?;
        accesses::joined(store, access.order_id).await?;
        memberships::joined(store, access.product_id, user).await?;
        tracing::info!(order_id = access.order_id, "buyer joined their chat");
    } else {
        bot.decline_chat_join_request(request.chat.id, request.from.id)
            .await?;
        tracing::warn!(
            order_id = access.order_id,
            user,
            running,
            "a join link was used by someone else, or after its access ended"
        );
    }
    Ok(())
}

/// A member's status changed in a chat the bot administers: one who left or was removed is no
/// longer counted in, so /purchases offers them a fresh link while their access runs.
pub async fn member_changed(update: ChatMemberUpdated, deps: Arc<Deps>) -> HandlerResult {
    let gone = matches!(
        update.new_chat_member.kind,
        ChatMemberKind::Left | ChatMemberKind::Banned(_)
    );
    if gone {
        let user = i64::try_from(update.new_chat_member.user.id.0).unwrap_or_default();
        let left = memberships::left(&deps.core.store, update.chat.id.0, user).await?;
        if left > 0 {
            tracing::info!(
                chat_id = update.chat.id.0,
                user,
                "a member left a sold chat"
            );
        }
    }
    Ok(())
}
