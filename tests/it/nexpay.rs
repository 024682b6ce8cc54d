//! Mobile money through NexPay: the phone step, the session checkout, the webhook (shared secret),
//! and polling when a webhook is lost.

use crate::support::app::{ADMIN, Options, TestApp, spawn_app_with};

use crate::support::fake_nexpay::{FakeNexpay, PROJECT_ID, WEBHOOK_SECRET};
use crate::support::fake_telegram::{Call, TgUser};
use crate::support::flows::{deliveries, is_delivery, open_currencies, publish};
use souk::jobs::reconcile::QUIET_FOR_SECS;
use souk::payments::nexpay::CHECK_EVERY_SECS;
use std::time::Duration;

/// $25 + 2.78% = $25.70, × 605.5 XOF = 15561.35 → 15562 XOF.
const AMOUNT: &str = "15562";

async fn spawn_nexpay_app() -> (TestApp, FakeNexpay) {
    let nexpay = FakeNexpay::start().await;
    let app = spawn_app_with(Options {
        extra_env: nexpay.env(),
        ..Options::default()
    })
    .await;
    (app, nexpay)
}

/// The buyer picks Wave, gives a phone number, and gets the checkout message. Returns the order
/// id and that message.
async fn pay_with_wave(app: &TestApp, buyer: &TgUser, product: i64) -> (i64, Call) {
    let choices = open_currencies(app, buyer, product).await;
    let labels: Vec<String> = choices.buttons().into_iter().map(|b| b.0).collect();
    assert_eq!(labels[..2], ["🌊 Wave", "🟠 Orange Money"], "{labels:?}");
    app.tg.press_button(buyer, &choices, "Wave");
    let ask = app.tg.wait_for_text(buyer.id, "Which phone number").await;
    assert_eq!(
        ask.params["reply_markup"]["keyboard"][0][0]["request_contact"],
        serde_json::json!(true),
        "a button shares the buyer's number"
    );
    app.tg.send_text(buyer, "77 123 45 67");
    app.tg
        .wait_for_text(buyer.id, "not a phone number in international format")
        .await;
    app.tg.send_contact(buyer, "221771234567");
    app.tg
        .wait_for_text(buyer.id, "Paying from +221771234567")
        .await;
    let photo = app
        .tg
        .wait_for("checkout photo", |c| {
            c.method == "sendPhoto" && c.chat_id() == Some(buyer.id)
        })
        .await;
    let caption = photo.text().unwrap().to_string();
    let order_id: i64 = caption
        .split("Order #")
        .nth(1)
        .and_then(|s| s.split(':').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("order id in {caption:?}"));
    (order_id, photo)
}

async fn post_webhook(app: &TestApp, secret: Option<&str>, body: &serde_json::Value) -> u16 {
    let mut request = app.http.post(app.url("/ipn/nexpay")).json(body);
    if let Some(secret) = secret {
        request = request.header("x-webhook-secret", secret);
    }
    request.send().await.unwrap().status().as_u16()
}

async fn order_row(app: &TestApp, id: i64) -> (String, Option<String>, Option<String>) {
    sqlx::query_as("SELECT status, payment_id, pay_amount FROM orders WHERE id = $1")
        .bind(id)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_buyer_pays_with_wave_and_receives_the_file_once() {
    let (mut app, nexpay) = spawn_nexpay_app().await;
    let (seller, buyer) = (TgUser::new(9701, "en"), TgUser::new(9702, "en"));
    let product = publish(&app, &seller, "Wave book", "25", "BQACAgWave").await;
    let (order_id, photo) = pay_with_wave(&app, &buyer, product).await;

    let caption = photo.text().unwrap();
    assert!(caption.contains("Pay 15,562 XOF with 🌊 Wave"), "{caption}");
    let sessions = nexpay.sessions();
    assert_eq!(sessions.len(), 1, "one session");
    let session = sessions[0].clone();
    let checkouts = nexpay
        .requests()
        .iter()
        .filter(|r| r.ends_with("/checkout"))
        .count();
    assert_eq!(checkouts, 1, "checked out once");
    assert_eq!(
        session.request,
        serde_json::json!({
            "amount": 15562,
            "currency": "XOF",
            "phone": "+221771234567",
            "name": "User9702",
            "client_reference": order_id.to_string(),
            "projectId": PROJECT_ID,
            "metadata": { "souk_order": order_id },
        })
    );
    assert_eq!(session.provider.as_deref(), Some("wave"));
    let pay_now = photo
        .buttons()
        .into_iter()
        .find(|b| b.0 == "Pay now")
        .expect("a Pay now button");
    assert!(
        pay_now.1.starts_with("https://pay.wave.com/c/NEXPAY_TX_"),
        "{pay_now:?}"
    );
    assert_eq!(
        order_row(&app, order_id).await,
        (
            "waiting".into(),
            Some(session.id.clone()),
            Some(AMOUNT.into())
        )
    );

    // NexPay's webhook, delivered twice at once (the amount once written with decimals, as a
    // Decimal column prints): one file.
    let body = nexpay.resolve(&session.id, "SUCCEEDED", AMOUNT);
    let decimals = nexpay.resolve(&session.id, "SUCCEEDED", &format!("{AMOUNT}.00"));
    let (a, b) = tokio::join!(
        post_webhook(&app, Some(WEBHOOK_SECRET), &body),
        post_webhook(&app, Some(WEBHOOK_SECRET), &decimals)
    );
    assert_eq!((a, b), (200, 200));
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, "BQACAgWave"))
        .await;
    app.tg.wait_for_text(seller.id, "$25.00 credited").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(deliveries(&app, &buyer, "BQACAgWave"), 1);
    assert_eq!(order_row(&app, order_id).await.0, "finished");
    assert_eq!(
        sales(&app, order_id).await,
        1,
        "the seller is credited once"
    );
    app.stop().await;
}

/// Sale entries of an order in the ledger.
async fn sales(app: &TestApp, order_id: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries WHERE order_id = $1 AND kind = 'sale'")
        .bind(order_id)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_nexpay_webhook_without_the_secret_or_with_another_amount_moves_nothing() {
    let (mut app, nexpay) = spawn_nexpay_app().await;
    let (seller, buyer) = (TgUser::new(9711, "en"), TgUser::new(9712, "en"));
    let product = publish(&app, &seller, "Secret book", "25", "BQACAgSecret").await;
    let (order_id, _) = pay_with_wave(&app, &buyer, product).await;
    let session = nexpay.sessions().pop().unwrap();
    let body = nexpay.resolve(&session.id, "SUCCEEDED", AMOUNT);

    assert_eq!(post_webhook(&app, None, &body).await, 401);
    assert_eq!(post_webhook(&app, Some("whsec-guess"), &body).await, 401);
    let garbled = app
        .http
        .post(app.url("/ipn/nexpay"))
        .header("x-webhook-secret", WEBHOOK_SECRET)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbled.status().as_u16(), 400);
    // Another project of the same NexPay instance, or a reference souk's metadata contradicts.
    let mut elsewhere = body.clone();
    elsewhere["data"]["project"]["id"] = serde_json::json!("other-shop-project");
    assert_eq!(
        post_webhook(&app, Some(WEBHOOK_SECRET), &elsewhere).await,
        400
    );
    let mut crossed = body.clone();
    crossed["data"]["metadata"]["souk_order"] = serde_json::json!(order_id + 1);
    assert_eq!(
        post_webhook(&app, Some(WEBHOOK_SECRET), &crossed).await,
        400
    );
    assert_eq!(order_row(&app, order_id).await.0, "waiting");

    // The right secret, but less money than asked: the admins are told, nothing is delivered.
    let short = nexpay.resolve(&session.id, "SUCCEEDED", "15000");
    assert_eq!(post_webhook(&app, Some(WEBHOOK_SECRET), &short).await, 200);
    app.tg.wait_for_text(ADMIN, "does not match it").await;
    assert_eq!(order_row(&app, order_id).await.0, "waiting");
    assert_eq!(deliveries(&app, &buyer, "BQACAgSecret"), 0);
    app.stop().await;
}

/// A time when the order is quiet; `step` later runs are that many NexPay check intervals on.
fn later(step: i64) -> i64 {
    chrono::Utc::now().timestamp() + QUIET_FOR_SECS + 60 + step * CHECK_EVERY_SECS
}

/// The admin's confirm button under `/markpaid`, once it is shown.
async fn markpaid_button(app: &TestApp, order_id: i64) -> (String, i32) {
    let confirm = app
        .tg
        .wait_for_text(ADMIN, &format!("Mark order #{order_id} paid?"))
        .await;
    let text = confirm.text().unwrap();
    assert!(text.contains("15562 mm_wave"), "{text}");
    let data = confirm.button_data("Yes, it is paid").unwrap();
    (data, confirm.message_id().unwrap())
}

/// NexPay never retries a webhook, and its API serves only open sessions: a payment whose webhook
/// was lost shows as a session closed before its hour. Polling finds that, the admins are asked
/// to look, and /markpaid (after checking NexPay's dashboard) delivers once.
#[tokio::test]
async fn a_lost_nexpay_webhook_is_found_by_polling_and_settled_once_by_an_admin() {
    let (mut app, nexpay) = spawn_nexpay_app().await;
    let (seller, buyer) = (TgUser::new(9721, "en"), TgUser::new(9722, "en"));
    let admin = TgUser::new(ADMIN, "en");
    let product = publish(&app, &seller, "Lost book", "25", "BQACAgLost").await;
    let (order_id, _) = pay_with_wave(&app, &buyer, product).await;
    let session = nexpay.sessions().pop().unwrap();

    // Still open: polling changes nothing, and asks again only after NexPay's interval.
    let report = app.reconciler().run(later(0)).await.unwrap();
    assert_eq!((report.checked, report.moved, report.expired), (1, 0, 0));
    let report = app.reconciler().run(later(0) + 60).await.unwrap();
    assert_eq!(report.checked, 0, "checked a minute ago");

    // Paid, and the webhook never came: NexPay now answers 404 for the session.
    nexpay.resolve(&session.id, "SUCCEEDED", AMOUNT);
    let report = app.reconciler().run(later(1)).await.unwrap();
    assert_eq!((report.checked, report.moved, report.expired), (1, 0, 0));
    let alert = app.tg.wait_for_text(ADMIN, "closed payment").await;
    assert!(
        alert
            .text()
            .unwrap()
            .contains(&format!("/markpaid {order_id}")),
        "{alert:?}"
    );
    assert_eq!(order_row(&app, order_id).await.0, "waiting");
    assert_eq!(deliveries(&app, &buyer, "BQACAgLost"), 0);
    let polls = nexpay
        .requests()
        .iter()
        .filter(|r| *r == &format!("GET /api/v1/payment/session/{}", session.id))
        .count();
    assert_eq!(polls, 2);

    // The admin checked NexPay's dashboard: the money is there.
    app.tg.send_text(&admin, &format!("/markpaid {order_id}"));
    let (data, message) = markpaid_button(&app, order_id).await;
    app.tg.press(&admin, &data, message);
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, "BQACAgLost"))
        .await;
    app.tg.wait_for_text(ADMIN, "is marked paid").await;
    app.tg.wait_for_text(seller.id, "$25.00 credited").await;
    // The same button pressed again, and a second /markpaid: nothing more.
    app.tg.press(&admin, &data, message);
    app.tg
        .wait_for_text(
            ADMIN,
            &format!("Order #{order_id} is finished: there is nothing"),
        )
        .await;
    app.tg.send_text(&admin, &format!("/markpaid {order_id}"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(deliveries(&app, &buyer, "BQACAgLost"), 1);
    assert_eq!(order_row(&app, order_id).await.0, "finished");
    assert_eq!(sales(&app, order_id).await, 1);
    let source: String = sqlx::query_scalar(
        "SELECT body FROM ipn_events WHERE order_id = $1 AND payment_status = 'finished'",
    )
    .bind(order_id)
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert!(
        source.contains(&format!("souk-admin-markpaid:{ADMIN}")),
        "{source}"
    );
    app.stop().await;
}

/// A session nobody paid lasts its hour: past it the order expires (its buyer told once), and
/// money NexPay reports later still delivers.
#[tokio::test]
async fn an_unpaid_nexpay_order_expires_after_its_session_and_late_money_still_delivers() {
    let (mut app, nexpay) = spawn_nexpay_app().await;
    let (seller, buyer) = (TgUser::new(9731, "en"), TgUser::new(9732, "en"));
    let product = publish(&app, &seller, "Late book", "25", "BQACAgLate").await;
    let (order_id, _) = pay_with_wave(&app, &buyer, product).await;
    let session = nexpay.sessions().pop().unwrap();
    let expires: String = sqlx::query_scalar("SELECT expires_at FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    let expires = chrono::DateTime::parse_from_rfc3339(&expires).unwrap();
    assert_eq!(
        expires.timestamp(),
        session.expires_at.timestamp(),
        "the order lasts as long as its session, not the provider's link"
    );

    let after = expires.timestamp() + 60;
    let report = app.reconciler().run(after).await.unwrap();
    assert_eq!((report.moved, report.expired), (0, 1), "{report}");
    app.tg.wait_for_text(buyer.id, "expired").await;
    assert_eq!(order_row(&app, order_id).await.0, "expired");

    let body = nexpay.resolve(&session.id, "SUCCEEDED", AMOUNT);
    assert_eq!(post_webhook(&app, Some(WEBHOOK_SECRET), &body).await, 200);
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, "BQACAgLate"))
        .await;
    assert_eq!(order_row(&app, order_id).await.0, "finished");
    app.stop().await;
}

/// NexPay started the payment but its answer never reached souk (a 500 after the provider was
/// asked): the buyer is told to try again and the order is cancelled, yet NexPay's webhook for
/// that payment, for the amount the order was worth, still delivers.
#[tokio::test]
async fn money_for_a_checkout_souk_thought_failed_still_delivers() {
    let (mut app, nexpay) = spawn_nexpay_app().await;
    let (seller, buyer) = (TgUser::new(9741, "en"), TgUser::new(9742, "en"));
    let product = publish(&app, &seller, "Half book", "25", "BQACAgHalf").await;
    nexpay.fail_next_checkout();
    let choices = open_currencies(&app, &buyer, product).await;
    app.tg.press_button(&buyer, &choices, "Wave");
    app.tg.wait_for_text(buyer.id, "Which phone number").await;
    app.tg.send_contact(&buyer, "221771234567");
    app.tg
        .wait_for_text(buyer.id, "payment provider is not responding")
        .await;
    let session = nexpay.sessions().pop().unwrap();
    let order_id: i64 = session.request["client_reference"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        order_row(&app, order_id).await,
        ("cancelled".into(), None, None)
    );

    let body = nexpay.resolve(&session.id, "SUCCEEDED", AMOUNT);
    assert_eq!(post_webhook(&app, Some(WEBHOOK_SECRET), &body).await, 200);
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, "BQACAgHalf"))
        .await;
    assert_eq!(order_row(&app, order_id).await.0, "finished");
    assert_eq!(sales(&app, order_id).await, 1);
    app.stop().await;
}

/// NexPay puts the secret in whatever header its webhook was configured with.
#[tokio::test]
async fn the_webhook_secret_is_read_from_the_configured_header() {
    let nexpay = FakeNexpay::start().await;
    let mut env = nexpay.env();
    env.push(("NEXPAY_WEBHOOK_HEADER", "x-nexpay-token".into()));
    let mut app = spawn_app_with(Options {
        extra_env: env,
        ..Options::default()
    })
    .await;
    let (seller, buyer) = (TgUser::new(9751, "en"), TgUser::new(9752, "en"));
    let product = publish(&app, &seller, "Header book", "25", "BQACAgHeader").await;
    let (order_id, _) = pay_with_wave(&app, &buyer, product).await;
    let session = nexpay.sessions().pop().unwrap();
    let body = nexpay.resolve(&session.id, "SUCCEEDED", AMOUNT);
    let post = |header: &'static str| {
        app.http
            .post(app.url("/ipn/nexpay"))
            .header(header, WEBHOOK_SECRET)
            .json(&body)
            .send()
    };
    assert_eq!(post("x-webhook-secret").await.unwrap().status(), 401);
    assert_eq!(order_row(&app, order_id).await.0, "waiting");
    assert_eq!(post("x-nexpay-token").await.unwrap().status(), 200);
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, "BQACAgHeader"))
        .await;
    app.stop().await;
}
