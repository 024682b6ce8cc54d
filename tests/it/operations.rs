//! Operations: Prometheus metrics behind their token.

use crate::support::app::{Options, spawn_app_with};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{buyer_at_payment, is_delivery};

#[tokio::test]
async fn metrics_count_ipns_payments_deliveries_and_orders_behind_their_token() {
    let mut app = spawn_app_with(Options {
        extra_env: vec![("METRICS_TOKEN", "metrics-secret".into())],
        ..Options::default()
    })
    .await;
    let (seller, buyer) = (TgUser::new(9501, "en"), TgUser::new(9502, "en"));
    let (_, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    let finished = app
        .np
        .ipn_body(&payment.payment_id, "finished", &payment.pay_amount);
    assert_eq!(app.post_ipn(&finished).await, 200);
    assert_eq!(app.post_ipn(&finished).await, 200);
    assert_eq!(app.post_ipn_with(&finished, Some("00")).await, 401);
    app.tg
        .wait_for("delivery", |c| {
            is_delivery(c, buyer.id, "BQACAgIAAxkBAAIBook")
        })
        .await;

    let url = app.url("/metrics");
    let refused = app.http.get(&url).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    let wrong = app.http.get(&url).bearer_auth("nope").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    // Deliveries are counted when sent: wait until the outbox is empty.
    let mut text = String::new();
    for _ in 0..100 {
        let resp = app
            .http
            .get(&url)
            .bearer_auth("metrics-secret")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert!(
            resp.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
        text = resp.text().await.unwrap();
        if text.contains("souk_outbox_pending 0") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    for line in [
        "souk_ipn_received_total{kind=\"payment\",result=\"applied\"} 1",
        "souk_ipn_received_total{kind=\"payment\",result=\"ignored\"} 1",
        "souk_ipn_received_total{kind=\"payment\",result=\"bad_signature\"} 1",
        "souk_payments_created_total{currency=\"btc\"} 1",
        "souk_orders{status=\"finished\"} 1",
        "souk_nowpayments_requests_total{endpoint=\"payment\",result=\"201\"} 1",
        "souk_nowpayments_request_seconds_count{endpoint=\"payment\"} 1",
        "souk_outbox_pending 0",
        "# TYPE souk_payout_amount_cents_total counter",
    ] {
        assert!(text.contains(line), "missing {line} in\n{text}");
    }
    let sent = text
        .lines()
        .find_map(|l| l.strip_prefix("souk_deliveries_total{result=\"sent\"} "))
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    assert!(
        sent >= 2,
        "the file to the buyer and the sale message to the seller: {text}"
    );
    app.stop().await;
}
