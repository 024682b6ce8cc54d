//! Hardening: the HTTP server bounds time and concurrency, forged page numbers and inline floods
//! are harmless, an outbox row taken over by another replica is not sent twice, and every
//! release of a payout reaches admins and sellers.

use crate::support::app::{ADMIN, Options, fresh_database, spawn_app, spawn_app_with};
use crate::support::fake_telegram::TgUser;
use axum::Router;
use axum::routing::get;
use souk::http::{HttpLimits, harden};
use souk::store::lease::{self, OUTBOX_ROW};
use souk::store::outbox::{self, OutboxMessage, Queued, Recipient};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_requests_time_out_and_excess_requests_are_shed() {
    let slow = Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "done"
        }),
    );
    let limits = HttpLimits {
        timeout: Duration::from_millis(800),
        max_in_flight: 1,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/slow", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, harden(slow, limits)).await });
    let http = reqwest::Client::new();
    let first = tokio::spawn({
        let (http, url) = (http.clone(), url.clone());
        async move { http.get(url).send().await.unwrap().status().as_u16() }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second = http.get(&url).send().await.unwrap().status().as_u16();
    assert_eq!(
        second, 503,
        "one request at a time: the next is shed at once"
    );
    assert_eq!(
        first.await.unwrap(),
        408,
        "a request past the timeout is cut"
    );
}

#[tokio::test]
async fn forged_page_numbers_are_harmless() {
    let mut app = spawn_app().await;
    let (visitor, admin) = (TgUser::new(12_801, "en"), TgUser::new(ADMIN, "en"));
    app.tg.press(&visitor, "browse::9223372036854775807", 1);
    app.tg
        .wait_for("an answer to the forged page", |c| {
            c.method == "answerCallbackQuery" || c.chat_id() == Some(visitor.id)
        })
        .await;
    app.tg.press(&admin, "adm:pp:9223372036854775807:", 1);
    app.tg.send_text(&visitor, "/start");
    app.tg.wait_for_text(visitor.id, "Welcome").await;
    app.tg.send_text(&admin, "/start");
    app.tg.wait_for_text(ADMIN, "Welcome").await;
    app.stop().await;
}

#[tokio::test]
async fn an_inline_search_flood_is_cut_short_and_others_are_served() {
    let mut app = spawn_app_with(Options {
        real_rate_limit: true,
        ..Options::default()
    })
    .await;
    let (flooder, other) = (TgUser::new(12_811, "en"), TgUser::new(12_812, "en"));
    for i in 0..40 {
        app.tg.inline_query(&flooder, &format!("book {i}"));
    }
    let others = app.tg.inline_query(&other, "book");
    app.tg
        .wait_for("the other user's results", |c| {
            c.method == "answerInlineQuery" && c.str_param("inline_query_id") == Some(&others)
        })
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let answered = app
        .tg
        .calls()
        .iter()
        .filter(|c| c.method == "answerInlineQuery")
        .count();
    assert!(answered <= 12, "{answered} of 41 searches answered");
    app.stop().await;
}

#[tokio::test]
async fn an_outbox_row_taken_over_by_another_replica_is_not_sent_by_the_first() {
    let (url, _dir) = fresh_database().await;
    let store = souk::store::Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let note = Queued {
        dedupe_key: "test:1".into(),
        to: Recipient::Chat(5),
        message: OutboxMessage::text("welcome", &[]),
    };
    outbox::enqueue_now(&store, &[note]).await.unwrap();
    let mine = outbox::claim_due(&store, "replica-a", 10, 60)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    // Replica A stalls past its claim; replica B takes the row.
    sqlx::query("UPDATE outbox SET claimed_until = 0")
        .execute(store.pool())
        .await
        .unwrap();
    let theirs = outbox::claim_due(&store, "replica-b", 10, 60)
        .await
        .unwrap();
    assert_eq!(theirs.len(), 1);
    assert!(
        !lease::renew_now(&store, OUTBOX_ROW, mine[0].id, "replica-a", 60)
            .await
            .unwrap(),
        "A sees the row is no longer its own before sending"
    );
    assert!(
        lease::renew_now(&store, OUTBOX_ROW, theirs[0].id, "replica-b", 60)
            .await
            .unwrap()
    );
    // A's late failure report does not touch B's claim.
    outbox::mark_retry(&store, mine[0].id, "replica-a", "late", 0)
        .await
        .unwrap();
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM outbox")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(attempts, 0);

    // B takes the notice for sending and dies mid-send: nobody sends it again (at most once).
    assert!(
        outbox::take_notice(&store, theirs[0].id, "replica-b")
            .await
            .unwrap()
    );
    sqlx::query("UPDATE outbox SET claimed_until = 0")
        .execute(store.pool())
        .await
        .unwrap();
    let again = outbox::claim_due(&store, "replica-c", 10, 60)
        .await
        .unwrap();
    assert!(again.is_empty(), "a notice is never repeated");
}
