//! Operations: Prometheus metrics behind their token; starting without cutting production off.

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
        "souk_nowpayments_request_duration_seconds_count{endpoint=\"payment\"} 1",
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

/// A Telegram update as Telegram posts it to a webhook: a private message with `text`.
fn message_update(update_id: i64, user: i64, text: &str) -> String {
    serde_json::json!({
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_795_000_000,
            "chat": {"id": user, "type": "private", "first_name": "Web"},
            "from": {"id": user, "is_bot": false, "first_name": "Web", "language_code": "en"},
            "text": text,
            "entities": if text.starts_with('/') {
                serde_json::json!([{"type": "bot_command", "offset": 0, "length": text.len()}])
            } else {
                serde_json::json!([])
            }
        }
    })
    .to_string()
}

#[tokio::test]
async fn in_webhook_mode_updates_come_through_the_shared_router_with_the_secret_checked() {
    let mut app = spawn_app_with(Options {
        extra_env: vec![
            (
                "TELEGRAM_WEBHOOK_URL",
                "https://souk.example/telegram/hook".into(),
            ),
            ("TELEGRAM_WEBHOOK_SECRET", "hook-Secret_123".into()),
        ],
        ..Options::default()
    })
    .await;
    let set = app
        .tg
        .wait_for("setWebhook", |c| c.method == "setWebhook")
        .await;
    assert_eq!(
        set.str_param("url"),
        Some("https://souk.example/telegram/hook")
    );
    assert_eq!(set.str_param("secret_token"), Some("hook-Secret_123"));
    let url = app.url("/telegram/hook");
    let post = |secret: Option<&'static str>, body: String| {
        let mut req = app
            .http
            .post(&url)
            .header("content-type", "application/json")
            .body(body);
        if let Some(s) = secret {
            req = req.header("X-Telegram-Bot-Api-Secret-Token", s);
        }
        req.send()
    };
    let user = 9901;
    assert_eq!(
        post(None, message_update(1, user, "/start"))
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        post(Some("hook-Secret_12"), message_update(2, user, "/start"))
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        post(Some("hook-Secret_123"), message_update(3, user, "/start"))
            .await
            .unwrap()
            .status(),
        200
    );
    app.tg
        .wait_for("the answer to /start", |c| {
            c.method == "sendMessage" && c.chat_id() == Some(user)
        })
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let answers = app
        .tg
        .calls_to(user)
        .into_iter()
        .filter(|c| c.method == "sendMessage")
        .count();
    assert_eq!(answers, 1, "the refused updates were not handled");
    assert!(
        !app.tg.calls().iter().any(|c| c.method == "getUpdates"),
        "no long polling in webhook mode"
    );
    // The other routes are on the same port.
    assert_eq!(
        app.http
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.stop().await;
}

/// The log lines of this test process (nextest runs each test in its own process).
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_full_run_logs_ids_in_spans_and_no_secret() {
    use crate::payouts::{payer, post_payout_ipn, seller_with_sales, spawn_payout_app};
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn,souk=debug"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .try_init()
        .unwrap();

    let mut app = spawn_payout_app().await;
    let seller = TgUser::new(9801, "en");
    seller_with_sales(&app, &seller, 2).await;
    assert_eq!(
        app.post_ipn_with("{\"payment_id\":1}", Some("bad")).await,
        401
    );
    let outcome = payer(&app).run("test").await.unwrap();
    assert!(matches!(
        outcome,
        souk::services::payouts::RunOutcome::Sent(_)
    ));
    let w = app.np.withdrawals()[0].clone();
    app.np
        .set_withdrawal_status(&w.id, "FINISHED", Some("0xhash"), None);
    assert_eq!(
        post_payout_ipn(&app, &app.np.payout_ipn_body(&w.id)).await,
        200
    );
    app.tg.wait_for_text(seller.id, "Payout complete").await;
    app.stop().await;

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("ipn{payment_id="),
        "IPN logs carry the payment id:\n{log}"
    );
    assert!(log.contains("payout_ipn{withdrawal_id="), "{log}");
    assert!(log.contains("checkout{"), "{log}");
    let bot_secret = crate::support::fake_telegram::token()
        .split(':')
        .nth(1)
        .unwrap();
    for secret in [
        crate::support::app::API_KEY,
        crate::support::app::IPN_SECRET,
        crate::support::fake_nowpayments::custody::PASSWORD,
        crate::support::fake_nowpayments::custody::TOTP_SECRET,
        bot_secret,
        "eyJhbGciOiJIUzI1NiJ9",
    ] {
        assert!(
            !log.contains(secret),
            "a secret ({} chars) is in the log",
            secret.len()
        );
    }
}

/// Long polling with a token whose bot has a webhook (production's) would delete that webhook:
/// souk refuses to start, naming the host but not the path, unless told to take over.
#[tokio::test]
async fn polling_refuses_to_cut_off_a_webhook_unless_told_to_take_over() {
    use souk::app::{Application, Tuning};
    use std::collections::HashMap;
    let tg = crate::support::fake_telegram::FakeTelegram::start().await;
    tg.set_webhook_url("https://shop.example.com/telegram/s3cr3t-path");
    let (database_url, _dir) = crate::support::app::fresh_database().await;
    let vars = |take_over: bool| {
        let mut vars: HashMap<String, String> = HashMap::from([
            (
                "TELOXIDE_TOKEN".into(),
                crate::support::fake_telegram::token().to_string(),
            ),
            ("TELOXIDE_API_URL".into(), tg.api_url().to_string()),
            ("DATABASE_URL".into(), database_url.clone()),
            ("PORT".into(), "0".into()),
        ]);
        if take_over {
            vars.insert("TELEGRAM_TAKE_OVER_WEBHOOK".into(), "true".into());
        }
        souk::config::Config::from_vars(&vars).unwrap()
    };
    let refused = match Application::build_with(vars(false), Tuning::default()).await {
        Ok(_) => panic!("souk started polling over a webhook"),
        Err(e) => e.to_string(),
    };
    assert!(refused.contains("shop.example.com"), "{refused}");
    assert!(
        !refused.contains("s3cr3t"),
        "the path may be a secret: {refused}"
    );
    assert!(refused.contains("TELEGRAM_TAKE_OVER_WEBHOOK"), "{refused}");
    assert!(!tg.webhook_url().is_empty(), "the webhook is untouched");

    let app = Application::build_with(vars(true), Tuning::default())
        .await
        .expect("taking over is allowed");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    for _ in 0..100 {
        if tg.webhook_url().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(tg.webhook_url().is_empty(), "polling deleted the webhook");
    let _ = stop.send(());
    task.await.unwrap().unwrap();
}
