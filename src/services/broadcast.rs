//! Broadcasts: an admin's message to every user who has not blocked the bot, within Telegram's
//! limits (teloxide's `Throttle`: 30 messages a second overall, one a second per chat; a 429's
//! `retry_after` is waited out), with a live progress message for the admin. A restart resumes
//! the broadcast without sending anyone the message twice.

use crate::delivery::is_recipient_gone;
use crate::i18n;
use crate::store::broadcasts::{self, Broadcast, Delivery, Progress};
use crate::store::lease::{self, BROADCAST};
use crate::store::{Store, StoreError, users};
use futures::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use teloxide::RequestError;
use teloxide::adaptors::Throttle;
use teloxide::prelude::*;
use teloxide::types::MessageId;
use tokio::sync::watch;

/// Recipients claimed at a time, and messages in flight at once (Throttle paces them).
const CHUNK: i64 = 30;
const IN_FLIGHT: usize = 8;
const ATTEMPTS: u32 = 3;
#[derive(Clone)]
pub struct Broadcaster {
    pub store: Store,
    /// The bot behind teloxide's Throttle adaptor, for the bulk sends.
    pub throttled: Throttle<Bot>,
    /// The plain bot, for the admin's progress message.
    pub bot: Bot,
    pub default_language: String,
    pub progress_every: Duration,
    /// Becomes true when souk stops: a broadcast stops claiming and is resumed at the next start.
    pub stop: watch::Receiver<bool>,
    /// How many broadcasts run in this process (shutdown waits for them), and which.
    pub running: Arc<AtomicUsize>,
    pub active: Arc<std::sync::Mutex<std::collections::HashSet<i64>>>,
    /// Telegram's budget, shared with deliveries and every replica.
    pub budget: crate::delivery::budget::SendBudget,
    /// This process, as the holder of a broadcast's lease.
    pub runner: String,
}

/// How long a process holds a broadcast before renewing; a dead one's hold runs out then.
const LEASE_SECONDS: i64 = 60;
/// How often paused or orphaned broadcasts are looked for.
const RESUME_EVERY: Duration = Duration::from_secs(30);

/// A name for this process, as the holder of its broadcasts' leases.
pub fn runner_name() -> String {
    lease::holder_name("broadcast")
}

impl Broadcaster {
    /// Sends broadcast `id` to its remaining recipients, then reports to its admin.
    pub async fn run(&self, id: i64) -> Result<Progress, StoreError> {
        if !self.active().insert(id) {
            return broadcasts::progress(&self.store, id).await;
        }
        self.run_reserved(id).await
    }

    /// Runs a broadcast this process already marked active.
    async fn run_reserved(&self, id: i64) -> Result<Progress, StoreError> {
        self.running.fetch_add(1, Ordering::SeqCst);
        let result = self.send_all(id).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        self.active().remove(&id);
        result
    }

    fn active(&self) -> std::sync::MutexGuard<'_, std::collections::HashSet<i64>> {
        self.active
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn send_all(&self, id: i64) -> Result<Progress, StoreError> {
        let Some(b) = broadcasts::get(&self.store, id).await? else {
            return Ok(Progress::default());
        };
        if !self.hold(id).await? {
            tracing::info!(broadcast = id, "another process is sending this broadcast");
            return broadcasts::progress(&self.store, id).await;
        }
        let mut shown = Instant::now();
        loop {
            if *self.stop.borrow() {
                tracing::info!(broadcast = id, "broadcast paused until the next start");
                lease::release(&self.store, BROADCAST, id, &self.runner).await?;
                return broadcasts::progress(&self.store, id).await;
            }
            if !self.hold(id).await? {
                tracing::warn!(broadcast = id, "lost the broadcast to another process");
                return broadcasts::progress(&self.store, id).await;
            }
            let batch = broadcasts::claim(&self.store, id, CHUNK).await?;
            if batch.is_empty() {
                break;
            }
            futures::stream::iter(batch)
                .for_each_concurrent(IN_FLIGHT, |user| {
                    let b = &b;
                    async move {
                        let how = self.send_one(user, b).await;
                        if let Err(e) = broadcasts::record(&self.store, id, user, how).await {
                            tracing::error!(broadcast = id, user, error = %e, "could not record a broadcast send");
                        }
                    }
                })
                .await;
            if shown.elapsed() >= self.progress_every {
                self.show_progress(&b, "broadcast-progress").await;
                shown = Instant::now();
            }
        }
        let progress = broadcasts::progress(&self.store, id).await?;
        if broadcasts::finish(&self.store, id).await? {
            self.show_progress(&b, "broadcast-progress-done").await;
            let lang = self.language(b.admin_id).await;
            let text = i18n::tr(&lang, "broadcast-done", &args(id, &progress));
            if let Err(e) = self.bot.send_message(ChatId(b.admin_id), text).await {
                tracing::warn!(broadcast = id, error = %e, "could not report the broadcast");
            }
            tracing::info!(
                broadcast = id,
                sent = progress.sent,
                failed = progress.failed,
                blocked = progress.blocked,
                "broadcast done"
            );
        }
        Ok(progress)
    }

    /// One recipient: retried on 429 (after `retry_after`) and network errors; a user who
    /// blocked the bot is marked and skipped from now on.
    async fn send_one(&self, user: i64, b: &Broadcast) -> Delivery {
        for attempt in 1..=ATTEMPTS {
            self.budget.wait_turn().await;
            match send_content(&self.throttled, ChatId(user), b).await {
                Ok(_) => {
                    crate::metrics::inc("souk_deliveries_total", &[("result", "sent")]);
                    return Delivery::Sent;
                }
                Err(RequestError::RetryAfter(wait)) => {
                    crate::metrics::inc("souk_telegram_errors_total", &[("kind", "retry_after")]);
                    tokio::time::sleep(wait.duration()).await;
                }
                Err(RequestError::Api(e)) if is_recipient_gone(&e) => {
                    if let Err(e) = users::mark_blocked(&self.store, user).await {
                        tracing::error!(user, error = %e, "could not mark the user as gone");
                    }
                    return Delivery::Blocked;
                }
                Err(e) => {
                    crate::metrics::inc(
                        "souk_telegram_errors_total",
                        &[("kind", crate::delivery::error_kind(&e))],
                    );
                    tracing::warn!(user, attempt, error = %e, "broadcast send failed");
                    if attempt < ATTEMPTS {
                        tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt))).await;
                    }
                }
            }
        }
        Delivery::Failed
    }

    async fn hold(&self, id: i64) -> Result<bool, StoreError> {
        lease::take(&self.store, BROADCAST, id, &self.runner, LEASE_SECONDS).await
    }

    async fn language(&self, user: i64) -> String {
        users::language_or(&self.store, user, &self.default_language).await
    }

    /// Edits the admin's progress message.
    async fn show_progress(&self, b: &broadcasts::Broadcast, key: &str) {
        // Recorded before the broadcast was spawned (or resumed from the database).
        let Some(message_id) = b.progress_message_id else {
            return;
        };
        let Ok(progress) = broadcasts::progress(&self.store, b.id).await else {
            return;
        };
        let lang = self.language(b.admin_id).await;
        let text = i18n::tr(&lang, key, &args(b.id, &progress));
        let edited = self
            .bot
            .edit_message_text(ChatId(b.admin_id), MessageId(message_id as i32), text)
            .await;
        if let Err(e) = edited {
            tracing::debug!(broadcast = b.id, error = %e, "progress message not edited");
        }
    }

    /// Every 30 s (first at start-up): resumes broadcasts that no process holds any more, a
    /// stopped one's or a dead one's.
    pub async fn resume_loop(self) {
        let mut stop = self.stop.clone();
        loop {
            if let Err(e) = self.resume_all().await {
                tracing::error!(error = %e, "could not resume broadcasts");
            }
            tokio::select! {
                _ = tokio::time::sleep(RESUME_EVERY) => {}
                _ = stop.changed() => return,
            }
        }
    }

    /// Resumes the broadcasts no process holds. Recipients the last holder had claimed are set
    /// aside, never sent twice.
    pub async fn resume_all(&self) -> Result<(), StoreError> {
        for id in broadcasts::sending(&self.store).await? {
            // Reserved here first, so that a run started meanwhile in this process cannot race it.
            if !self.active().insert(id) {
                continue;
            }
            let held = self.hold(id).await;
            if !matches!(held, Ok(true)) {
                self.active().remove(&id);
                held?;
                continue;
            }

            // The last holder may have sent its last second's worth just now.
            tokio::time::sleep(Duration::from_secs(1)).await;
            let set_aside = broadcasts::set_aside_claimed(&self.store, id).await?;
            tracing::warn!(broadcast = id, set_aside, "resuming a broadcast");
            let me = self.clone();
            tokio::spawn(async move {
                if let Err(e) = me.run_reserved(id).await {
                    tracing::error!(broadcast = id, error = %e, "broadcast stopped");
                }
            });
        }
        Ok(())
    }
}

fn args(id: i64, p: &Progress) -> Vec<(&'static str, String)> {
    vec![
        ("id", id.to_string()),
        ("sent", p.sent.to_string()),
        ("failed", (p.failed + p.unknown).to_string()),
        ("blocked", p.blocked.to_string()),
        ("remaining", p.remaining.to_string()),
    ]
}

/// A broadcast's content sent to `chat`: the admin's own message copied (a photo or a document,
/// caption and formatting included), or the text with its formatting.
pub async fn send_content<R: Requester>(
    bot: &R,
    chat: ChatId,
    b: &Broadcast,
) -> Result<(), R::Err> {
    match b.source_message_id.and_then(|id| i32::try_from(id).ok()) {
        Some(id) => bot
            .copy_message(chat, ChatId(b.admin_id), MessageId(id))
            .await
            .map(|_| ()),
        None => {
            let mut send = bot.send_message(chat, b.text.clone());
            let entities = b
                .entities
                .as_deref()
                .and_then(|e| serde_json::from_str::<Vec<teloxide::types::MessageEntity>>(e).ok());
            if let Some(entities) = entities {
                send = send.entities(entities);
            }
            send.await.map(|_| ())
        }
    }
}
