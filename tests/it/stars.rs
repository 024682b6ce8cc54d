//! Telegram Stars: invoice, pre-checkout, successful payment delivered once.

use crate::support::app::{ADMIN, Options, TestApp, spawn_app_with};
use crate::support::fake_telegram::{Call, TgUser};
use crate::support::flows::{
    Goods, deliveries, is_delivery, open_currencies, pay_with, publish, publish_goods,
};
use std::time::Duration;

pub async fn spawn_stars_app() -> TestApp {
    spawn_app_with(Options {
        extra_env: vec![("STARS_PER_USD", "75".into())],
        ..Options::default()
    })
    .await
}

/// The buyer presses Stars under the coins; returns the invoice call.
pub async fn stars_invoice(app: &TestApp, buyer: &TgUser, product: i64) -> Call {
    let coins = open_currencies(app, buyer, product).await;
    assert_eq!(
        coins.buttons()[0].0,
        "⭐ Telegram Stars",
        "Stars come first"
    );
    app.tg.press_button(buyer, &coins, "Stars");
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

/// The buyer's Stars app asks about the invoice; returns souk's answer.
async fn pre_checkout_answer(app: &TestApp, buyer: &TgUser, invoice: &Call) -> Call {
    let before = answers(app).len();
    app.tg.pre_checkout(
        buyer,
        invoice.str_param("payload").unwrap(),
        invoice.result["invoice"]["total_amount"].as_u64().unwrap() as u32,
    );
    for _ in 0..200 {
        if let Some(answer) = answers(app).get(before) {
            return answer.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no pre-checkout answer");
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
    assert_eq!(
        deliveries(&app, &buyer, "BQACAgStars"),
        1,
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
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        deliveries(&app, &buyer, "BQACAgStars"),
        1,
        "the second charge delivers nothing"
    );
    assert_eq!(sales(&app).await, 1, "the seller is credited once");
    app.stop().await;
}

/// Sale entries in the ledger, over every order.
async fn sales(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'sale'")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

/// souk stopped after recording Telegram's charge and before settling it; Telegram never sends
/// the update again. The next reconciliation finishes the order.
#[tokio::test]
async fn a_stars_payment_interrupted_before_settling_is_finished_by_reconciliation() {
    let mut app = spawn_stars_app().await;
    let (seller, buyer) = (TgUser::new(9941, "en"), TgUser::new(9942, "en"));
    let product = publish(&app, &seller, "Cut book", "25", "BQACAgCut").await;
    let invoice = stars_invoice(&app, &buyer, product).await;
    let order_id = souk::services::stars::order_of(invoice.str_param("payload").unwrap()).unwrap();
    // The first half of settling a successful_payment, as it was committed before the crash.
    let charge = souk::store::orders::AttachedPayment {
        payment_id: "stxCUT1",
        pay_address: "telegram",
        pay_amount: "1928",
        expires_at: None,
    };
    assert!(
        souk::store::orders::attach_payment(&app.store, order_id, &charge)
            .await
            .unwrap()
    );
    let later = chrono::Utc::now().timestamp() + souk::jobs::reconcile::QUIET_FOR_SECS + 60;
    let report = app.reconciler().run(later).await.unwrap();
    assert_eq!((report.moved, report.expired), (1, 0), "{report}");
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, "BQACAgCut"))
        .await;
    let again = app.reconciler().run(later).await.unwrap();
    assert_eq!(again.checked, 0, "a finished order is not checked again");
    assert_eq!(sales(&app).await, 1);
    // Telegram settles Stars: an admin cannot mark such an order paid by hand.
    app.tg
        .send_text(&TgUser::new(ADMIN, "en"), &format!("/markpaid {order_id}"));
    app.tg.wait_for_text(ADMIN, "is paid in Stars").await;
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
    let answer = pre_checkout_answer(&app, &late, &invoice).await;
    assert_eq!(answer.params["ok"], serde_json::json!(false));
    let reason = answer.str_param("error_message").unwrap_or_default();
    assert!(reason.contains("sold out"), "{reason}");

    app.stop().await;
}

/// A buyer pays `product` in Stars with `charge`; returns the order id once the file arrived.
pub async fn paid_in_stars(
    app: &TestApp,
    buyer: &TgUser,
    product: i64,
    file: &str,
    charge: &str,
) -> i64 {
    let invoice = stars_invoice(app, buyer, product).await;
    let payload = invoice.str_param("payload").unwrap().to_string();
    let stars = invoice.result["invoice"]["total_amount"].as_u64().unwrap() as u32;
    app.tg.pre_checkout(buyer, &payload, stars);
    app.tg.successful_payment(buyer, &payload, stars, charge);
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, file))
        .await;
    payload.trim_start_matches("souk-order-").parse().unwrap()
}

#[tokio::test]
async fn an_admin_refund_of_a_stars_order_gives_the_stars_back_once() {
    let mut app = spawn_stars_app().await;
    let (seller, buyer) = (TgUser::new(9921, "en"), TgUser::new(9922, "en"));
    let product = publish(&app, &seller, "Refund book", "25", "BQACAgRefund").await;
    let order = paid_in_stars(&app, &buyer, product, "BQACAgRefund", "stxREFUND1").await;
    let admin = TgUser::new(ADMIN, "en");

    // Telegram refuses once: nothing is recorded, the seller keeps the money.
    app.tg
        .fail_next("refundStarPayment", 1, 400, "Bad Request: BALANCE_TOO_LOW");
    app.tg.send_text(&admin, &format!("/refund {order}"));
    app.tg
        .wait_for_text(ADMIN, "Telegram did not refund the Stars")
        .await;
    let finished: (String,) = sqlx::query_as("SELECT status FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(finished.0, "finished");

    app.tg.send_text(&admin, &format!("/refund {order}"));
    app.tg
        .wait_for_text(ADMIN, "Telegram gave the Stars back")
        .await;
    let refunds: Vec<Call> = app
        .tg
        .calls()
        .into_iter()
        .filter(|c| c.method == "refundStarPayment")
        .collect();
    assert_eq!(refunds.len(), 2, "the refused attempt, then the refund");
    assert_eq!(refunds[1].params["user_id"], serde_json::json!(buyer.id));
    assert_eq!(
        refunds[1].str_param("telegram_payment_charge_id"),
        Some("stxREFUND1")
    );
    let status: (String,) = sqlx::query_as("SELECT status FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(status.0, "refunded");
    let debits: (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM ledger_entries WHERE order_id = $1 AND kind = 'refund'",
    )
    .bind(order)
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(debits.0, 1, "the seller is debited once");

    // Again: the order is no longer finished, Telegram is not asked twice.
    app.tg.send_text(&admin, &format!("/refund {order}"));
    app.tg
        .wait_for_text(ADMIN, "only a finished order can be refunded")
        .await;
    let refunds = app
        .tg
        .calls()
        .iter()
        .filter(|c| c.method == "refundStarPayment")
        .count();
    assert_eq!(refunds, 2);
    app.stop().await;
}

#[tokio::test]
async fn paysupport_sends_the_admins_the_order_the_buyer_picks() {
    let mut app = spawn_stars_app().await;
    let (seller, buyer) = (TgUser::new(9931, "en"), TgUser::new(9932, "en"));
    let product = publish(&app, &seller, "Help book", "25", "BQACAgHelp").await;
    app.tg.send_text(&buyer, "/paysupport");
    app.tg
        .wait_for_text(buyer.id, "You have no orders yet")
        .await;

    let order = paid_in_stars(&app, &buyer, product, "BQACAgHelp", "stxHELP1").await;
    app.tg.send_text(&buyer, "/paysupport");
    let list = app.tg.wait_for_text(buyer.id, "Pick the order below").await;
    let data = list.button_data(&format!("#{order}")).unwrap();
    app.tg.press(&buyer, &data, list.message_id().unwrap());
    app.tg
        .wait_for_text(buyer.id, "was sent to the admins")
        .await;
    let alert = app.tg.wait_for_text(ADMIN, "Payment support").await;
    let text = alert.text().unwrap();
    assert!(
        text.contains(&format!("order #{order} (finished")),
        "{text}"
    );
    assert!(text.contains("paid with XTR, payment stxHELP1"), "{text}");

    // Another buyer's order cannot be asked about with a forged button.
    let other = TgUser::new(9933, "en");
    app.tg.press(&other, &data, list.message_id().unwrap());
    app.tg.wait_for_text(other.id, "not yours").await;
    app.stop().await;
}

#[tokio::test]
async fn stats_count_stars_revenue_apart_from_crypto() {
    let mut app = spawn_stars_app().await;
    let (seller, buyer) = (TgUser::new(9941, "en"), TgUser::new(9942, "en"));
    let product = publish(&app, &seller, "Stats book", "25", "BQACAgStats").await;
    paid_in_stars(&app, &buyer, product, "BQACAgStats", "stxSTATS1").await;
    let coins = open_currencies(&app, &buyer, product).await;
    let (_, _, p) = pay_with(&app, &buyer, &coins, "BTC").await;
    assert_eq!(
        app.post_ipn(&app.np.ipn_body(&p.payment_id, "finished", &p.pay_amount))
            .await,
        200
    );
    app.tg.wait_for_text(seller.id, "credited").await;
    let admin = TgUser::new(ADMIN, "en");
    app.tg.send_text(&admin, "/stats week");
    let stats = app.tg.wait_for_text(ADMIN, "By way of paying").await;
    let text = stats.text().unwrap();
    assert!(
        text.contains("⭐ Telegram Stars: 1 sales, $25.70"),
        "{text}"
    );
    assert!(
        text.contains("Crypto (NOWPayments): 1 sales, $25.70"),
        "{text}"
    );
    app.stop().await;
}

#[tokio::test]
async fn stars_are_offered_when_nowpayments_is_down_and_an_unpaid_invoice_lapses() {
    let mut app = spawn_stars_app().await;
    let (seller, buyer) = (TgUser::new(9951, "en"), TgUser::new(9952, "en"));
    let product = publish_goods(
        &app,
        &seller,
        "Held key",
        "One key",
        "10",
        None,
        Goods::Items("KEY-HELD"),
    )
    .await;
    app.np.fail_next("/v1/currencies", 100, 503);
    let coins = open_currencies(&app, &buyer, product).await;
    assert_eq!(coins.choices().len(), 1, "{:?}", coins.buttons());
    app.tg.press_button(&buyer, &coins, "Stars");
    let invoice = app
        .tg
        .wait_for("the invoice", |c| c.method == "sendInvoice")
        .await;

    // Never paid: after an hour the hourly job expires it and the key goes back on sale.
    let reconciler = app.reconciler();
    let soon = chrono::Utc::now().timestamp() + 20 * 60;
    assert_eq!(reconciler.run(soon).await.unwrap().expired, 0);
    let later = chrono::Utc::now().timestamp() + 3600 + 60;
    assert_eq!(reconciler.run(later).await.unwrap().expired, 1);
    let available: (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM stock_items WHERE product_id = $1 AND status = 'available'",
    )
    .bind(product)
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(available.0, 1, "the key is back on sale");
    let answer = pre_checkout_answer(&app, &buyer, &invoice).await;
    let reason = answer.str_param("error_message").unwrap_or_default();
    assert!(reason.contains("expired"), "{reason}");
    // A payment approved just before the lapse and completed just after: the money is honoured
    // (the key, back in stock, is delivered), not taken for a second payment.
    let stars = invoice.result["invoice"]["total_amount"].as_u64().unwrap() as u32;
    app.tg.successful_payment(
        &buyer,
        invoice.str_param("payload").unwrap(),
        stars,
        "stxLATE1",
    );
    app.tg.wait_for_text(buyer.id, "KEY-HELD").await;
    assert!(
        app.tg
            .calls_to(ADMIN)
            .iter()
            .all(|c| !c.text().unwrap_or_default().contains("paid again")),
        "not reported as paid twice"
    );
    app.stop().await;
}
