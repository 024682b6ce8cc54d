//! Access to a channel (issue 16, lifetime): /sell picks the chat with Telegram's picker and
//! checks the bot's rights; a buyer's payment brings a join link only they can use: their join
//! request approved, anyone else's through the same link declined; a refund ends the access.

use crate::support::app::{ADMIN, TestApp, spawn_app};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{open_currencies, pay_with, sell_up_to_price, skip_cover};

pub(crate) const CHANNEL: i64 = -100_777;

/// The seller's channel, sold for life or by the period (`term`, the button's label): the bot's
/// rights checked (missing ones said) on the way. Returns the product.
pub(crate) async fn publish_access(app: &TestApp, seller: &TgUser, term: &str) -> i64 {
    app.tg.add_chat(CHANNEL, "channel", "Signals", seller);
    sell_up_to_price(&app.tg, seller, "Signals club", "Daily signals.", "30").await;
    let kinds = app
        .tg
        .wait_for_text(seller.id, "What do buyers receive")
        .await;
    app.tg
        .press_button(seller, &kinds, "Access to a channel or group");
    let terms = app
        .tg
        .wait_for_text(seller.id, "How long does one payment")
        .await;
    app.tg.press_button(seller, &terms, term);
    let pick = app
        .tg
        .wait_for_text(seller.id, "Pick the channel or group")
        .await;
    let keyboard = &pick.params["reply_markup"]["keyboard"];
    assert_eq!(
        keyboard[0][0]["request_chat"]["chat_is_channel"], true,
        "{keyboard}"
    );
    assert_eq!(
        keyboard[0][0]["request_chat"]["bot_administrator_rights"]["can_invite_users"],
        true
    );

    // The bot's rights are checked, and what is missing said.
    app.tg.share_chat(seller, 1, CHANNEL);
    app.tg
        .wait_for_text(seller.id, "not an administrator of that chat yet")
        .await;
    app.tg.set_bot_rights(CHANNEL, Some((true, false)));
    app.tg.share_chat(seller, 1, CHANNEL);
    app.tg
        .wait_for_text(seller.id, "cannot ban members there")
        .await;
    app.tg.set_bot_rights(CHANNEL, Some((true, true)));
    app.tg.share_chat(seller, 1, CHANNEL);
    app.tg
        .wait_for_text(seller.id, "administers “Signals”")
        .await;
    skip_cover(&app.tg, seller).await;
    let delivers = match term {
        "For life" => "for life".to_string(),
        days => format!("{} per payment", days),
    };
    let summary = app.tg.wait_for_text(seller.id, "Ready to publish").await;
    assert!(
        summary
            .text()
            .unwrap()
            .contains(&format!("Delivers: access to “Signals”, {delivers}"))
    );
    app.tg.press_button(seller, &summary, "Publish");
    let done = app.tg.wait_for_text(seller.id, "start=p_").await;
    let product: i64 = done
        .text()
        .unwrap()
        .rsplit("start=p_")
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();

    product
}

/// The buyer asks to join through their link, and souk lets them in.
/// The buyer joins through their link: returns once souk approved them and counted them in
/// (the approval goes to Telegram first, the membership is recorded just after).
pub(crate) async fn join(app: &TestApp, buyer: &TgUser, link: &str) {
    app.tg.request_join(buyer, CHANNEL, link);
    app.tg
        .wait_for("the buyer approved", |c| {
            c.method == "approveChatJoinRequest" && c.params["user_id"] == buyer.id
        })
        .await;
    let counted_in = format!(
        "SELECT COUNT(*) FROM memberships WHERE chat_id = {CHANNEL} AND buyer_id = {} \
         AND joined_at IS NOT NULL AND left_at IS NULL",
        buyer.id
    );
    for _ in 0..200 {
        if app.scalar(&counted_in).await == 1 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the join of {} was never recorded", buyer.id);
}

#[tokio::test]
async fn a_lifetime_access_sold_in_crypto_lets_the_buyer_in_and_nobody_else() {
    let mut app = spawn_app().await;
    let (seller, buyer, friend) = (
        TgUser::new(20_001, "en"),
        TgUser::new(20_002, "en"),
        TgUser::new(20_003, "en"),
    );
    let product = publish_access(&app, &seller, "For life").await;

    // The buyer pays in crypto and receives a join link.
    let coins = open_currencies(&app, &buyer, product).await;
    assert!(coins.text().is_some());
    let (order, _, payment) = pay_with(&app, &buyer, &coins, "BTC").await;
    app.report(&payment, "finished").await;
    let delivered = app.tg.wait_for_text(buyer.id, "Your join link").await;
    let link = delivered.button_data("Join").expect("a Join button");
    assert!(link.starts_with("https://t.me/+"), "{link}");
    let recorded = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM accesses WHERE order_id = {order}"
        ))
        .await;
    assert_eq!(recorded, 1);

    // The link passed to a friend lets them nowhere; the buyer gets in.
    app.tg.request_join(&friend, CHANNEL, &link);
    app.tg
        .wait_for("the friend declined", |c| {
            c.method == "declineChatJoinRequest"
        })
        .await;
    join(&app, &buyer, &link).await;
    assert_eq!(
        app.tg.member_status(CHANNEL, buyer.id).as_deref(),
        Some("member")
    );
    assert_eq!(app.tg.member_status(CHANNEL, friend.id), None);

    // A refund ends the access: the buyer leaves the chat (and may come back some day).
    let admin = TgUser::new(crate::support::app::ADMIN, "en");
    app.tg.send_text(&admin, &format!("/refund {order}"));
    app.tg.wait_for_text(admin.id, "is marked refunded").await;
    app.tg.wait_for_text(buyer.id, "its access has ended").await;
    assert_eq!(
        app.tg.member_status(CHANNEL, buyer.id).as_deref(),
        Some("left")
    );
    // The seller, an owner who joined without a paid order, is never touched.
    assert_eq!(
        app.tg.member_status(CHANNEL, seller.id).as_deref(),
        Some("creator")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_bot_that_lost_its_rights_pauses_the_product_and_alerts_the_seller_and_admins() {
    let mut app = spawn_app().await;
    let (seller, buyer, later) = (
        TgUser::new(20_011, "en"),
        TgUser::new(20_012, "en"),
        TgUser::new(20_013, "en"),
    );
    let product = publish_access(&app, &seller, "For life").await;
    let coins = open_currencies(&app, &buyer, product).await;
    let (_, _, payment) = pay_with(&app, &buyer, &coins, "BTC").await;
    // The seller removes the bot from the channel before the payment settles.
    app.tg.set_bot_rights(CHANNEL, None);
    app.report(&payment, "finished").await;
    app.tg
        .wait_for_text(seller.id, "can no longer invite buyers into “Signals”")
        .await;
    app.tg
        .wait_for_text(ADMIN, "the bot can no longer invite buyers")
        .await;
    assert_eq!(
        souk::store::products::get(&app.store, product)
            .await
            .unwrap()
            .unwrap()
            .status,
        "paused"
    );
    // No new sale meanwhile.
    app.tg.send_text(&later, &format!("/start p_{product}"));
    app.tg.wait_for_text(later.id, "no longer available").await;
    app.stop().await;
}
