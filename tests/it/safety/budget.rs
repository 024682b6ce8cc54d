//! Telegram's limit holds across replicas: two souk processes on one database send at most 30
//! messages in any second between them (deliveries and broadcasts share one budget).

use crate::support::app::spawn_app;
use souk::store::outbox::{self, OutboxMessage, Queued, Recipient};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_share_telegrams_thirty_messages_a_second() {
    let mut a = spawn_app().await;
    let mut b = a.replica().await;
    let chats: Vec<i64> = (0..90).map(|i| 13_000 + i).collect();
    let queued: Vec<Queued> = chats
        .iter()
        .map(|chat| Queued {
            dedupe_key: format!("budget-test:{chat}"),
            to: Recipient::Chat(*chat),
            message: OutboxMessage::text("welcome", &[]),
        })
        .collect();
    outbox::enqueue_now(&a.store, &queued).await.unwrap();
    let is_ours = |c: &crate::support::fake_telegram::Call| {
        c.ok && c.method == "sendMessage" && c.chat_id().is_some_and(|id| chats.contains(&id))
    };
    let started = Instant::now();
    loop {
        let sent = a.tg.calls().iter().filter(|c| is_ours(c)).count();
        if sent == chats.len() {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{sent} sent");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let times: Vec<Instant> =
        a.tg.calls()
            .iter()
            .filter(|c| is_ours(c))
            .map(|c| c.at)
            .collect();
    let busiest = times
        .iter()
        .map(|t| {
            times
                .iter()
                .filter(|u| **u >= *t && **u < *t + Duration::from_secs(1))
                .count()
        })
        .max()
        .unwrap();
    let span = *times.iter().max().unwrap() - *times.iter().min().unwrap();
    let per_second = (times.len() - 1) as f64 / span.as_secs_f64();
    eprintln!("two replicas: {busiest} messages in the busiest second, {per_second:.1}/s overall");
    assert!(busiest <= 30, "{busiest} messages in one second");
    let senders = a.tg.calls().len();
    assert!(senders > 0);
    b.stop().await;
    a.stop().await;
}
