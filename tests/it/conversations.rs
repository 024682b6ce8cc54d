//! What buyers and sellers see when they stray from the happy path, in English and French.

use crate::support::app::{Options, spawn_app, spawn_app_with};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{buyer_at_payment, is_delivery, open_currencies, pay_with, publish};
use std::time::Duration;

#[tokio::test]
async fn bad_prices_and_non_documents_are_explained_and_asked_again() {
    let mut app = spawn_app().await;
    let seller = TgUser::new(3001, "en");
    let tg = &app.tg;
    tg.send_text(&seller, "/sell");
    tg.wait_for_text(seller.id, "title").await;
    tg.send_text(&seller, &"x".repeat(101));
    tg.wait_for_text(seller.id, "between 1 and 100").await;
    tg.send_text(&seller, "Cookbook");
    tg.wait_for_text(seller.id, "description").await;
    tg.send_text(&seller, "Recipes.");
    tg.wait_for_text(seller.id, "price in US dollars").await;
    for (bad, answer) in [
        ("cheap", "not a price"),
        ("12.345", "at most 2 decimals"),
        ("9.99", "minimum price is $10.00"),
        ("1e3", "not a price"),
        ("-20", "not a price"),
        ("99999999999", "maximum price"),
    ] {
        tg.send_text(&seller, bad);
        tg.wait_for_text(seller.id, answer).await;
    }
    tg.send_text(&seller, "10,50");
    let kinds = tg.wait_for_text(seller.id, "What do buyers receive").await;
    tg.send_text(&seller, "a file please");
    tg.wait_for_text(seller.id, "choose with the buttons").await;
    tg.press_button(&seller, &kinds, "A file");
    tg.wait_for_text(seller.id, "send the file").await;
    tg.send_photo(&seller);
    tg.wait_for_text(seller.id, "as a document").await;
    tg.send_text(&seller, "here it is");
    tg.wait_for_text(seller.id, "as a document").await;
    tg.send_document(&seller, "BQACAgCookbook", "cookbook.pdf", 1000);
    crate::support::flows::skip_cover(tg, &seller).await;
    let summary = tg.wait_for_text(seller.id, "Ready to publish").await;
    assert!(summary.text().unwrap().contains("$10.50"));
    app.stop().await;
}

#[tokio::test]
async fn a_half_finished_sell_continues_after_a_restart() {
    let app = spawn_app().await;
    let seller = TgUser::new(3011, "en");
    app.tg.send_text(&seller, "/sell");
    app.tg.wait_for_text(seller.id, "title").await;
    app.tg.send_text(&seller, "Persistent title");
    app.tg.wait_for_text(seller.id, "description").await;
    let mut app = app.restart().await;
    app.tg.send_text(&seller, "Described after a restart");
    app.tg.wait_for_text(seller.id, "price in US dollars").await;
    app.tg.send_text(&seller, "15");
    let kinds = app
        .tg
        .wait_for_text(seller.id, "What do buyers receive")
        .await;
    app.tg.press_button(&seller, &kinds, "A file");
    app.tg.wait_for_text(seller.id, "send the file").await;

    app.tg.send_document(&seller, "BQACAgPersist", "p.zip", 10);
    crate::support::flows::skip_cover(&app.tg, &seller).await;
    let summary = app.tg.wait_for_text(seller.id, "Ready to publish").await;
    assert!(summary.text().unwrap().contains("Persistent title"));
    app.stop().await;
}

#[tokio::test]
async fn french_users_are_answered_in_french_and_can_switch_language() {
    let mut app = spawn_app().await;
    let (seller, acheteur) = (TgUser::new(3021, "en"), TgUser::new(3022, "fr-FR"));
    let product = publish(&app, &seller, "Guide", "20", "BQACAgGuide").await;
    app.tg.send_text(&acheteur, &format!("/start p_{product}"));
    let card = app
        .tg
        .wait_for("fiche produit", |c| {
            c.chat_id() == Some(acheteur.id) && c.button_data("Acheter").is_some()
        })
        .await;
    assert!(card.text().unwrap().contains("Prix"));
    app.tg.send_text(&acheteur, "/language");
    let choose = app
        .tg
        .wait_for_text(acheteur.id, "Choisissez votre langue")
        .await;
    app.tg.press_button(&acheteur, &choose, "English");
    app.tg
        .wait_for_text(acheteur.id, "Language set to English")
        .await;
    app.tg.send_text(&acheteur, &format!("/start p_{product}"));
    app.tg
        .wait_for("English card", |c| {
            c.chat_id() == Some(acheteur.id) && c.button_data("Buy").is_some()
        })
        .await;
    app.stop().await;
}

#[tokio::test]
async fn unknown_commands_stale_buttons_and_other_peoples_orders_get_clear_answers() {
    let mut app = spawn_app().await;
    let (seller, buyer, stranger) = (
        TgUser::new(3031, "en"),
        TgUser::new(3032, "en"),
        TgUser::new(3033, "en"),
    );
    app.tg.send_text(&buyer, "/frobnicate");
    app.tg.wait_for_text(buyer.id, "Unknown command").await;
    app.tg.send_text(&buyer, "/start p_999999");
    app.tg.wait_for_text(buyer.id, "no longer available").await;
    app.tg.send_text(&buyer, "/start p_abc");
    app.tg.wait_for_text(buyer.id, "no longer available").await;
    app.tg.press(&buyer, "buy:999999", 1);
    app.tg.wait_for_text(buyer.id, "no longer available").await;
    app.tg.press(&buyer, "garbage:::", 1);
    app.tg
        .wait_for("stale button answer", |c| {
            c.method == "answerCallbackQuery"
                && c.text().is_some_and(|t| t.contains("no longer valid"))
        })
        .await;

    let (order, photo, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    // A stranger presses the buyer's buttons (forwarded message or forged data).
    for label in ["Check status", "Cancel"] {
        app.tg
            .press(&stranger, &photo.button_data(label).unwrap(), 1);
    }
    app.tg.press(&stranger, &format!("dl:{order}"), 1);
    app.tg
        .wait_for("refusal", |c| {
            c.text().is_some_and(|t| t.contains("not yours"))
        })
        .await;
    app.tg
        .wait_for("refusal", |c| {
            c.text().is_some_and(|t| t.contains("not yours"))
        })
        .await;
    assert_eq!(app.order_status(order).await, "waiting");
    // The buyer cancels: the order closes; a payment that still arrives is honoured.
    app.tg.press_button(&buyer, &photo, "Cancel");
    app.tg.wait_for_text(buyer.id, "Order cancelled").await;
    assert_eq!(app.order_status(order).await, "cancelled");
    assert_eq!(app.report(&payment, "finished").await, 200);
    app.tg
        .wait_for("late payment delivered", |c| {
            is_delivery(c, buyer.id, "BQACAgIAAxkBAAIBook")
        })
        .await;
    app.stop().await;
}

#[tokio::test]
async fn purchases_resend_the_file_to_its_buyer_only() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(3041, "en"), TgUser::new(3042, "en"));
    let (order, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    app.tg.send_text(&buyer, "/purchases");
    app.tg.wait_for_text(buyer.id, "no purchases yet").await;
    assert_eq!(app.report(&payment, "finished").await, 200);
    app.tg
        .wait_for("delivery", |c| {
            is_delivery(c, buyer.id, "BQACAgIAAxkBAAIBook")
        })
        .await;
    app.tg.send_text(&buyer, "/purchases");
    let list = app.tg.wait_for_text(buyer.id, "Your purchases").await;
    let resend = list.button_data("Rust in Action").unwrap();
    assert_eq!(resend, format!("dl:{order}"));
    app.tg.press(&buyer, &resend, list.message_id().unwrap());
    app.tg
        .wait_for("re-sent file", |c| {
            is_delivery(c, buyer.id, "BQACAgIAAxkBAAIBook")
        })
        .await;
    app.stop().await;
}

#[tokio::test]
async fn a_nowpayments_outage_tells_the_buyer_and_loses_nothing() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(3051, "en"), TgUser::new(3052, "en"));
    let product = publish(&app, &seller, "Outage", "30", "BQACAgOutage").await;
    let coins = open_currencies(&app, &buyer, product).await;
    app.np.fail_next("/v1/payment", 1, 503);
    app.tg.press_button(&buyer, &coins, "BTC");
    app.tg.wait_for_text(buyer.id, "not responding").await;
    // It comes back: the same button works.
    let (_, photo, _) = pay_with(&app, &buyer, &coins, "BTC").await;
    assert!(
        photo.text().unwrap().contains("30.83"),
        "30 + 2.78% = 30.83"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_amount_below_the_coin_minimum_is_explained() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(3061, "en"), TgUser::new(3062, "en"));
    app.np.set_min_fiat("btc", "40.25");
    let product = publish(&app, &seller, "Small", "10", "BQACAgSmall").await;
    let coins = open_currencies(&app, &buyer, product).await;
    app.tg.press_button(&buyer, &coins, "BTC");
    let msg = app
        .tg
        .wait_for_text(buyer.id, "least the payment provider accepts")
        .await;
    assert!(msg.text().unwrap().contains("40.25") && msg.text().unwrap().contains("BTC"));
    assert!(app.np.payments().is_empty(), "no payment was created");
    app.stop().await;
}

#[tokio::test]
async fn only_coins_nowpayments_lists_are_offered_and_the_list_is_cached() {
    let mut app = spawn_app_with(Options {
        extra_env: vec![("ACCEPTED_CURRENCIES", "btc,ton,eth".into())],
        ..Options::default()
    })
    .await;
    let (seller, buyer) = (TgUser::new(3071, "en"), TgUser::new(3072, "en"));
    let product = publish(&app, &seller, "Coins", "10", "BQACAgCoins").await;
    let coins = open_currencies(&app, &buyer, product).await;
    let labels: Vec<String> = coins.choices().into_iter().map(|(l, _)| l).collect();
    assert_eq!(
        labels,
        ["BTC", "ETH"],
        "TON is accepted but not listed by NOWPayments"
    );
    open_currencies(&app, &buyer, product).await;
    assert_eq!(app.np.currencies_calls(), 1);
    app.tg.press(
        &buyer,
        &format!("pay:{product}:ton"),
        coins.message_id().unwrap(),
    );
    app.tg
        .wait_for_text(buyer.id, "not available right now")
        .await;
    app.stop().await;
}

#[tokio::test]
async fn pressing_a_coin_twice_reuses_the_open_payment() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(3081, "en"), TgUser::new(3082, "en"));
    let product = publish(&app, &seller, "Twice", "10", "BQACAgTwice").await;
    let coins = open_currencies(&app, &buyer, product).await;
    let (first, _, _) = pay_with(&app, &buyer, &coins, "BTC").await;
    let (second, _, _) = pay_with(&app, &buyer, &coins, "BTC").await;
    assert_eq!(first, second);
    assert_eq!(app.np.payments().len(), 1);
    app.tg
        .assert_no_call("nothing odd", Duration::from_millis(100), |c| {
            c.method == "sendDocument"
        })
        .await;
    app.stop().await;
}

#[tokio::test]
async fn a_user_who_floods_the_bot_is_told_once_to_slow_down() {
    let mut app = spawn_app_with(Options {
        real_rate_limit: true,
        ..Options::default()
    })
    .await;
    let flooder = TgUser::new(3091, "en");
    for _ in 0..30 {
        app.tg.send_text(&flooder, "/help");
    }
    app.tg.wait_for_text(flooder.id, "too fast").await;
    app.tg
        .assert_no_call("a second warning", Duration::from_millis(1500), |c| {
            c.text().is_some_and(|t| t.contains("too fast"))
        })
        .await;
    let answered = app.tg.count_texts(flooder.id, "Commands:");
    assert!(answered < 30, "{answered} of 30 answered");
    app.stop().await;
}
