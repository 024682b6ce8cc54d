//! Telegram's side of webhook mode, for several replicas behind a load balancer: the fake's
//! queued updates are posted one at a time, in order, to the replicas' webhook URLs in turn, with
//! the secret header; an update a replica does not take (down, or not 200) goes to the next one,
//! as Telegram retries and a load balancer fails over.

use super::fake_telegram::FakeTelegram;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The replicas' webhook URLs, which a test may change (a replica killed, restarted elsewhere).
#[derive(Clone, Default)]
pub struct Targets(Arc<Mutex<Vec<String>>>);

impl Targets {
    pub fn set(&self, urls: Vec<String>) {
        *self.0.lock().unwrap() = urls;
    }

    pub fn get(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

/// Starts posting `tg`'s updates to `targets` in turn, with `secret`. Runs until the test ends.
pub fn push_updates(tg: &FakeTelegram, targets: Targets, secret: &str) {
    let (tg, secret) = (tg.clone(), secret.to_string());
    tokio::spawn(async move {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let mut turn = 0usize;
        loop {
            let update = tg.next_update().await;
            let mut delivered = false;
            for _ in 0..200 {
                let urls = targets.get();
                if urls.is_empty() {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
                let url = &urls[turn % urls.len()];
                turn += 1;
                let sent = http
                    .post(url)
                    .header("X-Telegram-Bot-Api-Secret-Token", &secret)
                    .json(&update)
                    .send()
                    .await;
                if sent.is_ok_and(|r| r.status().is_success()) {
                    delivered = true;
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            if !delivered {
                tg.requeue_update(update);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    });
}
