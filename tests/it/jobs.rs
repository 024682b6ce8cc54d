//! Scheduled jobs: reconciliation recovers lost IPNs, expiry frees abandoned reservations, and
//! two processes on one database never run the same slot.

use crate::support::app::{ADMIN, API_KEY, fresh_database, spawn_app};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{
    Goods, buyer_at_payment, is_delivery, open_currencies, pay_with, publish_goods,
};

use souk::store::Store;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn reconciliation_delivers_a_payment_whose_ipn_was_lost() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(9001, "en"), TgUser::new(9002, "en"));
    let (order, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    app.np
        .set_status(&payment.payment_id, "finished", &payment.pay_amount);
    let r = app.reconciler();
    // A recent order is left alone: its IPNs may still come.
    assert_eq!(r.run(now()).await.unwrap().checked, 0);
    let report = r.run(now() + 3600).await.unwrap();
    assert_eq!(
        (report.checked, report.moved, report.errors),
        (1, 1, 0),
        "{report}"
    );
    app.tg
        .wait_for("the file", |c| {
            is_delivery(c, buyer.id, "BQACAgIAAxkBAAIBook")
        })
        .await;
    assert_eq!(app.order_status(order).await, "finished");
    // A second run finds nothing to do, and never delivers twice.
    let again = r.run(now() + 7200).await.unwrap();
    assert_eq!((again.checked, again.moved), (0, 0));
    app.tg
        .assert_no_call("a second delivery", Duration::from_millis(1200), |c| {
            is_delivery(c, buyer.id, "BQACAgIAAxkBAAIBook")
        })
        .await;
    app.stop().await;
}

#[tokio::test]
async fn an_abandoned_order_expires_releases_its_key_and_the_buyer_is_told_once() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(9011, "en"), TgUser::new(9012, "en"));
    let product = publish_goods(
        &app,
        &seller,
        "One key",
        "Only one",
        "10",
        None,
        Goods::Items("ONLY-KEY"),
    )
    .await;
    let coins = open_currencies(&app, &buyer, product).await;
    let (order, _, _) = pay_with(&app, &buyer, &coins, "BTC").await;
    assert_eq!(
        souk::store::stock::available(&app.store, product)
            .await
            .unwrap(),
        0
    );
    let r = app.reconciler();
    // An hour later NOWPayments still says waiting, but the payment's 20 minutes are over.
    let report = r.run(now() + 3600).await.unwrap();
    assert_eq!((report.checked, report.expired), (1, 1), "{report}");
    assert_eq!(app.order_status(order).await, "expired");
    app.tg.wait_for_text(buyer.id, "expired").await;
    assert_eq!(
        souk::store::stock::available(&app.store, product)
            .await
            .unwrap(),
        1,
        "the key is back"
    );
    assert_eq!(r.run(now() + 7200).await.unwrap().expired, 0);
    app.tg
        .assert_no_call(
            "a second expiry message",
            Duration::from_millis(1200),
            |c| c.chat_id() == Some(buyer.id) && c.text().is_some_and(|t| t.contains("expired")),
        )
        .await;
    // Money that still arrives is honoured: the key, still there, is delivered.
    let payment = app.np.payments().into_iter().next().unwrap();
    assert_eq!(app.report(&payment, "finished").await, 200);
    app.tg.wait_for_text(buyer.id, "ONLY-KEY").await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_database_never_run_the_same_slot() {
    let (url, _dir) = fresh_database().await;
    let a = Store::connect(&url).await.unwrap();
    a.migrate().await.unwrap();
    let b = Store::connect(&url).await.unwrap();
    let runs = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for i in 0..10 {
        let store = if i % 2 == 0 { a.clone() } else { b.clone() };
        let runs = runs.clone();
        tasks.push(tokio::spawn(async move {
            souk::jobs::run_claimed(&store, "reconcile", "2026-11-21T08", || async {
                runs.fetch_add(1, Ordering::SeqCst);
                Ok::<_, String>("done".to_string())
            })
            .await
        }));
    }
    let mut won = 0;
    for t in tasks {
        won += usize::from(t.await.unwrap());
    }
    assert_eq!(
        (won, runs.load(Ordering::SeqCst)),
        (1, 1),
        "one process ran the slot, once"
    );
    assert!(
        souk::store::job_runs::claim(&b, "reconcile", "2026-11-21T09")
            .await
            .unwrap(),
        "the next slot is free"
    );
    let outcome: String =
        sqlx::query_scalar("SELECT outcome FROM job_runs WHERE slot = '2026-11-21T08'")
            .fetch_one(a.pool())
            .await
            .unwrap();
    assert_eq!(outcome, "done");
}

#[tokio::test]
async fn two_souk_processes_started_together_run_the_slot_once() {
    let (database_url, _dir) = fresh_database().await;
    let np = crate::support::fake_nowpayments::FakeNowPayments::start(API_KEY).await;
    let store = Store::connect(&database_url).await.unwrap();
    store.migrate().await.unwrap();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_souk"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .current_dir(std::env::temp_dir())
            .args(["job", "reconcile"])
            .env("TELOXIDE_TOKEN", "123:not-used-by-jobs")
            .env("DATABASE_URL", &database_url)
            .env("NOWPAYMENTS_API_URL", np.url())
            .env("NOWPAYMENTS_API_KEY", API_KEY)
            .env("NOWPAYMENTS_IPN_SECRET", "s")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let outputs = tokio::task::spawn_blocking(move || {
        // The log goes to stdout too: the answer is the last line.
        [a, b].map(|c| {
            let out = String::from_utf8(c.wait_with_output().unwrap().stdout).unwrap();
            out.lines().last().unwrap_or_default().to_string()
        })
    })
    .await
    .unwrap();
    let slot = |out: &str| out.split(':').next().unwrap().to_string();
    let ran = outputs.iter().filter(|o| o.contains(": ran")).count();
    if slot(&outputs[0]) == slot(&outputs[1]) {
        assert_eq!(ran, 1, "{outputs:?}");
    } else {
        assert_eq!(
            ran, 2,
            "a new slot began between the two: one run per slot {outputs:?}"
        );
    }
    let runs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM job_runs WHERE job = 'reconcile'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(runs as usize, ran);
    store.close().await;
}

#[tokio::test]
async fn admins_are_told_when_a_job_fails_and_when_nowpayments_is_down_then_back() {
    let mut app = spawn_app().await;
    let ran = souk::jobs::run_claimed(&app.store, "reconcile", "2026-11-21T09", || async {
        Err::<String, _>("database is locked".to_string())
    })
    .await;
    assert!(ran);
    app.tg
        .wait_for_text(
            ADMIN,
            "job reconcile (2026-11-21T09) failed: database is locked",
        )
        .await;

    // About a second of 503s from GET /status: longer than the (test) 300 ms allowance.
    app.np.fail_next("/status", 20, 503);
    let down = app
        .tg
        .wait_for_text(ADMIN, "NOWPayments has not answered")
        .await;
    assert!(down.text().unwrap().contains("New payments fail"));
    app.tg
        .wait_for_text(ADMIN, "NOWPayments answers again")
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let alerts = app.tg.count_texts(ADMIN, "has not answered");
    assert_eq!(alerts, 1, "one alert per outage");
    app.stop().await;
}
