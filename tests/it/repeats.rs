//! Repeated notifications (issue 18): the same signed IPN again changes nothing, costs no new
//! row, is still refused under a wrong signature, is counted on the first one's row, and is
//! recognised after a restart from the inbox alone.

use crate::support::app::{IPN_SECRET, TestApp, spawn_app};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{buyer_at_payment, is_delivery};
use souk::domain::OrderStatus;
use souk::payments::PaymentStatusBody;
use souk::services::settlement::Settler;
use std::time::Duration;

const FILE: &str = "BQACAgIAAxkBAAIBook";

/// Posts a signed IPN; its status and the outcome souk answered.
async fn post(app: &TestApp, body: &str, sig: &str) -> (u16, String) {
    let resp = app
        .http
        .post(app.url("/ipn/nowpayments"))
        .header("content-type", "application/json")
        .header("x-nowpayments-sig", sig)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let json: serde_json::Value = resp.json().await.unwrap();
    (status, json["outcome"].as_str().unwrap_or("").to_string())
}

fn sign(body: &str) -> String {
    souk::payments::nowpayments::signature::sign(IPN_SECRET, body).unwrap()
}

#[tokio::test]
async fn a_repeated_ipn_changes_nothing_is_kept_once_and_counted() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(18_001, "en"), TgUser::new(18_002, "en"));
    let (order, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    let body = app
        .np
        .ipn_body(&payment.payment_id, "finished", &payment.pay_amount);
    let sig = sign(&body);
    assert_eq!(post(&app, &body, &sig).await, (200, "applied".into()));
    for _ in 0..5 {
        assert_eq!(post(&app, &body, &sig).await, (200, "ignored".into()));
    }
    // A wrong or missing signature is refused even on a body souk has settled.
    let forged = souk::payments::nowpayments::signature::sign("not-the-secret", &body).unwrap();
    assert_eq!(post(&app, &body, &forged).await.0, 401);
    assert_eq!(app.post_ipn_with(&body, None).await, 401);

    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, FILE))
        .await;
    assert_eq!(app.order_status(order).await, "finished");
    let rows = format!("SELECT COUNT(*) FROM ipn_events WHERE order_id = {order}");
    assert_eq!(app.scalar(&rows).await, 1, "the body is kept once");
    app.settler().flush_repeats().await.unwrap();
    let repeats = format!("SELECT repeats FROM ipn_events WHERE order_id = {order}");
    assert_eq!(app.scalar(&repeats).await, 5, "each repeat counted");
    let delivered =
        format!("SELECT COUNT(*) FROM outbox WHERE dedupe_key = 'order:{order}:delivered'");
    assert_eq!(app.scalar(&delivered).await, 1);
    app.tg
        .assert_no_call("a second delivery", Duration::from_millis(800), |c| {
            is_delivery(c, buyer.id, FILE)
        })
        .await;
    app.stop().await;
}

#[tokio::test]
async fn a_repeat_after_a_restart_is_known_by_the_inbox_and_an_old_report_does_not_reopen_an_order()
{
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(18_011, "en"), TgUser::new(18_012, "en"));
    let (order_id, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    let partial = app
        .np
        .ipn_body(&payment.payment_id, "partially_paid", "0.00001");
    assert_eq!(app.post_ipn(&partial).await, 200);
    assert_eq!(app.order_status(order_id).await, "partially_paid");
    // The order expires (souk's own report), then NOWPayments retries the old partial report.
    let order = souk::store::orders::get(&app.store, order_id)
        .await
        .unwrap()
        .unwrap();
    let expired = app
        .settler()
        .settle_own(&order, OrderStatus::Expired, None, "souk-expiry")
        .await
        .unwrap();
    assert_eq!(expired.status, Some(OrderStatus::Expired));
    assert_eq!(app.post_ipn(&partial).await, 200);
    assert_eq!(
        app.order_status(order_id).await,
        "expired",
        "a retry of news already settled does not reopen the order"
    );

    // Another process (a restart, a replica) has nothing in memory: the inbox knows the body.
    let fresh = Settler::spawn(app.store.clone());
    let report = PaymentStatusBody::read(&partial, false).unwrap();
    let settled = fresh.settle(report).await.unwrap();
    assert_eq!(settled.outcome.as_str(), "ignored");
    assert_eq!(settled.status, Some(OrderStatus::Expired));
    let kept = format!(
        "SELECT COUNT(*) FROM ipn_events WHERE order_id = {order_id} AND payment_status = 'partially_paid'"
    );
    assert_eq!(app.scalar(&kept).await, 1);
    app.settler().flush_repeats().await.unwrap();
    let repeats = format!(
        "SELECT repeats FROM ipn_events WHERE order_id = {order_id} AND payment_status = 'partially_paid'"
    );
    assert_eq!(app.scalar(&repeats).await, 2);

    // New news (more money, another body) still moves it on.
    assert_eq!(app.report(&payment, "finished").await, 200);
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, FILE))
        .await;
    assert_eq!(app.order_status(order_id).await, "finished");
    app.stop().await;
}
