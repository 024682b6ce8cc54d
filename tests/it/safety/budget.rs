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
    let busiest = busiest_second(&times);
    let span = *times.iter().max().unwrap() - *times.iter().min().unwrap();
    let per_second = (times.len() - 1) as f64 / span.as_secs_f64();
    eprintln!("two replicas: {busiest} messages in the busiest second, {per_second:.1}/s overall");
    assert!(busiest <= 30, "{busiest} messages in one second");
    let senders = a.tg.calls().len();
    assert!(senders > 0);
    b.stop().await;
    a.stop().await;
}

/// The most sends that may leave within any one second at this spacing, each within one
/// spacing of a slot of its own.
fn most_in_a_second(spacing: Duration) -> usize {
    ((Duration::from_secs(1) + spacing).as_millis() / spacing.as_millis()) as usize + 1
}

fn busiest_second(times: &[Instant]) -> usize {
    times
        .iter()
        .map(|t| {
            times
                .iter()
                .filter(|u| **u >= *t && **u < *t + Duration::from_secs(1))
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// A process starved for a second (every sender's slot passes while it cannot run) does not
/// let the sends that woke together go together: they leave one spacing apart again.
#[tokio::test]
async fn a_stalled_process_does_not_burst_its_sends_when_it_wakes() {
    let mut app = spawn_app().await;
    let budget = souk::delivery::budget::SendBudget::new(app.store.clone());
    let passed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let started_ms = chrono::Utc::now().timestamp_millis();
    let senders: Vec<_> = (0..40)
        .map(|_| {
            let (budget, passed) = (budget.clone(), passed.clone());
            tokio::spawn(async move {
                budget.wait_turn().await;
                passed.lock().unwrap().push(Instant::now());
            })
        })
        .collect();
    // Once every sender holds its slot (the budget's next moment is 40 spacings ahead)…
    let spacing = budget.spacing.as_millis() as i64;
    loop {
        let next = app.scalar("SELECT next_at_ms FROM send_slots").await;
        if next >= started_ms + 40 * spacing {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // … the whole runtime is blocked, as a starved process is, while most slots pass.
    std::thread::sleep(Duration::from_secs(1));
    for s in senders {
        s.await.unwrap();
    }
    let times = passed.lock().unwrap().clone();
    let busiest = busiest_second(&times);
    assert!(
        busiest <= most_in_a_second(budget.spacing),
        "{busiest} sends within one second after the stall"
    );
    app.stop().await;
}

/// Without the database (the budget's row cannot be read), one replica's sends still leave
/// one spacing apart, not all at once.
#[tokio::test]
async fn without_the_database_a_replica_still_paces_its_sends() {
    let mut app = spawn_app().await;
    sqlx::query("DELETE FROM send_slots")
        .execute(app.store.pool())
        .await
        .unwrap();
    let budget = souk::delivery::budget::SendBudget::new(app.store.clone());
    let started = Instant::now();
    let senders: Vec<_> = (0..10)
        .map(|_| {
            let budget = budget.clone();
            tokio::spawn(async move { budget.wait_turn().await })
        })
        .collect();
    for s in senders {
        s.await.unwrap();
    }
    assert!(
        started.elapsed() >= budget.spacing * 9,
        "ten sends left within {:?}",
        started.elapsed()
    );
    app.stop().await;
}
