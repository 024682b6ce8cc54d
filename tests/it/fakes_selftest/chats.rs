//! The fake's channels and groups against a real teloxide `Bot`: the bot's rights, invite
//! links, join requests approved or declined, bans, Stars subscription invoice links and
//! renewals, with Telegram's refusals.

use super::*;
use teloxide::payloads::{
    CreateChatInviteLinkSetters, CreateInvoiceLinkSetters, UnbanChatMemberSetters,
};
use teloxide::types::{ChatMemberKind, LabeledPrice, Seconds, TelegramTransactionId, UserId};

const CHANNEL: i64 = -100_123;

fn refused(e: RequestError) -> String {
    match e {
        RequestError::Api(e) => e.to_string(),
        other => panic!("not an API refusal: {other}"),
    }
}

#[tokio::test]
async fn chats_invite_links_join_requests_and_bans_answer_as_telegram_does() {
    let tg = FakeTelegram::start().await;
    let bot = bot_for(&tg);
    let (owner, buyer, friend) = (
        TgUser::new(3001, "en"),
        TgUser::new(3002, "en"),
        TgUser::new(3003, "en"),
    );
    tg.add_chat(CHANNEL, "channel", "Signals", &owner);

    // The bot is not in the channel yet.
    let e = bot.get_chat(ChatId(CHANNEL)).await.unwrap_err();
    assert!(refused(e).contains("not a member"), "refused");
    tg.set_bot_rights(CHANNEL, Some((true, true)));
    let chat = bot.get_chat(ChatId(CHANNEL)).await.expect("getChat");
    assert_eq!(chat.title(), Some("Signals"));
    let me = bot
        .get_chat_member(ChatId(CHANNEL), UserId(BOT_ID as u64))
        .await
        .expect("getChatMember");
    let ChatMemberKind::Administrator(rights) = me.kind else {
        panic!("the bot is an administrator")
    };
    assert!(rights.can_invite_users && rights.can_restrict_members);

    // A join-request link: the buyer's request approved, a friend's declined.
    let e = bot
        .create_chat_invite_link(ChatId(CHANNEL))
        .creates_join_request(true)
        .member_limit(1)
        .await
        .unwrap_err();
    assert!(refused(e).contains("member limit"));
    let link = bot
        .create_chat_invite_link(ChatId(CHANNEL))
        .creates_join_request(true)
        .name("order 7")
        .await
        .expect("createChatInviteLink");
    assert!(link.creates_join_request);
    tg.request_join(&buyer, CHANNEL, &link.invite_link);
    tg.request_join(&friend, CHANNEL, &link.invite_link);
    let updates = bot.get_updates().await.expect("getUpdates");
    let requests: Vec<i64> = updates
        .iter()
        .filter_map(|u| match &u.kind {
            UpdateKind::ChatJoinRequest(r) => Some(r.from.id.0 as i64),
            _ => None,
        })
        .collect();
    assert_eq!(requests, [buyer.id, friend.id]);
    bot.approve_chat_join_request(ChatId(CHANNEL), UserId(buyer.id as u64))
        .await
        .expect("approve");
    bot.decline_chat_join_request(ChatId(CHANNEL), UserId(friend.id as u64))
        .await
        .expect("decline");
    let e = bot
        .approve_chat_join_request(ChatId(CHANNEL), UserId(friend.id as u64))
        .await
        .unwrap_err();
    assert!(refused(e).contains("HIDE_REQUESTER_MISSING"));
    assert_eq!(
        tg.member_status(CHANNEL, buyer.id).as_deref(),
        Some("member")
    );
    assert_eq!(tg.member_status(CHANNEL, friend.id), None);

    // Removal: ban then unban (so they may come back); the owner cannot be removed.
    bot.ban_chat_member(ChatId(CHANNEL), UserId(buyer.id as u64))
        .await
        .expect("ban");
    assert_eq!(
        tg.member_status(CHANNEL, buyer.id).as_deref(),
        Some("kicked")
    );
    bot.unban_chat_member(ChatId(CHANNEL), UserId(buyer.id as u64))
        .only_if_banned(true)
        .await
        .expect("unban");
    assert_eq!(tg.member_status(CHANNEL, buyer.id).as_deref(), Some("left"));
    let e = bot
        .ban_chat_member(ChatId(CHANNEL), UserId(owner.id as u64))
        .await
        .unwrap_err();
    assert!(refused(e).contains("can't remove chat owner"));

    // Without the rights: refused.
    tg.set_bot_rights(CHANNEL, Some((false, false)));
    let e = bot
        .create_chat_invite_link(ChatId(CHANNEL))
        .await
        .unwrap_err();
    assert!(refused(e).contains("not enough rights"));
}

#[tokio::test]
async fn stars_subscriptions_bill_thirty_days_and_can_be_cancelled() {
    let tg = FakeTelegram::start().await;
    let bot = bot_for(&tg);
    let buyer = TgUser::new(3011, "en");
    let price = || vec![LabeledPrice::new("Access", 250)];
    let e = bot
        .create_invoice_link("Signals", "30 days", "souk-order-9", "XTR", price())
        .subscription_period(Seconds::from_seconds(86_400))
        .await
        .unwrap_err();
    assert!(refused(e).contains("SUBSCRIPTION_PERIOD_INVALID"));
    let link = bot
        .create_invoice_link("Signals", "30 days", "souk-order-9", "XTR", price())
        .subscription_period(Seconds::from_seconds(2_592_000))
        .await
        .expect("createInvoiceLink");
    assert!(link.starts_with("https://t.me/$"), "{link}");
    assert_eq!(tg.invoice_links().len(), 1);

    tg.subscription_payment(
        &buyer,
        "souk-order-9",
        250,
        "sub-charge-1",
        1_800_000_000,
        true,
    );
    let updates = bot.get_updates().await.expect("getUpdates");
    let paid = updates
        .iter()
        .find_map(|u| match &u.kind {
            UpdateKind::Message(m) => m.successful_payment().cloned(),
            _ => None,
        })
        .expect("a successful payment");
    assert!(paid.is_recurring && paid.is_first_recurring);
    assert!(paid.subscription_expiration_date.is_some());

    let charge = TelegramTransactionId("sub-charge-1".into());
    bot.edit_user_star_subscription(UserId(buyer.id as u64), charge, true)
        .await
        .expect("editUserStarSubscription");
    assert_eq!(tg.subscription_cancelled("sub-charge-1"), Some(true));
    let unknown = TelegramTransactionId("nope".into());
    let e = bot
        .edit_user_star_subscription(UserId(buyer.id as u64), unknown, true)
        .await
        .unwrap_err();
    assert!(refused(e).contains("SUBSCRIPTION_ID_INVALID"));
}
