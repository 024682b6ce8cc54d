//! Subscriptions to a channel (issue 16): a period per payment, reminders 3 days and 1 day
//! before the end with a Renew button, an early renewal that extends from the current end (a
//! repeated report extends nothing), and the member removed once at the end, after the grace.

use crate::access::{CHANNEL, join, publish_access};
use crate::support::app::spawn_app;
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{open_currencies, pay_with};
use souk::domain::access::DAY;
use souk::store::memberships;

#[tokio::test]
async fn a_weekly_subscription_reminds_renews_from_its_end_and_removes_the_member_once() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(21_001, "en"), TgUser::new(21_002, "en"));
    let product = publish_access(&app, &seller, "7 days").await;
    let coins = open_currencies(&app, &buyer, product).await;
    let (order, _, payment) = pay_with(&app, &buyer, &coins, "BTC").await;
    let paid_at = souk::store::now();
    app.report(&payment, "finished").await;
    let delivered = app
        .tg
        .wait_for_text(buyer.id, "Your access runs until")
        .await;
    let link = delivered.button_data("Join").expect("a Join button");
    join(&app, &buyer, &link).await;
    let member = |app: &crate::support::app::TestApp| {
        let store = app.store.clone();
        let buyer = buyer.id;
        async move {
            memberships::get(&store, product, buyer)
                .await
                .unwrap()
                .expect("a membership")
        }
    };
    // The buyer leaves on their own (a `chat_member` update, asked for by name): /purchases
    // then gives a fresh link that lets them back in.
    let asked = app.tg.calls().into_iter().any(|c| {
        c.method == "getUpdates"
            && c.params["allowed_updates"]
                .to_string()
                .contains("chat_member")
    });
    assert!(asked, "long polling asks for chat_member updates by name");
    app.tg.leave(&buyer, CHANNEL);
    for _ in 0..100 {
        if !member(&app).await.joined {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(!member(&app).await.joined, "the leave was recorded");
    app.tg.send_text(&buyer, "/purchases");
    let purchases = app.tg.wait_for_text(buyer.id, "access until").await;
    app.tg
        .press_button(&buyer, &purchases, &format!("#{order} Signals club"));
    let fresh = app.tg.wait_for_text(buyer.id, "a fresh join link").await;
    let again = fresh
        .text()
        .unwrap()
        .split_whitespace()
        .last()
        .unwrap()
        .to_string();
    app.tg.request_join(&buyer, CHANNEL, &again);
    for _ in 0..100 {
        if member(&app).await.joined {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(member(&app).await.joined, "back in");
    let first = member(&app).await;
    let end = first.ends_at.expect("a subscription ends");
    assert!(
        (paid_at + 7 * DAY..=paid_at + 7 * DAY + 60).contains(&end),
        "{end}"
    );
    // The same report again extends nothing.
    app.report(&payment, "finished").await;
    app.report(&payment, "finished").await;
    assert_eq!(member(&app).await.ends_at, Some(end));
    let periods = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM membership_periods WHERE order_id = {order}"
        ))
        .await;
    assert_eq!(periods, 1);

    // Three days before the end, then one day before: one reminder each, with Renew.
    let jobs = |at: i64| {
        let store = app.store.clone();
        async move { souk::jobs::access::run(&store, at).await.unwrap() }
    };
    assert_eq!(jobs(end - 4 * DAY).await.reminders, 0);
    assert_eq!(jobs(end - 3 * DAY + 60).await.reminders, 1);
    assert_eq!(jobs(end - 3 * DAY + 120).await.reminders, 0);
    let three = app.tg.wait_for_text(buyer.id, "ends in 3 days").await;
    assert!(three.button_data("Renew").is_some());
    assert_eq!(jobs(end - DAY + 60).await.reminders, 1);
    let one = app.tg.wait_for_text(buyer.id, "ends tomorrow").await;

    // Renewed a day early: the new week runs from the old end, not from the payment.
    app.tg.press_button(&buyer, &one, "Renew");
    app.tg
        .wait_for("the card again", |c| {
            c.chat_id() == Some(buyer.id) && c.button_data("Buy").is_some()
        })
        .await;
    let coins = open_currencies(&app, &buyer, product).await;
    let (renewal, _, payment) = pay_with(&app, &buyer, &coins, "BTC").await;
    assert_ne!(renewal, order);
    app.report(&payment, "finished").await;
    app.tg
        .wait_for_text(buyer.id, "Your access is renewed")
        .await;
    let renewed = member(&app).await;
    assert_eq!(renewed.ends_at, Some(end + 7 * DAY));
    assert!(renewed.joined, "still in the chat");

    // Nothing is removed at the old end; at the new end, after the grace, the member is.
    assert_eq!(jobs(end + 2 * DAY).await.removals, 0);
    let new_end = end + 7 * DAY;
    let grace = app.store.access_grace();
    assert_eq!(jobs(new_end + grace - 60).await.removals, 0);
    assert_eq!(jobs(new_end + grace + 60).await.removals, 1);
    app.tg.wait_for_text(buyer.id, "has ended").await;
    assert_eq!(
        app.tg.member_status(CHANNEL, buyer.id).as_deref(),
        Some("left")
    );
    let bans = app
        .tg
        .calls()
        .iter()
        .filter(|c| c.method == "banChatMember")
        .count();
    assert_eq!(bans, 1);
    let ended = member(&app).await;
    assert!(ended.ended && !ended.joined);
    // Queued again, it changes nothing.
    assert_eq!(jobs(new_end + grace + 120).await.removals, 0);
    // The seller, who joined without a paid order, is never touched.
    assert_eq!(
        app.tg.member_status(CHANNEL, seller.id).as_deref(),
        Some("creator")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_thirty_day_access_on_stars_is_a_telegram_subscription_renewed_by_telegram() {
    let mut app = crate::stars::spawn_stars_app().await;
    let (seller, buyer) = (TgUser::new(21_101, "en"), TgUser::new(21_102, "en"));
    let product = publish_access(&app, &seller, "30 days").await;
    let coins = open_currencies(&app, &buyer, product).await;
    app.tg.press_button(&buyer, &coins, "Stars");
    let offer = app.tg.wait_for_text(buyer.id, "every 30 days").await;
    assert!(offer.button_data("Subscribe").is_some(), "{offer:?}");
    let links = app.tg.invoice_links();
    assert_eq!(links.len(), 1);
    let invoice = &links[0];
    assert_eq!(invoice["currency"], "XTR");
    assert_eq!(invoice["subscription_period"].as_i64(), Some(2_592_000));
    let payload = invoice["payload"].as_str().unwrap().to_string();
    let stars = invoice["prices"][0]["amount"].as_u64().unwrap() as u32;

    // The first payment: Telegram asks, souk agrees, the buyer gets their link.
    app.tg.pre_checkout(&buyer, &payload, stars);
    app.tg
        .wait_for("the pre-checkout answer", |c| {
            c.method == "answerPreCheckoutQuery" && c.params["ok"] == true
        })
        .await;
    // Telegram's clock gives the end a minute after souk's own (paid at + 30 days): the end is
    // Telegram's, whatever second the payment settles in.
    let now = souk::store::now();
    let expires = now + 30 * DAY + 60;
    app.tg
        .subscription_payment(&buyer, &payload, stars, "sub-first", expires, true);
    let delivered = app
        .tg
        .wait_for_text(buyer.id, "Your access runs until")
        .await;
    let link = delivered.button_data("Join").expect("a Join button");
    join(&app, &buyer, &link).await;
    let first = memberships::get(&app.store, product, buyer.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.star_charge.as_deref(), Some("sub-first"));
    assert!(first.ends_at.unwrap() >= expires);
    // Telegram renews by itself: souk sends no reminder.
    let reminders = souk::jobs::access::run(&app.store, expires - 3 * DAY + 60)
        .await
        .unwrap();
    assert_eq!(reminders.reminders, 0);

    // Thirty days on, Telegram bills the renewal: an order of its own, settled once.
    let renewed_until = expires + 30 * DAY;
    for _ in 0..2 {
        app.tg.subscription_payment(
            &buyer,
            &payload,
            stars,
            "sub-renewal-1",
            renewed_until,
            false,
        );
    }
    app.tg
        .wait_for_text(buyer.id, "Your access is renewed")
        .await;
    let orders = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM orders WHERE product_id = {product} AND status = 'finished'"
        ))
        .await;
    let sales = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM ledger_entries l JOIN orders o ON o.id = l.order_id \
             WHERE o.product_id = {product} AND l.kind = 'sale'"
        ))
        .await;
    assert_eq!((orders, sales), (2, 2));
    let renewed = memberships::get(&app.store, product, buyer.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(renewed.ends_at, Some(renewed_until));
    assert_eq!(renewed.star_charge.as_deref(), Some("sub-first"));

    // An admin refunds the renewal: the Stars go back, the subscription is cancelled in
    // Telegram, and the access ends.
    let renewal = app
        .scalar("SELECT id FROM orders WHERE payment_id = 'sub-renewal-1'")
        .await;
    let admin = TgUser::new(crate::support::app::ADMIN, "en");
    app.tg.send_text(&admin, &format!("/refund {renewal}"));
    app.tg
        .wait_for_text(crate::support::app::ADMIN, "Telegram gave the Stars back")
        .await;
    app.tg.wait_for_text(buyer.id, "its access has ended").await;
    assert_eq!(app.tg.subscription_cancelled("sub-first"), Some(true));
    assert_eq!(
        app.tg.member_status(CHANNEL, buyer.id).as_deref(),
        Some("left")
    );
    app.stop().await;
}

#[tokio::test]
async fn the_seller_sees_members_and_income_and_ends_one_access_without_a_refund() {
    let mut app = spawn_app().await;
    let (seller, buyer, stranger) = (
        TgUser::new(21_201, "en"),
        TgUser::new(21_202, "en"),
        TgUser::new(21_203, "en"),
    );
    let product = publish_access(&app, &seller, "30 days").await;
    let coins = open_currencies(&app, &buyer, product).await;
    let (_, _, payment) = pay_with(&app, &buyer, &coins, "BTC").await;
    app.report(&payment, "finished").await;
    let delivered = app
        .tg
        .wait_for_text(buyer.id, "Your access runs until")
        .await;
    let link = delivered.button_data("Join").expect("a Join button");
    join(&app, &buyer, &link).await;
    let end = memberships::get(&app.store, product, buyer.id)
        .await
        .unwrap()
        .unwrap()
        .ends_at
        .unwrap();

    // The buyer's /purchases: the access, its end, Renew.
    app.tg.send_text(&buyer, "/purchases");
    let purchases = app.tg.wait_for_text(buyer.id, "access until").await;
    assert!(
        purchases.text().unwrap().contains(&souk::i18n::date(end)),
        "{purchases:?}"
    );
    assert!(purchases.button_data("Renew").is_some());

    // The seller's card: one member, the income of the last 30 days (the sale less the fee).
    app.tg.send_text(&seller, "/myproducts");
    let list = app.tg.wait_for_text(seller.id, "Your products").await;
    app.tg.press_button(&seller, &list, "Signals club");
    let card = app
        .tg
        .wait_for_text(seller.id, "1 member with access")
        .await;
    let credited = app
        .scalar(&format!(
            "SELECT amount_cents FROM ledger_entries WHERE seller_id = {} AND kind = 'sale'",
            seller.id
        ))
        .await;
    let income = format!("${}.{:02}", credited / 100, credited % 100);
    assert!(card.text().unwrap().contains(&income), "{card:?} {income}");
    app.tg.press_button(&seller, &card, "Members");
    let members = app.tg.wait_for_text(seller.id, "Members of").await;
    assert!(
        members.text().unwrap().contains("@user21202"),
        "{members:?}"
    );
    // A stranger's forged button ends nothing.
    app.tg
        .press(&stranger, &format!("mendy:{product}:{}", buyer.id), 1);
    app.tg.wait_for_text(stranger.id, "not yours").await;

    app.tg.press_button(&seller, &members, "End access");
    let ask = app.tg.wait_for_text(seller.id, "no refund").await;
    app.tg.press_button(&seller, &ask, "End the access");
    app.tg
        .wait_for_text(seller.id, "that access has ended")
        .await;
    app.tg
        .wait_for_text(buyer.id, "was ended by its seller")
        .await;
    assert_eq!(
        app.tg.member_status(CHANNEL, buyer.id).as_deref(),
        Some("left")
    );
    // The money stays the seller's: no refund entry.
    let refunds = app
        .scalar("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'refund'")
        .await;
    assert_eq!(refunds, 0);
    // The old link lets nobody back in.
    app.tg.request_join(&buyer, CHANNEL, &link);
    app.tg
        .wait_for("the ended buyer declined", |c| {
            c.method == "declineChatJoinRequest"
        })
        .await;
    app.stop().await;
}
