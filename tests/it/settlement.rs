//! Settlement under contention: two souk processes (two stores, two settlers) on one database
//! receive the same IPNs at once; every order settles once and every message exists once.

use crate::support::app::fresh_database;
use souk::domain::UsdCents;
use souk::domain::money::CommissionRate;
use souk::domain::price::Quote;
use souk::payments::PaymentStatusBody;
use souk::services::settlement::Settler;
use souk::store::bundle::Bundle;
use souk::store::orders::AttachedPayment;
use souk::store::products::NewProduct;
use souk::store::{Store, orders, products, users};

fn ipn(payment_id: &str, order_id: i64, status: &str) -> String {
    format!(
        r#"{{"payment_id":{payment_id},"payment_status":"{status}","pay_address":"bc1q","price_amount":25.7,"price_currency":"usd","pay_amount":0.0004,"actually_paid":0.0004,"pay_currency":"btc","order_id":"{order_id}"}}"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_settling_the_same_ipns_deliver_each_order_once() {
    souk::telemetry::init();
    let (url, _dir) = fresh_database().await;
    let a = Store::connect(&url).await.unwrap();
    a.migrate().await.unwrap();
    let b = Store::connect(&url).await.unwrap();
    users::seen(&a, 1, None, "seller", "en").await.unwrap();
    users::seen(&a, 2, None, "buyer", "en").await.unwrap();
    let product = products::insert(
        &a,
        &NewProduct {
            seller_id: 1,
            title: "T".into(),
            description: "D".into(),
            price: UsdCents(2500),
            file_id: "F".into(),
            file_unique_id: "U".into(),
            file_name: None,
            file_size: None,
            kind: souk::domain::product::ProductKind::File,
            category_id: None,
            text_content: None,
            photo: None,
            access_chat: None,
            access_days: None,
        },
        &[],
    )
    .await
    .unwrap();
    let quote = Quote::for_price(UsdCents(2500), CommissionRate::parse("2.78").unwrap());
    let mut ids = Vec::new();
    for i in 0..60 {
        let order = orders::insert_created(&a, 2, product, 1, quote, "btc")
            .await
            .unwrap();
        let pid = format!("{}", 7_000_000 + i);
        let attached = AttachedPayment {
            payment_id: &pid,
            pay_address: "bc1q",
            pay_amount: "0.0004",
            expires_at: None,
        };
        orders::attach_payment(&a, order, &attached).await.unwrap();
        ids.push((order, pid));
    }
    let (sa, sb) = (Settler::spawn(a.clone()), Settler::spawn(b.clone()));
    let mut tasks = Vec::new();
    for (order, pid) in &ids {
        for status in ["confirming", "finished", "finished", "confirmed"] {
            for settler in [&sa, &sb] {
                let body = ipn(pid, *order, status);
                let report = PaymentStatusBody::read(&body, false).unwrap();
                let settler = settler.clone();
                tasks.push(tokio::spawn(async move { settler.settle(report).await }));
            }
        }
    }
    for t in tasks {
        t.await.unwrap().expect("every IPN is settled");
    }
    let count = |sql: &'static str| {
        let a = a.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(a.pool())
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM orders WHERE status = 'finished'").await,
        60
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE '%:delivered'").await,
        60
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE '%:sold'").await,
        60
    );
    // Arrival order is random: a confirming that lands after finished is rightly ignored.
    assert!(count("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE '%:detected'").await <= 60);
    // Every IPN is kept: each distinct body once (confirming, finished, confirmed), the same
    // body again counted on its row (issue 18: a repeat costs no row of its own).
    assert_eq!(
        count("SELECT CAST(SUM(1 + repeats) AS BIGINT) FROM ipn_events").await,
        60 * 8,
        "every IPN is kept"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM ipn_events").await,
        60 * 3,
        "each distinct IPN is one row"
    );
    let finished_applied =
        "SELECT COUNT(*) FROM ipn_events WHERE outcome = 'applied' AND payment_status = 'finished'";
    assert_eq!(
        count(finished_applied).await,
        60,
        "each order's finished applied exactly once"
    );
}

/// On PostgreSQL, settlement's commits do not wait for the disk (`synchronous_commit = off`);
/// `sync_log`, which the settler awaits before it answers, returns once the WAL is flushed
/// past them.
#[tokio::test]
async fn on_postgresql_settlements_commits_are_flushed_before_they_are_answered() {
    if !std::env::var("SOUK_TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        eprintln!("PostgreSQL's WAL flush: run with SOUK_TEST_DATABASE_URL (skipped here)");
        return;
    }
    let (url, _dir) = fresh_database().await;
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let mut tx = store.write_unsynced().await.unwrap();
    let synchronous: String = sqlx::query_scalar("SELECT current_setting('synchronous_commit')")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(synchronous, "off", "settlement's commits do not wait");
    sqlx::query("UPDATE send_slots SET next_at_ms = next_at_ms + 1")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let written: String = sqlx::query_scalar("SELECT pg_current_wal_insert_lsn()::text")
        .fetch_one(store.pool())
        .await
        .unwrap();
    store.sync_log().await.unwrap();
    let flushed: bool = sqlx::query_scalar("SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn")
        .bind(&written)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(flushed, "the WAL is flushed past the commit ({written})");
}

/// Settlement's transaction on SQLite begins and commits inside its own statements: one that
/// fails half-way leaves nothing written, and neither the next one nor any other writer finds
/// the database still locked by it.
#[tokio::test]
async fn a_settlement_transaction_that_fails_half_way_writes_nothing_and_blocks_nobody() {
    let (url, _dir) = fresh_database().await;
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let bump = |by: i64| format!("UPDATE send_slots SET next_at_ms = next_at_ms + {by}");
    // A settlement transaction whose first statement adds 1.
    let begun = || async {
        let mut tx = store.write_unsynced().await.unwrap();
        let opening = tx.opening();
        sqlx::query(&format!("{opening}{}", bump(1)))
            .execute(&mut *tx)
            .await
            .unwrap();
        tx
    };
    for _ in 0..2 {
        let tx = begun().await;
        let mut bundle = Bundle::new(store.backend());
        bundle.statement(|_| bump(10));
        bundle.statement(|_| {
            "INSERT INTO send_slots (name, next_at_ms) VALUES ('telegram', 0)".into()
        });
        assert!(bundle.commit(tx).await.is_err(), "a duplicate key fails it");
    }
    let slot = || async {
        sqlx::query_scalar::<_, i64>("SELECT next_at_ms FROM send_slots WHERE name = 'telegram'")
            .fetch_one(store.pool())
            .await
            .unwrap()
    };
    assert_eq!(slot().await, 0, "nothing of the failed transactions stayed");
    Bundle::new(store.backend())
        .commit(begun().await)
        .await
        .unwrap();
    sqlx::query(&bump(100)).execute(store.pool()).await.unwrap();
    assert_eq!(slot().await, 101);
}
