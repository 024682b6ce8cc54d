//! The fake NOWPayments against plain reqwest: its wire format, as the real API writes it.

use super::*;

fn header_key(key: &str) -> (&'static str, String) {
    ("x-api-key", key.to_owned())
}

#[tokio::test]
async fn nowpayments_speaks_its_wire_format() {
    let np = FakeNowPayments::start("np-key").await;
    let http = reqwest::Client::new();
    let (name, key) = header_key("np-key");
    let url = np.url();

    let status: Value = http
        .get(format!("{url}/status"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status, json!({ "message": "OK" }));

    let denied = http
        .get(format!("{url}/currencies"))
        .header("x-api-key", "wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
    let denied: Value = denied.json().await.unwrap();
    assert_eq!(denied["code"], "INVALID_API_KEY");

    let currencies: Value = http
        .get(format!("{url}/currencies"))
        .header(name, &key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        currencies["currencies"],
        json!(["btc", "eth", "usdttrc20", "sol", "ltc", "trx"])
    );
    assert_eq!(np.currencies_calls(), 1);

    np.set_min_fiat("btc", "12.34");
    let min = http
        .get(format!(
            "{url}/min-amount?currency_from=btc&currency_to=btc&fiat_equivalent=usd"
        ))
        .header(name, &key)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(min.contains(r#""fiat_equivalent":12.34"#), "{min}");

    let too_small = http
        .post(format!("{url}/payment"))
        .header(name, &key)
        .json(&json!({ "price_amount": 10, "price_currency": "usd", "pay_currency": "btc" }))
        .send()
        .await
        .unwrap();
    assert_eq!(too_small.status(), 400);
    let missing = http
        .post(format!("{url}/payment"))
        .header(name, &key)
        .json(&json!({ "price_amount": 10 }))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400);
    let ton = http
        .post(format!("{url}/payment"))
        .header(name, &key)
        .json(&json!({ "price_amount": 30, "price_currency": "usd", "pay_currency": "ton" }))
        .send()
        .await
        .unwrap();
    assert_eq!(ton.status(), 400, "ton is not in the default currency list");

    let body = r#"{"price_amount":25.70,"price_currency":"usd","pay_currency":"btc","order_id":"o-1","order_description":"An ebook","ipn_callback_url":"http://127.0.0.1:1/ipn"}"#;
    let created = http
        .post(format!("{url}/payment"))
        .header(name, &key)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let text = created.text().await.unwrap();
    assert!(
        text.starts_with(r#"{"payment_id":"5745459419","payment_status":"waiting""#),
        "{text}"
    );
    assert!(
        text.contains(r#""price_amount":25.70,"#) && text.contains(r#""pay_amount":0.00059476,"#),
        "{text}"
    );
    let created: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(created["order_id"], "o-1");
    assert!(
        created["expiration_estimate_date"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    let payment = np.payments().pop().unwrap();
    assert_eq!(
        (payment.payment_id.as_str(), payment.pay_amount.as_str()),
        ("5745459419", "0.00059476")
    );
    assert_eq!(payment.order_id.as_deref(), Some("o-1"));

    np.set_status("5745459419", "partially_paid", "0.0003");
    let status = http
        .get(format!("{url}/payment/5745459419"))
        .header(name, &key)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        status.starts_with(r#"{"payment_id":5745459419,"payment_status":"partially_paid""#),
        "{status}"
    );
    assert!(status.contains(r#""actually_paid":0.0003,"#), "{status}");
    let unknown = http
        .get(format!("{url}/payment/1"))
        .header(name, &key)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(
        unknown.json::<Value>().await.unwrap()["code"],
        "PAYMENT_NOT_FOUND"
    );

    np.fail_next("/payment", 2, 500);
    for _ in 0..2 {
        let failed = http
            .get(format!("{url}/payment/5745459419"))
            .header(name, &key)
            .send()
            .await
            .unwrap();
        assert_eq!(failed.status(), 500);
    }
    np.delay_next("/v1/currencies", Duration::from_millis(300));
    let started = Instant::now();
    let slow = http
        .get(format!("{url}/currencies"))
        .header(name, &key)
        .send()
        .await
        .unwrap();
    assert_eq!(slow.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    let ipn = np.ipn_body("5745459419", "finished", "0.00059476");
    assert!(ipn.starts_with(r#"{"payment_id":5745459419,"parent_payment_id":null,"invoice_id":null,"payment_status":"finished""#), "{ipn}");
    assert!(
        ipn.contains(r#""price_amount":25.70,"#)
            && ipn.contains(r#""depositFee":0.09853637216235617,"#),
        "{ipn}"
    );
    let ipn: Value = serde_json::from_str(&ipn).unwrap();
    assert_eq!(ipn["order_id"], "o-1");
    assert!(ipn["updated_at"].is_u64());
}
