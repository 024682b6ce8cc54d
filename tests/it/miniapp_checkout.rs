//! Checkout from the Mini App (issue 17): in crypto (the chat gets the goods once), in Stars
//! (an invoice link the chat settles) and in mobile money (a phone number, then the provider's
//! page).

use crate::miniapp::{call, signed};
use crate::support::app::{TestApp, spawn_app};
use crate::support::fake_telegram::{TgUser, token};
use crate::support::flows::publish;
use reqwest::StatusCode;
use serde_json::Value;

async fn post_checkout(app: &TestApp, data: &str, body: Value) -> (StatusCode, Value) {
    let resp = app
        .http
        .post(app.url("/api/app/checkout"))
        .header("authorization", format!("tma {data}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn checkout_from_the_app_pays_in_crypto_and_the_chat_gets_the_goods_once() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(23_301, "en"), TgUser::new(23_302, "fr"));
    let book = publish(&app, &seller, "Carnet de voyage", "15", "BQACAgCarnet").await;
    let data = signed(&buyer, 0, token());

    // Refusals come with a reason and its text in the buyer's language, and change nothing.
    let (status, refused) = post_checkout(
        &app,
        &data,
        serde_json::json!({ "product": 999_999, "code": "btc" }),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(refused["error"], "product-unavailable");
    let (status, refused) = post_checkout(
        &app,
        &data,
        serde_json::json!({ "product": book, "code": "nope" }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM orders").await, 0);

    let (status, to_pay) = post_checkout(
        &app,
        &data,
        serde_json::json!({ "product": book, "code": "btc" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{to_pay}");
    assert_eq!(to_pay["kind"], "address");
    let order = to_pay["order"].as_i64().unwrap();
    let address = to_pay["address"].as_str().unwrap();
    assert!(
        to_pay["uri"].as_str().unwrap().starts_with("bitcoin:"),
        "{to_pay}"
    );
    assert!(to_pay["uri"].as_str().unwrap().contains(address));
    assert!(
        to_pay["qr"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,")
    );
    assert!(
        to_pay["instructions"]
            .as_str()
            .unwrap()
            .starts_with("Envoyez exactement"),
        "{to_pay}"
    );

    // The IPN settles it: the chat gets the file, the page's status reads finished.
    let payment = app
        .np
        .payments()
        .into_iter()
        .find(|p| p.order_id.as_deref() == Some(&order.to_string()))
        .expect("a payment for the order");
    app.report(&payment, "finished").await;
    app.report(&payment, "finished").await;
    app.tg
        .wait_for("the file", |c| {
            crate::support::flows::is_delivery(c, buyer.id, "BQACAgCarnet")
        })
        .await;
    let (_, status) = call(&app, &format!("/api/app/orders/{order}"), Some(&data)).await;
    assert_eq!(status["status"], "finished");
    let files = app
        .tg
        .calls()
        .iter()
        .filter(|c| crate::support::flows::is_delivery(c, buyer.id, "BQACAgCarnet"))
        .count();
    assert_eq!(files, 1, "delivered once");
    app.stop().await;
}

#[tokio::test]
async fn checkout_from_the_app_in_stars_gives_an_invoice_link_the_chat_settles() {
    let mut app = crate::stars::spawn_stars_app().await;
    let (seller, buyer) = (TgUser::new(23_401, "en"), TgUser::new(23_402, "en"));
    let book = publish(&app, &seller, "Star guide", "15", "BQACAgStarGuide").await;
    let data = signed(&buyer, 0, token());
    let (status, to_pay) = post_checkout(
        &app,
        &data,
        serde_json::json!({ "product": book, "code": "xtr" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{to_pay}");
    assert_eq!(to_pay["kind"], "invoice");
    let links = app.tg.invoice_links();
    assert_eq!(links.len(), 1);
    assert!(
        links[0].get("subscription_period").is_none(),
        "a one-off payment"
    );
    let payload = links[0]["payload"].as_str().unwrap().to_string();
    let stars = to_pay["stars"].as_u64().unwrap() as u32;
    assert_eq!(
        links[0]["prices"][0]["amount"].as_u64(),
        Some(u64::from(stars))
    );
    app.tg.pre_checkout(&buyer, &payload, stars);
    app.tg
        .successful_payment(&buyer, &payload, stars, "stxAPP1");
    app.tg
        .wait_for("the file", |c| {
            crate::support::flows::is_delivery(c, buyer.id, "BQACAgStarGuide")
        })
        .await;
    let order = to_pay["order"].as_i64().unwrap();
    let (_, status) = call(&app, &format!("/api/app/orders/{order}"), Some(&data)).await;
    assert_eq!(status["status"], "finished");
    app.stop().await;
}

#[tokio::test]
async fn checkout_from_the_app_in_mobile_money_wants_a_phone_and_gives_the_providers_page() {
    let nexpay = crate::support::fake_nexpay::FakeNexpay::start().await;
    let mut app = crate::support::app::spawn_app_with(crate::support::app::Options {
        extra_env: nexpay.env(),
        ..Default::default()
    })
    .await;
    let (seller, buyer) = (TgUser::new(23_701, "en"), TgUser::new(23_702, "en"));
    let book = publish(&app, &seller, "Wave guide", "25", "BQACAgWave").await;
    let data = signed(&buyer, 0, token());
    let (status, refused) = post_checkout(
        &app,
        &data,
        serde_json::json!({ "product": book, "code": "mm_wave" }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(refused["error"], "phone-invalid");
    let (status, refused) = post_checkout(
        &app,
        &data,
        serde_json::json!({ "product": book, "code": "mm_wave", "phone": "77 123" }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(nexpay.sessions().len(), 0, "nothing asked of NexPay");

    let (status, to_pay) = post_checkout(
        &app,
        &data,
        serde_json::json!({ "product": book, "code": "mm_wave", "phone": "+221 77 123 45 67" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{to_pay}");
    assert_eq!(to_pay["kind"], "link");
    assert!(
        to_pay["url"]
            .as_str()
            .unwrap()
            .starts_with("https://pay.wave.com/c/NEXPAY_TX_"),
        "{to_pay}"
    );
    let sessions = nexpay.sessions();
    assert_eq!(sessions.len(), 1);
    let (_, ways) = call(&app, "/api/app/ways", Some(&data)).await;
    let wave = ways
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "mm_wave")
        .expect("Wave offered")
        .clone();
    assert_eq!(wave["needs_phone"], true, "{ways}");
    assert_eq!(sessions[0].request["phone"], "+221771234567");
    app.stop().await;
}
