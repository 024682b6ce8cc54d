//! The outbox worker: sends what the database says users are owed, after commit, retried, never twice.

use crate::i18n;
use crate::store::outbox::{self, OutboxItem, OutboxMessage};
use crate::store::{Store, now, users};
use std::sync::Arc;
use std::time::Duration;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{FileId, InputFile};
use tokio::sync::{Notify, watch};

/// How long a claimed message is reserved for the replica that claimed it.
const LEASE_SECS: i64 = 60;
/// Attempts before a message that keeps failing is given up (about a day with the backoff).
const MAX_ATTEMPTS: i64 = 30;

#[derive(Clone)]
pub struct Deliverer {
    pub store: Store,
    pub bot: Bot,
    /// Rung after a commit that queued messages; the worker also polls every second.
    pub wake: Arc<Notify>,
    pub default_language: String,
}

impl Deliverer {
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            match outbox::claim_due(&self.store, 20, LEASE_SECS).await {
                Ok(items) if !items.is_empty() => {
                    for item in items {
                        self.deliver(item).await;
                    }
                    continue;
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "outbox claim failed"),
            }
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    async fn deliver(&self, item: OutboxItem) {
        let result = self.send(&item).await;
        let recorded = match result {
            Ok(()) => outbox::mark_sent(&self.store, item.id).await,
            Err(e) => {
                let why = e.to_string();
                match classify(&e, item.attempts) {
                    Retry::At(secs) if item.attempts + 1 < MAX_ATTEMPTS => {
                        tracing::warn!(outbox_id = item.id, error = %why, retry_in = secs, "delivery failed, will retry");
                        outbox::mark_retry(&self.store, item.id, &why, now() + secs).await
                    }
                    _ => {
                        tracing::error!(outbox_id = item.id, chat_id = item.chat_id, error = %why, "delivery given up");
                        outbox::mark_failed(&self.store, item.id, &why).await
                    }
                }
            }
        };
        if let Err(e) = recorded {
            tracing::error!(outbox_id = item.id, error = %e, "could not record delivery result");
        }
    }

    async fn send(&self, item: &OutboxItem) -> Result<(), RequestError> {
        let lang = users::language(&self.store, item.chat_id)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| self.default_language.clone());
        let chat = ChatId(item.chat_id);
        match &item.message {
            OutboxMessage::Text { key, args } => {
                self.bot
                    .send_message(chat, i18n::tr(&lang, key, &borrowed(args)))
                    .await?;
            }
            OutboxMessage::Document {
                file_id,
                caption_key,
                args,
            } => {
                self.bot
                    .send_document(chat, InputFile::file_id(FileId(file_id.clone())))
                    .caption(i18n::tr(&lang, caption_key, &borrowed(args)))
                    .await?;
            }
        }
        Ok(())
    }
}

fn borrowed(args: &[(String, String)]) -> Vec<(&str, String)> {
    args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect()
}

enum Retry {
    At(i64),
    Never,
}

/// Whether a failed send is worth repeating, and when: Telegram's own `retry_after` when it
/// gives one, else exponential backoff (1 s, 2 s, 4 s … at most 5 minutes).
fn classify(e: &RequestError, attempts: i64) -> Retry {
    use teloxide::ApiError::*;
    let backoff = 1i64 << attempts.clamp(0, 8);
    match e {
        RequestError::RetryAfter(secs) => Retry::At(secs.seconds() as i64 + 1),
        RequestError::Api(
            BotBlocked
            | ChatNotFound
            | UserDeactivated
            | BotKicked
            | BotKickedFromSupergroup
            | CantInitiateConversation,
        ) => Retry::Never,
        RequestError::MigrateToChatId(_) => Retry::Never,
        RequestError::Api(_)
        | RequestError::Network(_)
        | RequestError::Io(_)
        | RequestError::InvalidJson { .. } => Retry::At(backoff.min(300)),
    }
}
