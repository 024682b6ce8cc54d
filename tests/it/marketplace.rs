//! The core story: a seller publishes a file, a buyer pays in crypto, the file arrives exactly once.

use crate::support::app::{ADMIN, spawn_app};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{buyer_at_payment, is_delivery, open_currencies, pay_with, publish};
use std::time::Duration;

const FILE: &str = "BQACAgIAAxkBAAIBook";

#[tokio::test]
async fn a_seller_publishes_a_file_and_a_buyer_pays_in_btc_and_receives_it_once() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(1001, "en"), TgUser::new(2002, "en"));

    let product = publish(&app, &seller, "Rust in Action", "25", FILE).await;
    let coins = open_currencies(&app, &buyer, product).await;
    let labels: Vec<String> = coins.buttons().into_iter().map(|(l, _)| l).collect();
    for coin in ["BTC", "ETH", "USDT", "SOL", "LTC"] {
        assert!(
            labels.iter().any(|l| l.contains(coin)),
            "{coin} offered in {labels:?}"
        );
    }
    let (order, photo, payment) = pay_with(&app, &buyer, &coins, "BTC").await;

    // NOWPayments was asked for price + commission: 25.00 at 2.78% is 25.70.
    assert_eq!(payment.request["price_amount"].to_string(), "25.7");
    assert_eq!(payment.request["price_currency"], "usd");
    assert_eq!(payment.request["pay_currency"], "btc");
    assert_eq!(payment.request["order_id"], order.to_string());
    assert_eq!(
        payment.request["ipn_callback_url"],
        "https://souk.example/ipn/nowpayments"
    );
    // The buyer sees the total with the commission, and amount and address exactly as sent.
    let caption = photo.text().unwrap();
    for needle in ["25.70", "0.70", &payment.pay_amount, &payment.pay_address] {
        assert!(caption.contains(needle), "{needle} in {caption}");
    }
    let png = photo.file("photo").expect("a QR code image");
    let expected_uri = format!(
        "bitcoin:{}?amount={}",
        payment.pay_address, payment.pay_amount
    );
    assert_eq!(
        decode_qr(png),
        expected_uri,
        "the QR code is a BIP-21 URI a wallet can scan"
    );
    assert!(photo.button_data("Check status").is_some() && photo.button_data("Cancel").is_some());
    assert_eq!(app.order_status(order).await, "waiting");

    // confirming → one "payment detected".
    let confirming = app
        .np
        .ipn_body(&payment.payment_id, "confirming", &payment.pay_amount);
    assert_eq!(app.post_ipn(&confirming).await, 200);
    app.tg.wait_for_text(buyer.id, "Payment detected").await;
    assert_eq!(app.report(&payment, "confirmed").await, 200);

    // finished → the file by file_id with a receipt, and the seller hears of the sale.
    let finished = app
        .np
        .ipn_body(&payment.payment_id, "finished", &payment.pay_amount);
    assert_eq!(app.post_ipn(&finished).await, 200);
    let delivery = app
        .tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, FILE))
        .await;
    assert!(delivery.text().unwrap().contains("Receipt"));
    app.tg.wait_for_text(seller.id, "Sale!").await;
    assert_eq!(app.order_status(order).await, "finished");

    // The same IPN again, and a late confirming: 200, nothing more.
    assert_eq!(app.post_ipn(&finished).await, 200);
    assert_eq!(app.post_ipn(&confirming).await, 200);
    app.tg
        .assert_no_call(
            "a second delivery or detection",
            Duration::from_millis(1500),
            |c| {
                c.chat_id() == Some(buyer.id)
                    && (c.method == "sendDocument"
                        || c.text().is_some_and(|t| t.contains("Payment detected")))
            },
        )
        .await;
    assert_eq!(app.order_status(order).await, "finished");
    app.stop().await;
}

#[tokio::test]
async fn concurrent_duplicate_ipns_deliver_exactly_once() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(1011, "en"), TgUser::new(2012, "en"));
    let (_, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    let finished = app
        .np
        .ipn_body(&payment.payment_id, "finished", &payment.pay_amount);
    let posts = (0..12).map(|_| app.post_ipn(&finished));
    let statuses = futures::future::join_all(posts).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, FILE))
        .await;
    app.tg
        .assert_no_call("a second delivery", Duration::from_millis(1500), |c| {
            is_delivery(c, buyer.id, FILE)
        })
        .await;
    let sales = app.tg.count_texts(seller.id, "Sale!");
    assert_eq!(sales, 1);
    app.stop().await;
}

#[tokio::test]
async fn finished_before_confirming_delivers_once_and_the_late_status_changes_nothing() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(1021, "en"), TgUser::new(2022, "en"));
    let (order, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    for status in [
        "finished",
        "sending",
        "confirmed",
        "confirming",
        "waiting",
        "failed",
    ] {
        let body = app
            .np
            .ipn_body(&payment.payment_id, status, &payment.pay_amount);
        assert_eq!(app.post_ipn(&body).await, 200, "{status}");
    }
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, FILE))
        .await;
    app.tg
        .assert_no_call(
            "anything after delivery",
            Duration::from_millis(1500),
            |c| {
                c.chat_id() == Some(buyer.id)
                    && (c.method == "sendDocument"
                        || c.text()
                            .is_some_and(|t| t.contains("detected") || t.contains("failed")))
            },
        )
        .await;
    assert_eq!(app.order_status(order).await, "finished");
    app.stop().await;
}

#[tokio::test]
async fn a_partial_payment_tells_the_exact_missing_amount_once() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(1031, "en"), TgUser::new(2032, "en"));
    let (order, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    let expected: rust_decimal::Decimal = payment.pay_amount.parse().unwrap();
    let paid = (expected / rust_decimal::Decimal::from(4)).round_dp(8);
    let missing = (expected - paid).normalize().to_string();
    let body = app
        .np
        .ipn_body(&payment.payment_id, "partially_paid", &paid.to_string());
    assert_eq!(app.post_ipn(&body).await, 200);
    let msg = app.tg.wait_for_text(buyer.id, "is missing").await;
    assert!(
        msg.text()
            .unwrap()
            .contains(&format!("{missing} BTC is missing")),
        "{:?} should say {missing}",
        msg.text()
    );
    assert_eq!(app.post_ipn(&body).await, 200);
    app.tg
        .assert_no_call(
            "a second partial message",
            Duration::from_millis(1200),
            |c| c.text().is_some_and(|t| t.contains("is missing")),
        )
        .await;
    assert_eq!(app.order_status(order).await, "partially_paid");
    // The buyer tops up: the order settles and delivers.
    assert_eq!(app.report(&payment, "finished").await, 200);
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, FILE))
        .await;
    app.stop().await;
}

#[tokio::test]
async fn failed_expired_and_refunded_payments_each_send_one_message() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(1041, "en"), TgUser::new(2042, "en"));
    let product = publish(&app, &seller, "Three tries", "12.50", FILE).await;

    let coins = open_currencies(&app, &buyer, product).await;
    let (failed_order, _, p1) = pay_with(&app, &buyer, &coins, "BTC").await;
    let body = app.np.ipn_body(&p1.payment_id, "failed", "0");
    assert_eq!(app.post_ipn(&body).await, 200);
    app.tg.wait_for_text(buyer.id, "failed").await;
    assert_eq!(app.order_status(failed_order).await, "failed");
    // Its payment message is closed: the address marked void, the buttons gone.
    let closed = app
        .tg
        .wait_for_text(buyer.id, "no longer takes payments")
        .await;
    // Its QR code gives way to a void picture (editMessageMedia), so it cannot be scanned.
    assert_eq!(closed.method, "editMessageMedia");
    assert!(closed.buttons().is_empty());

    let coins = open_currencies(&app, &buyer, product).await;
    let (expired_order, _, p2) = pay_with(&app, &buyer, &coins, "ETH").await;
    let body = app.np.ipn_body(&p2.payment_id, "expired", "0");
    assert_eq!(app.post_ipn(&body).await, 200);
    assert_eq!(app.post_ipn(&body).await, 200);
    app.tg.wait_for_text(buyer.id, "expired").await;
    assert_eq!(app.order_status(expired_order).await, "expired");
    app.tg
        .wait_for_text(buyer.id, "no longer takes payments")
        .await;

    let coins = open_currencies(&app, &buyer, product).await;
    let (refunded_order, _, p3) = pay_with(&app, &buyer, &coins, "LTC").await;
    let refunded = app.np.ipn_body(&p3.payment_id, "refunded", &p3.pay_amount);
    assert_eq!(app.post_ipn(&refunded).await, 200);
    assert_eq!(
        app.order_status(refunded_order).await,
        "waiting",
        "refunded cannot precede payment"
    );
    assert_eq!(app.report(&p3, "finished").await, 200);
    assert_eq!(app.post_ipn(&refunded).await, 200);
    app.tg.wait_for_text(buyer.id, "was refunded").await;
    assert_eq!(app.order_status(refunded_order).await, "refunded");

    app.tg
        .assert_no_call(
            "a repeated status message",
            Duration::from_millis(1200),
            |c| {
                c.chat_id() == Some(buyer.id)
                    && c.text().is_some_and(|t| {
                        t.contains("expired") || t.contains("failed") || t.contains("refunded")
                    })
            },
        )
        .await;
    app.stop().await;
}

#[tokio::test]
async fn an_ipn_that_does_not_match_its_order_is_flagged_and_delivers_nothing() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(1051, "en"), TgUser::new(2052, "en"));
    let (order, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    let honest = app
        .np
        .ipn_body(&payment.payment_id, "finished", &payment.pay_amount);
    let cheap = honest.replace("\"price_amount\":25.7", "\"price_amount\":1");
    assert_ne!(cheap, honest);
    assert_eq!(app.post_ipn(&cheap).await, 200);
    app.tg.wait_for_text(ADMIN, "does not match").await;
    app.tg
        .assert_no_call("a delivery", Duration::from_millis(1200), |c| {
            is_delivery(c, buyer.id, FILE)
        })
        .await;
    assert_eq!(app.order_status(order).await, "waiting");
    // A repeat deposit NOWPayments reports under a new payment id, naming the order: flagged
    // too, not dropped as a payment of no known order.
    let child = honest.replacen(
        &format!(
            "\"payment_id\":{},\"parent_payment_id\":null",
            payment.payment_id
        ),
        &format!(
            "\"payment_id\":7700001,\"parent_payment_id\":{}",
            payment.payment_id
        ),
        1,
    );
    assert_ne!(child, honest);
    assert_eq!(app.post_ipn(&child).await, 200);
    app.tg.wait_for_text(ADMIN, "7700001").await;
    assert_eq!(app.order_status(order).await, "waiting");
    let recorded: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM ipn_events WHERE outcome = 'mismatch'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(recorded, 2);
    app.stop().await;
}

#[tokio::test]
async fn forged_missing_or_oversized_ipns_are_refused_and_change_nothing() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(1061, "en"), TgUser::new(2062, "en"));
    let (order, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    let body = app
        .np
        .ipn_body(&payment.payment_id, "finished", &payment.pay_amount);
    let forged = souk::payments::nowpayments::signature::sign("not-the-secret", &body).unwrap();
    assert_eq!(app.post_ipn_with(&body, Some(&forged)).await, 401);
    assert_eq!(app.post_ipn_with(&body, None).await, 401);
    assert_eq!(app.post_ipn_with(&body, Some("zz")).await, 401);
    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(70 * 1024));
    assert_eq!(app.post_ipn(&huge).await, 413);
    assert_eq!(app.post_ipn("{\"hello\":1}").await, 400);
    // souk names its orders by number: any other order_id is not one of its payments.
    let foreign = body.replace(&format!("\"order_id\":\"{order}\""), "\"order_id\":\"abc\"");
    assert_ne!(foreign, body);
    assert_eq!(app.post_ipn(&foreign).await, 400);
    assert_eq!(app.order_status(order).await, "waiting");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ipn_events")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(stored, 0);
    app.tg
        .assert_no_call("a delivery", Duration::from_millis(800), |c| {
            is_delivery(c, buyer.id, FILE)
        })
        .await;
    app.stop().await;
}

#[tokio::test]
async fn a_lost_ipn_is_recovered_by_the_check_status_button() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(1071, "en"), TgUser::new(2072, "en"));
    let (order, photo, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    app.np
        .set_status(&payment.payment_id, "finished", &payment.pay_amount);
    app.tg.press_button(&buyer, &photo, "Check status");
    let answer = app
        .tg
        .wait_for("status answer", |c| {
            c.method == "answerCallbackQuery" && c.text().is_some()
        })
        .await;
    assert!(
        answer.text().unwrap().contains("Paid"),
        "{:?}",
        answer.text()
    );
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, FILE))
        .await;
    assert_eq!(app.order_status(order).await, "finished");
    app.stop().await;
}

#[tokio::test]
async fn a_telegram_outage_delays_the_delivery_but_never_loses_or_doubles_it() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(1081, "en"), TgUser::new(2082, "en"));
    let (_, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    app.tg
        .fail_next("sendDocument", 2, 429, "Too Many Requests: retry after 1");
    assert_eq!(app.report(&payment, "finished").await, 200);
    let delivered = app
        .tg
        .wait_for("a successful delivery", |c| {
            is_delivery(c, buyer.id, FILE) && c.ok
        })
        .await;
    assert!(delivered.ok);
    app.tg
        .assert_no_call("another delivery", Duration::from_millis(2500), |c| {
            is_delivery(c, buyer.id, FILE) && c.ok
        })
        .await;
    app.stop().await;
}

#[tokio::test]
async fn a_delivery_owed_when_souk_stops_is_sent_after_restart() {
    let app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(1091, "en"), TgUser::new(2092, "en"));
    let (order, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    // Telegram refuses for a while; souk is stopped with the delivery still owed.
    app.tg
        .fail_next("sendDocument", 1, 429, "Too Many Requests: retry after 1");
    let finished = app
        .np
        .ipn_body(&payment.payment_id, "finished", &payment.pay_amount);
    assert_eq!(app.post_ipn(&finished).await, 200);
    app.tg
        .wait_for("the failed attempt", |c| {
            is_delivery(c, buyer.id, FILE) && !c.ok
        })
        .await;
    let app2 = app.restart().await;
    let mut app2 = app2;
    app2.tg
        .wait_for("the delivery after restart", |c| {
            is_delivery(c, buyer.id, FILE) && c.ok
        })
        .await;
    assert_eq!(app2.order_status(order).await, "finished");
    app2.stop().await;
}

#[tokio::test]
async fn healthz_answers_while_the_database_does() {
    let mut app = spawn_app().await;
    let resp = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.json::<serde_json::Value>().await.unwrap()["database"],
        "ok"
    );
    app.stop().await;
}

/// Reads the QR code in a PNG, as a wallet app's camera would.
fn decode_qr(png_bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let (w, h) = (frame.width as usize, frame.height as usize);
    assert_eq!(frame.color_type, png::ColorType::Grayscale);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().unwrap().1
}

#[tokio::test]
async fn the_bot_registers_its_command_menu_in_english_and_french() {
    let mut app = spawn_app().await;
    let fr = app
        .tg
        .wait_for("French command menu", |c| {
            c.method == "setMyCommands" && c.str_param("language_code") == Some("fr")
        })
        .await;
    let commands = fr.param("commands").unwrap().as_array().unwrap().clone();
    let sell = commands.iter().find(|c| c["command"] == "sell").unwrap();
    assert_eq!(
        sell["description"],
        "Vendre un fichier, des clés de licence ou un texte"
    );
    app.stop().await;
}
