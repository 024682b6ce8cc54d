//! Several replicas of the real `souk` binary on one PostgreSQL database, in webhook mode behind a
//! load balancer: dialogues and purchases hop between them, an IPN storm hits both while one is
//! killed -9, and every buyer gets the file exactly once. Runs on PostgreSQL only (the README's
//! promise for replicas); on SQLite it says so and passes.

use crate::support::app::{API_KEY, fresh_database};
use crate::support::fake_nowpayments::FakeNowPayments;
use crate::support::fake_telegram::{Call, FakeTelegram, TgUser};
use crate::support::flows::buyers_at_payment;
use crate::support::process::{Deployment, Setup, Souk, WEBHOOK_PATH, WEBHOOK_SECRET, post_ipn};
use crate::support::webhook::{Targets, push_updates};
use std::time::{Duration, Instant};

/// A fixed shuffle (the same run every time): a linear congruential sequence.
fn shuffle<T>(items: &mut [T]) {
    let mut x: u64 = 0x9E37_79B9;
    for i in (1..items.len()).rev() {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        items.swap(i, (x >> 33) as usize % (i + 1));
    }
}

fn ok_to(calls: &[Call], chat: i64, what: impl Fn(&Call) -> bool) -> usize {
    calls
        .iter()
        .filter(|c| c.ok && c.chat_id() == Some(chat) && what(c))
        .count()
}

/// Posts an IPN until a replica answers 200, trying the replicas in turn.
async fn deliver_ipn(http: &reqwest::Client, targets: &Targets, body: &str, first: usize) {
    for attempt in 0..200 {
        let urls = targets.get();
        let url = urls[(first + attempt) % urls.len()]
            .trim_end_matches(WEBHOOK_PATH)
            .to_string();
        if post_ipn(http, &url, body).await == Some(200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no replica took an IPN");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_database_survive_an_ipn_storm_and_a_kill() {
    if !std::env::var("SOUK_TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        eprintln!("replicas share PostgreSQL: run with SOUK_TEST_DATABASE_URL (skipped here)");
        return;
    }
    let (database_url, _) = fresh_database().await;
    let dir = tempfile::tempdir().unwrap();
    let tg = FakeTelegram::start().await;
    let np = FakeNowPayments::start(API_KEY).await;
    let setup = Setup {
        tg: tg.clone(),
        np: np.clone(),
        database_url,
        dir: dir.path().to_path_buf(),
        webhook: true,
    };
    let mut a = Souk::start(&setup, "a").await;
    let b = Souk::start(&setup, "b").await;
    let targets = Targets::default();
    targets.set(vec![a.url(WEBHOOK_PATH), b.url(WEBHOOK_PATH)]);
    push_updates(&tg, targets.clone(), WEBHOOK_SECRET);
    let shop = Deployment {
        tg: tg.clone(),
        np: np.clone(),
    };

    // Updates alternate between the replicas: /sell's steps and each purchase hop.
    let seller = TgUser::new(14_001, "en");
    let file = "BQACAgReplicated";
    let buyers: Vec<TgUser> = (0..12).map(|i| TgUser::new(14_100 + i, "en")).collect();
    let payments = buyers_at_payment(&shop, &seller, file, &buyers).await;

    // Telegram refuses the buyers' messages while the storm and the kill happen, so that no send
    // is accepted in the very instant a process dies (the one repeat a crash may cause).
    for buyer in &buyers {
        tg.fail_chat(buyer.id, 10_000, 429, "Too Many Requests: retry after 1");
    }
    let mut bodies = np.storm(&payments, 3);
    shuffle(&mut bodies);
    let http = reqwest::Client::new();
    let store = souk::store::Store::connect(&setup.database_url)
        .await
        .unwrap();
    let recorded = || {
        let store = store.clone();
        async move {
            // Each IPN received: a distinct body's row, and its repeats (counted within a second).
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(COALESCE(SUM(1 + repeats), 0) AS BIGINT) FROM ipn_events",
            )
            .fetch_one(store.pool())
            .await
            .unwrap()
        }
    };
    // Both replicas at once, the IPNs alternating between them.
    let storm: Vec<_> = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| {
            let (http, targets, body) = (http.clone(), targets.clone(), body.clone());
            tokio::spawn(async move {
                // NOWPayments sends as payments move: spread over a second or so.
                tokio::time::sleep(Duration::from_millis(20 * i as u64)).await;
                deliver_ipn(&http, &targets, &body, i).await
            })
        })
        .collect();
    // Half-way, replica A is killed -9; what it did not answer is retried on B.
    let half = bodies.len() as i64 / 2;
    while recorded().await < half {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    a.kill();
    targets.set(vec![b.url(WEBHOOK_PATH)]);
    for task in storm {
        task.await.unwrap();
    }

    tg.clear_chat_failures();
    // A's claimed messages come free when their lease runs out (60 s).
    let started = Instant::now();
    loop {
        let calls = tg.calls();
        let delivered = buyers
            .iter()
            .filter(|b| {
                ok_to(&calls, b.id, |c| {
                    c.method == "sendDocument" && c.str_param("document") == Some(file)
                }) > 0
            })
            .count();
        if delivered == buyers.len() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{delivered} of {} buyers got the file",
            buyers.len()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    // The killed replica starts again: it repeats nothing.
    let a_again = Souk::start(&setup, "a-again").await;
    targets.set(vec![a_again.url(WEBHOOK_PATH), b.url(WEBHOOK_PATH)]);
    tokio::time::sleep(Duration::from_secs(4)).await;
    let calls = tg.calls();
    for buyer in &buyers {
        let files = ok_to(&calls, buyer.id, |c| {
            c.method == "sendDocument" && c.str_param("document") == Some(file)
        });
        assert_eq!(files, 1, "buyer {} got the file {files} times", buyer.id);
        let detected = ok_to(&calls, buyer.id, |c| {
            c.text().is_some_and(|t| t.contains("Payment detected"))
        });
        assert!(
            detected <= 1,
            "buyer {}: {detected} payment-detected",
            buyer.id
        );
    }
    let count = |sql: &'static str| {
        let store = store.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(store.pool())
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM orders WHERE status = 'finished'").await,
        12
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'sale'").await,
        12
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM ipn_events WHERE outcome = 'applied' AND payment_status = 'finished'")
            .await,
        12,
        "each order's payment applied once"
    );
}
