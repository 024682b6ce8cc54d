//! Telegram Stars: invoice, pre-checkout, successful payment delivered once.

use crate::support::app::{ADMIN, Options, TestApp, spawn_app_with};
use crate::support::fake_telegram::{Call, TgUser};
use crate::support::flows::{
    Goods, is_delivery, open_currencies, pay_with, publish, publish_goods,
};
use std::time::Duration;

async fn spawn_stars_app() -> TestApp {
    spawn_app_with(Options {
        extra_env: vec![("STARS_PER_USD", "75".into())],
        ..Options::default()
    })
    .await
}

/// The buyer presses Stars under the coins; returns the invoice call.
async fn stars_invoice(app: &TestApp, buyer: &TgUser, product: i64) -> Call {
    let coins = open_currencies(app, buyer, product).await;
    assert_eq!(
        coins.buttons()[0].0,
        "⭐ Telegram Stars",
        "Stars come first"
    );
    let data = coins.button_data("Stars").unwrap();
    app.tg.press(buyer, &data, coins.message_id().unwrap());
    app.tg
        .wait_for("the invoice", |c| {
            c.method == "sendInvoice" && c.chat_id() == Some(buyer.id)
        })
        .await
}

fn answers(app: &TestApp) -> Vec<Call> {
    app.tg
        .calls()
        .into_iter()
        .filter(|c| c.method == "answerPreCheckoutQuery")
        .collect()
}

#[tokio::test]
async fn a_buyer_pays_in_stars_and_receives_the_file_once() {
    let mut app = spawn_stars_app().await;
    let (seller, buyer) = (TgUser::new(9901, "en"), TgUser::new(9902, "en"));
    let product = publish(&app, &seller, "Stars book", "25", "BQACAgStars").await;
    let invoice = stars_invoice(&app, &buyer, product).await;
    assert_eq!(invoice.str_param("currency"), Some("XTR"));
    assert_eq!(invoice.str_param("provider_token").unwrap_or(""), "");
    // $25 + 2.78% = $25.70, × 75 = 1927.5 → 1928 Stars.
    assert_eq!(invoice.result["invoice"]["total_amount"], 1928);
    let payload = invoice.str_param("payload").unwrap().to_string();

    app.tg.pre_checkout(&buyer, &payload, 1928);
    app.tg
        .wait_for("pre-checkout answer", |c| {
            c.method == "answerPreCheckoutQuery"
        })
        .await;
    assert_eq!(answers(&app)[0].params["ok"], serde_json::json!(true));
    app.tg
        .successful_payment(&buyer, &payload, 1928, "stxCHARGE1");
    app.tg
        .successful_payment(&buyer, &payload, 1928, "stxCHARGE1");
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, "BQACAgStars"))
        .await;
    app.tg.wait_for_text(seller.id, "$25.00 credited").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let deliveries = app
        .tg
        .calls()
        .iter()
        .filter(|c| is_delivery(c, buyer.id, "BQACAgStars"))
        .count();
    assert_eq!(
        deliveries, 1,
        "a repeated successful_payment delivers nothing more"
    );
    let order: (String, Option<String>) =
        sqlx::query_as("SELECT status, payment_id FROM orders WHERE pay_currency = 'xtr'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(
        order,
        ("finished".to_string(), Some("stxCHARGE1".to_string()))
    );

    // The old invoice paid again (a new charge): nothing delivered, the admins are told.
    app.tg.pre_checkout(&buyer, &payload, 1928);
    app.tg
        .successful_payment(&buyer, &payload, 1928, "stxCHARGE2");
    app.tg.wait_for_text(ADMIN, "was paid again in Stars").await;
    assert_eq!(
        answers(&app)[1].params["ok"],
        serde_json::json!(false),
        "already paid"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_pre_checkout_for_a_sold_out_item_is_refused() {
    let mut app = spawn_stars_app().await;
    let seller = TgUser::new(9911, "en");
    let (late, quick) = (TgUser::new(9912, "en"), TgUser::new(9913, "en"));
    let product = publish_goods(
        &app,
        &seller,
        "Last key",
        "Only one",
        "10",
        None,
        Goods::Items("KEY-1"),
    )
    .await;
    let invoice = stars_invoice(&app, &late, product).await;
    let payload = invoice.str_param("payload").unwrap().to_string();
    let order: i64 = payload.trim_start_matches("souk-order-").parse().unwrap();
    // The late buyer's reservation lapses; another buyer takes the key with crypto.
    assert!(
        souk::store::orders::cancel(&app.store, order, late.id)
            .await
            .unwrap()
    );
    let coins = open_currencies(&app, &quick, product).await;
    let (_, _, p) = pay_with(&app, &quick, &coins, "BTC").await;
    assert_eq!(
        app.post_ipn(&app.np.ipn_body(&p.payment_id, "finished", &p.pay_amount))
            .await,
        200
    );
    // Now the old invoice: refused with the reason, before any Star moves.
    app.tg.pre_checkout(
        &late,
        &payload,
        invoice.result["invoice"]["total_amount"].as_u64().unwrap() as u32,
    );
    app.tg
        .wait_for("pre-checkout answer", |c| {
            c.method == "answerPreCheckoutQuery"
        })
        .await;
    let answer = &answers(&app)[0];
    assert_eq!(answer.params["ok"], serde_json::json!(false));
    let reason = answer.str_param("error_message").unwrap_or_default();
    assert!(reason.contains("sold out"), "{reason}");

    app.stop().await;
}
