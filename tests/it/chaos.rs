//! Chaos on the default deployment (one `souk` process on SQLite): an IPN storm while souk is
//! killed -9 twice and Telegram answers sends with 500 and 429; and NOWPayments failing or
//! hanging while buyers press coins. Every paid buyer gets the goods once; every buyer who pressed
//! a coin gets a payment or a clear message, never silence.

use crate::support::app::{API_KEY, Options, spawn_app_with};
use crate::support::fake_nowpayments::FakeNowPayments;
use crate::support::fake_telegram::{Call, FakeTelegram, TgUser};
use crate::support::flows::{buyers_at_payment, open_currencies, publish};
use crate::support::process::{Deployment, Setup, Souk, on_postgres, post_ipn};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ipn_storm_through_two_kills_and_a_failing_telegram_delivers_each_file_once() {
    if on_postgres() {
        eprintln!("the default deployment is SQLite: this runs in the SQLite suite");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let tg = FakeTelegram::start().await;
    let np = FakeNowPayments::start(API_KEY).await;
    let setup = Setup::sqlite(&tg, &np, dir.path());
    let souk = Arc::new(Mutex::new(Some(Souk::start(&setup, "first").await)));
    let shop = Deployment {
        tg: tg.clone(),
        np: np.clone(),
    };
    let seller = TgUser::new(15_001, "en");
    let file = "BQACAgChaos";
    let buyers: Vec<TgUser> = (0..10).map(|i| TgUser::new(15_100 + i, "en")).collect();
    let bodies = np.storm(&buyers_at_payment(&shop, &seller, file, &buyers).await, 2);
    // Telegram fails the buyers' sends through the kills: 500s (teloxide then waits 10 s) for
    // some, 429s for the others; none is accepted in the instant souk dies.
    for (i, buyer) in buyers.iter().enumerate() {
        if i % 3 == 0 {
            tg.fail_chat(buyer.id, 1, 500, "Internal Server Error");
        }
        tg.fail_chat(buyer.id, 10_000, 429, "Too Many Requests: retry after 1");
    }
    let url = |souk: &Arc<Mutex<Option<Souk>>>| {
        souk.lock()
            .unwrap()
            .as_ref()
            .map(|s| s.url(""))
            .unwrap_or_default()
    };
    let http = reqwest::Client::new();
    let storm: Vec<_> = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| {
            let (http, souk, body) = (http.clone(), souk.clone(), body.clone());
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(40 * i as u64)).await;
                // NOWPayments sends again what got no 200.
                for _ in 0..600 {
                    let target = url(&souk);
                    if !target.is_empty() && post_ipn(&http, &target, &body).await == Some(200) {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                panic!("an IPN was never taken");
            })
        })
        .collect();
    for (round, name) in ["second", "third"].into_iter().enumerate() {
        tokio::time::sleep(Duration::from_millis(300 + 200 * round as u64)).await;
        let dying = souk.lock().unwrap().take();
        drop(dying); // SIGKILL
        tokio::time::sleep(Duration::from_millis(200)).await;
        let next = Souk::start(&setup, name).await;
        *souk.lock().unwrap() = Some(next);
    }
    for task in storm {
        task.await.unwrap();
    }
    tg.clear_chat_failures();

    let got = |calls: &[Call], buyer: &TgUser| {
        calls
            .iter()
            .filter(|c| {
                c.ok && c.method == "sendDocument"
                    && c.chat_id() == Some(buyer.id)
                    && c.str_param("document") == Some(file)
            })
            .count()
    };
    let started = Instant::now();
    while buyers.iter().any(|b| got(&tg.calls(), b) == 0) {
        assert!(
            started.elapsed() < Duration::from_secs(150),
            "not every buyer got the file"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let calls = tg.calls();
    for buyer in &buyers {
        assert_eq!(got(&calls, buyer), 1, "buyer {}", buyer.id);
    }
    let store = souk::store::Store::connect(&setup.database_url)
        .await
        .unwrap();
    let sales: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'sale'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(sales, 10, "each sale credited once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_nowpayments_failing_and_hanging_every_buyer_gets_a_payment_or_a_clear_message() {
    if on_postgres() {
        eprintln!("checkout under provider faults is the same on both databases: run once");
        return;
    }
    let mut app = spawn_app_with(Options::default()).await;
    let seller = TgUser::new(15_201, "en");
    let product = publish(&app, &seller, "Faulty", "25", "BQACAgFaulty").await;
    let buyers: Vec<TgUser> = (0..9).map(|i| TgUser::new(15_300 + i, "en")).collect();
    let mut keyboards = Vec::new();
    for b in &buyers {
        keyboards.push(open_currencies(&app, b, product).await);
    }
    // A third of the payments fail, a third hang past the client's timeout, a third go through.
    app.np.fail_next("/payment", 3, 500);
    for _ in 0..3 {
        app.np.delay_next("/payment", Duration::from_secs(40));
    }
    for (b, coins) in buyers.iter().zip(&keyboards) {
        app.tg.press_button(b, coins, "BTC");
    }
    let mut answered = std::collections::HashMap::new();
    let started = Instant::now();
    while answered.len() < buyers.len() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "silence for {:?}",
            buyers
                .iter()
                .filter(|b| !answered.contains_key(&b.id))
                .map(|b| b.id)
                .collect::<Vec<_>>()
        );
        for c in app.tg.calls() {
            let Some(chat) = c.chat_id() else { continue };
            if !buyers.iter().any(|b| b.id == chat) || !c.ok {
                continue;
            }
            if c.method == "sendPhoto" {
                answered.insert(chat, "payment");
            } else if c.text().is_some_and(|t| {
                t.contains("payment provider") || t.contains("Nothing was charged")
            }) {
                answered.insert(chat, "message");
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let payments = answered.values().filter(|a| **a == "payment").count();
    assert!(payments >= 3, "{answered:?}");
    assert!(
        answered.values().any(|a| *a == "message"),
        "the failures were told: {answered:?}"
    );
    app.stop().await;
}
