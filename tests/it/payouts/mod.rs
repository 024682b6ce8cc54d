//! Seller payouts against a fake NOWPayments that behaves like the real one: JWTs, custody
//! balance, batches verified by TOTP, capital-letter statuses, plain-text `OK`, payout IPNs.

use crate::support::app::{ADMIN, API_KEY, IPN_SECRET, Options, TestApp, spawn_app_with};
use crate::support::fake_nowpayments::custody::{EMAIL, PASSWORD, TOTP_SECRET};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{open_currencies, pay_with, publish};
use souk::domain::UsdCents;
use souk::payments::nowpayments::custody::{Custody, Login};
use souk::payments::nowpayments::two_factor::TwoFactor;
use souk::services::payouts::{Payer, RunOutcome};
use std::sync::Arc;
use std::time::Duration;

mod books;
mod crash;
mod disputes;
mod holds;
pub use crash::{output, souk_payout};

pub const TRON: &str = "TEmGwPeRTPiLFLVfBxXkSP91yc5GMNQhfS";
pub const PAYOUT_IPN: &str = "https://souk.example/ipn/payout";

pub fn custody_env() -> Vec<(&'static str, String)> {
    vec![
        ("NOWPAYMENTS_EMAIL", EMAIL.into()),
        ("NOWPAYMENTS_PASSWORD", PASSWORD.into()),
        ("NOWPAYMENTS_2FA_SECRET", TOTP_SECRET.into()),
        ("MIN_PAYOUT_USD", "50".into()),
        ("IPN_PAYOUT_URL", PAYOUT_IPN.into()),
        // Never fires during a test: runs are started by hand.
        ("PAYOUT_CRON", "0 0 3 29 2 *".into()),
    ]
}

pub async fn spawn_payout_app() -> TestApp {
    spawn_app_with(Options {
        extra_env: custody_env(),
        ..Options::default()
    })
    .await
}

/// A payer like the app's own, for calling runs directly (as the scheduler and the CLI do).
pub fn payer(app: &TestApp) -> Payer {
    Payer {
        store: app.store.clone(),
        api: Arc::new(Custody::new(
            &app.np.url(),
            API_KEY.to_string().into(),
            Login {
                email: EMAIL.into(),
                password: PASSWORD.to_string().into(),
            },
        )),
        two_factor: Arc::new(TwoFactor::from_base32(TOTP_SECRET).unwrap()),
        currency: "usdttrc20".into(),
        minimum: UsdCents(5000),
        ipn_url: Some(PAYOUT_IPN.into()),
    }
}

/// The seller saves a TRON wallet, then `sales` buyers each buy a $25 product.
pub async fn seller_with_sales(app: &TestApp, seller: &TgUser, sales: i64) {
    app.tg.send_text(seller, "/wallet");
    app.tg
        .wait_for_text(seller.id, "no payout wallet yet")
        .await;
    app.tg.send_text(seller, TRON);
    app.tg.wait_for_text(seller.id, "Payout wallet saved").await;
    let product = publish(app, seller, "Guide", "25", "BQACAgGuide").await;
    for n in 0..sales {
        let buyer = TgUser::new(seller.id * 100 + n, "en");
        let coins = open_currencies(app, &buyer, product).await;
        let (order, _, payment) = pay_with(app, &buyer, &coins, "BTC").await;
        let finished = app
            .np
            .ipn_body(&payment.payment_id, "finished", &payment.pay_amount);
        assert_eq!(app.post_ipn(&finished).await, 200);
        assert_eq!(app.order_status(order).await, "finished");
    }
}

pub async fn available(app: &TestApp, seller: i64) -> i64 {
    souk::store::ledger::balances(&app.store, seller)
        .await
        .unwrap()
        .available
        .0
}

pub async fn post_payout_ipn(app: &TestApp, body: &str) -> reqwest::StatusCode {
    let sig = souk::payments::nowpayments::signature::sign(IPN_SECRET, body).unwrap();
    app.http
        .post(app.url("/ipn/payout"))
        .header("content-type", "application/json")
        .header("x-nowpayments-sig", sig)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn payout_now_pays_exactly_the_available_amount_and_the_ipn_completes_it() {
    let mut app = spawn_payout_app().await;
    let seller = TgUser::new(7001, "en");
    let admin = TgUser::new(ADMIN, "en");
    seller_with_sales(&app, &seller, 3).await;
    assert_eq!(available(&app, seller.id).await, 7500);

    // Not an admin: refused. The admin is asked to confirm first.
    app.tg.send_text(&seller, "/payout_now");
    app.tg
        .wait_for_text(seller.id, "for the marketplace's admins")
        .await;
    app.tg.send_text(&admin, "/payout_now");
    let ask = app.tg.wait_for_text(ADMIN, "Pay 1 seller 75.00 USDT").await;
    assert!(app.np.batches().is_empty(), "nothing before confirmation");
    app.tg.press_button(&admin, &ask, "Pay now");
    let told = app.tg.wait_for_text(seller.id, "is on its way").await;
    assert!(told.text().unwrap().contains("75.00"), "{:?}", told.text());
    assert!(told.text().unwrap().contains(TRON));
    let summary = app.tg.wait_for_text(ADMIN, "Payout run (batch").await;
    assert!(
        summary.text().unwrap().contains("1 payouts, 75.00 USDT"),
        "{:?}",
        summary.text()
    );

    let batches = app.np.batches();
    assert_eq!(batches.len(), 1);
    assert!(batches[0].verified, "verified with a valid TOTP code");
    let w = &batches[0].withdrawals[0];
    assert_eq!((w.amount.as_str(), w.address.as_str()), ("75.00", TRON));
    assert_eq!(w.currency, "usdttrc20");
    assert_eq!(w.ipn_callback_url.as_deref(), Some(PAYOUT_IPN));
    assert!(
        w.unique_external_id
            .as_deref()
            .unwrap()
            .starts_with("souk-payout-")
    );
    assert_eq!(
        available(&app, seller.id).await,
        0,
        "reserved in the ledger"
    );
    assert_eq!(app.np.balance("usdttrc20"), "9925");

    // The payout IPN (capital letters) completes it; repeats and late news change nothing.
    app.np
        .set_withdrawal_status(&w.id, "FINISHED", Some("0xfeedbeef"), None);
    let finished = app.np.payout_ipn_body(&w.id);
    assert_eq!(post_payout_ipn(&app, &finished).await, 200);
    let done = app.tg.wait_for_text(seller.id, "Payout complete").await;
    assert!(
        done.text().unwrap().contains("0xfeedbeef"),
        "{:?}",
        done.text()
    );
    assert_eq!(post_payout_ipn(&app, &finished).await, 200);
    app.np.set_withdrawal_status(&w.id, "SENDING", None, None);
    assert_eq!(
        post_payout_ipn(&app, &app.np.payout_ipn_body(&w.id)).await,
        200
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(app.tg.count_texts(seller.id, "Payout complete"), 1);
    let status: String = sqlx::query_scalar("SELECT status FROM payouts")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(status, "finished");

    // A forged payout IPN is refused.
    let forged = app
        .http
        .post(app.url("/ipn/payout"))
        .header("x-nowpayments-sig", "00")
        .body(finished.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);

    // A second run pays nothing.
    let again = payer(&app).run("test").await.unwrap();
    assert_eq!(again, RunOutcome::NothingToPay);
    assert_eq!(app.np.batches().len(), 1);

    app.tg.send_text(&seller, "/earnings");
    let e = app.tg.wait_for_text(seller.id, "Your earnings").await;
    assert!(
        e.text().unwrap().contains("Paid out: $75.00"),
        "{:?}",
        e.text()
    );
    app.stop().await;
}

#[tokio::test]
async fn a_short_custody_balance_creates_nothing_and_admins_are_told_what_is_missing() {
    let mut app = spawn_payout_app().await;
    let seller = TgUser::new(7101, "en");
    seller_with_sales(&app, &seller, 3).await;
    app.np.set_balance("usdttrc20", "20.5");
    let outcome = payer(&app).run("test").await.unwrap();
    assert!(
        matches!(
            outcome,
            RunOutcome::Short {
                needed: UsdCents(7500),
                ..
            }
        ),
        "{outcome:?}"
    );
    assert!(app.np.batches().is_empty());
    assert_eq!(available(&app, seller.id).await, 7500, "nothing reserved");
    let note = app.tg.wait_for_text(ADMIN, "Payout run stopped").await;
    assert!(
        note.text().unwrap().contains("54.5 missing"),
        "{:?}",
        note.text()
    );
    app.stop().await;
}

#[tokio::test]
async fn a_failed_payout_gives_the_money_back_and_the_seller_and_admins_are_told() {
    let mut app = spawn_payout_app().await;
    let seller = TgUser::new(7201, "en");
    seller_with_sales(&app, &seller, 2).await;
    let outcome = payer(&app).run("test").await.unwrap();
    assert!(matches!(outcome, RunOutcome::Sent(_)), "{outcome:?}");
    assert_eq!(available(&app, seller.id).await, 0);
    let w = app.np.withdrawals()[0].clone();
    app.np
        .set_withdrawal_status(&w.id, "FAILED", None, Some("address is blacklisted"));
    let body = app.np.payout_ipn_body(&w.id);
    assert_eq!(post_payout_ipn(&app, &body).await, 200);
    assert_eq!(post_payout_ipn(&app, &body).await, 200);
    app.tg
        .wait_for_text(seller.id, "failed. The amount is back")
        .await;
    let alert = app.tg.wait_for_text(ADMIN, "address is blacklisted").await;
    assert!(
        alert.text().unwrap().contains("50.00"),
        "{:?}",
        alert.text()
    );
    assert_eq!(available(&app, seller.id).await, 5000, "given back once");
    // A late FINISHED for a failed payout changes nothing.
    app.np
        .set_withdrawal_status(&w.id, "FINISHED", Some("0x1"), None);
    assert_eq!(
        post_payout_ipn(&app, &app.np.payout_ipn_body(&w.id)).await,
        200
    );
    assert_eq!(available(&app, seller.id).await, 5000);
    // The next run pays the seller again.
    let next = payer(&app).run("test").await.unwrap();
    assert!(matches!(next, RunOutcome::Sent(_)), "{next:?}");
    assert_eq!(app.np.withdrawals().len(), 2);
    assert_eq!(available(&app, seller.id).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn an_expired_jwt_is_renewed_once_and_the_run_goes_on() {
    let mut app = spawn_payout_app().await;
    let seller = TgUser::new(7301, "en");
    seller_with_sales(&app, &seller, 2).await;
    let p = payer(&app);
    assert_eq!(p.api.custody_balances().await.unwrap().len(), 1);
    assert_eq!(app.np.auth_calls(), 1);
    app.np.expire_tokens();
    let outcome = p.run("test").await.unwrap();
    assert!(matches!(outcome, RunOutcome::Sent(_)), "{outcome:?}");
    assert_eq!(app.np.auth_calls(), 2, "signed in again once, not per call");
    app.stop().await;
}

#[tokio::test]
async fn an_unverified_batch_that_nowpayments_rejected_is_released_and_the_money_returns() {
    let mut app = spawn_payout_app().await;
    let seller = TgUser::new(7401, "en");
    seller_with_sales(&app, &seller, 2).await;
    let p = payer(&app);
    // Verification never reaches NOWPayments (a 503), so the batch stays unverified.
    app.np.fail_next("/payout/5000000713/verify", 1, 503);
    assert!(p.run("test").await.is_err());
    assert_eq!(available(&app, seller.id).await, 0, "still reserved");
    app.tg.wait_for_text(ADMIN, "could not finish").await;
    // An hour later NOWPayments rejects it; the next run (or the poller) releases it.
    app.np.reject_unverified();
    let outcome = p.run("test").await.unwrap();
    assert!(matches!(outcome, RunOutcome::Released(_)), "{outcome:?}");
    assert_eq!(available(&app, seller.id).await, 5000);
    app.tg.wait_for_text(ADMIN, "was not paid").await;
    assert_eq!(app.np.verify_calls(), 0);
    app.stop().await;
}

#[tokio::test]
async fn the_poller_resumes_an_abandoned_batch_and_recovers_a_lost_payout_ipn() {
    let mut app = spawn_payout_app().await;
    let seller = TgUser::new(7501, "en");
    seller_with_sales(&app, &seller, 2).await;
    let p = payer(&app);
    // NOWPayments verifies the batch but the answer is lost.
    app.np.lose_next_answer("POST /payout/");
    assert!(p.run("test").await.is_err());
    assert!(app.np.batches()[0].verified);
    let now = souk::store::now();
    let report = p.poll(now + 11 * 60).await.unwrap();
    assert!(
        report.resumed.unwrap().contains("sent"),
        "resumed without a second code"
    );
    assert_eq!(app.np.verify_calls(), 1);
    app.tg.wait_for_text(seller.id, "is on its way").await;
    // The FINISHED IPN never comes: polling finds it.
    let w = app.np.withdrawals()[0].clone();
    app.np
        .set_withdrawal_status(&w.id, "FINISHED", Some("0xabc"), None);
    let quiet = p.poll(now + 60).await.unwrap();
    assert_eq!(
        quiet.batches_checked, 0,
        "recent payouts are left to their IPNs"
    );
    let report = p.poll(now + 4 * 3600).await.unwrap();
    assert_eq!((report.batches_checked, report.moved), (1, 1), "{report}");
    app.tg.wait_for_text(seller.id, "Payout complete").await;
    app.stop().await;
}

#[tokio::test]
async fn the_daily_conversion_turns_other_coins_into_the_payout_coin_and_skips_dust() {
    let mut app = spawn_payout_app().await;
    let p = payer(&app);
    let converter = souk::jobs::convert::Converter {
        store: app.store.clone(),
        api: p.api.clone(),
        currency: "usdttrc20".into(),
        poll_every: Duration::from_millis(20),
    };
    // 0.01 BTC is worth converting; 0.00001 ETH is under the pair's minimum (dust).
    app.np.set_balance("btc", "0.01");
    app.np.set_balance("eth", "0.00001");
    let report = converter.run().await.unwrap();
    assert_eq!(
        (
            report.started,
            report.finished,
            report.dust,
            report.errors,
            report.pending
        ),
        (1, 1, 1, 0, 0),
        "{report}"
    );
    let c = &app.np.conversions()[0];
    assert_eq!(
        (c.from_currency.as_str(), c.from_amount.as_str()),
        ("btc", "0.01")
    );
    assert_eq!(c.status, "FINISHED");
    assert_eq!(app.np.balance("btc"), "0");
    assert_eq!(
        app.np.balance("usdttrc20"),
        "10432.1",
        "432.10 USDT credited"
    );
    let row: (String, Option<String>) = sqlx::query_as("SELECT status, to_amount FROM conversions")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(row, ("finished".to_string(), Some("432.1".to_string())));
    let note = app
        .tg
        .wait_for_text(ADMIN, "Custody conversions: 1 finished")
        .await;
    assert!(
        note.text().unwrap().contains("0.01 btc → 432.1 usdttrc20"),
        "{:?}",
        note.text()
    );
    // Nothing left to convert: the next run starts nothing.
    let again = converter.run().await.unwrap();
    assert_eq!((again.started, again.dust), (0, 1), "{again}");
    app.stop().await;
}
