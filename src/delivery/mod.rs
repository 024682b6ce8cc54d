//! The outbox worker: sends what the database says users are owed, after commit, retried, never twice.

use crate::files::FileStore;
use crate::i18n;
use crate::metrics;
use crate::store::lease::{self, OUTBOX_ROW};
use crate::store::outbox::{self, OutboxItem, OutboxMessage};
use crate::store::products::{self, Product};
use crate::store::{Store, now, users};
use std::sync::Arc;
use std::time::Duration;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{FileId, InputFile};
use tokio::sync::{Notify, watch};

pub mod access;
pub mod budget;
pub mod edit;
mod lanes;
pub mod split;

/// How long a claimed message is reserved for the replica that claimed it.
const LEASE_SECS: i64 = 60;
/// Attempts before a message that keeps failing is given up (about a day with the backoff).
const MAX_ATTEMPTS: i64 = 30;
/// Chats sent to at once.
const LANES: usize = 8;
/// Messages claimed at a time.
const CLAIM: i64 = 20;
/// Messages this worker holds at most (claimed, waiting or being sent).
const HOLD_AT_MOST: usize = 40;

#[derive(Clone)]
pub struct Deliverer {
    pub store: Store,
    pub bot: Bot,
    /// Rung after a commit that queued messages; the worker also polls every second.
    pub wake: Arc<Notify>,
    pub default_language: String,
    /// Stored copies of product files, for when a `file_id` no longer works.
    pub files: Arc<FileStore>,
    /// This worker, as the holder of the messages it claims.
    pub holder: String,
    /// Telegram's budget, shared with broadcasts and the other replicas.
    pub budget: budget::SendBudget,
}

impl Deliverer {
    /// Claims due messages and sends them, up to `LANES` chats at once (one lane per chat, in
    /// order), until `shutdown`; the lanes in flight then get a few seconds to finish.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let this = Arc::new(self);
        let lanes = lanes::Lanes::default();
        let mut running = tokio::task::JoinSet::new();
        loop {
            while running.try_join_next().is_some() {}
            // Claim only what the lanes will reach soon: a claim runs out after LEASE_SECS.
            if running.len() < LANES && lanes.held() < HOLD_AT_MOST {
                match outbox::claim_due(&this.store, &this.holder, CLAIM, LEASE_SECS).await {
                    Ok(items) => {
                        let claimed = !items.is_empty();
                        for item in items {
                            let chat = item.chat_id;
                            if lanes.push(item) {
                                let (this, lanes) = (this.clone(), lanes.clone());
                                running.spawn(async move {
                                    while let Some(item) = lanes.next(chat) {
                                        let id = item.id;
                                        this.deliver(item).await;
                                        lanes.release(id);
                                    }
                                });
                            }
                        }
                        if claimed {
                            continue;
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "outbox claim failed"),
                }
            }
            tokio::select! {
                _ = this.wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                Some(_) = running.join_next(), if !running.is_empty() => {}
                _ = shutdown.changed() => break,
            }
        }
        // The lanes finish the message in hand (a notice already recorded sent must go) and take
        // no other; what was claimed but not sent is claimed again once its lease runs out.
        lanes.stop();
        let _ = tokio::time::timeout(Duration::from_secs(8), async {
            while running.join_next().await.is_some() {}
        })
        .await;
    }

    async fn deliver(&self, item: OutboxItem) {
        // The claim may have run out while earlier messages were sent (a slow Telegram), and
        // another replica taken the message: then it is theirs to send. Goods are sent at least
        // once (a crash mid-send repeats them); a notice is recorded sent before it goes, so a
        // crash can lose it but never repeat it.
        let mine = if item.goods {
            lease::renew_now(&self.store, OUTBOX_ROW, item.id, &self.holder, LEASE_SECS).await
        } else {
            outbox::take_notice(&self.store, item.id, &self.holder).await
        };
        match mine {
            Ok(true) => {}
            Ok(false) => {
                tracing::info!(outbox_id = item.id, "message taken over by another worker");
                return;
            }
            Err(e) => {
                tracing::error!(outbox_id = item.id, error = %e, "could not renew the outbox claim");
                return;
            }
        }
        let result = self.send(&item).await;
        let recorded = match result {
            Ok(()) => {
                metrics::inc("souk_deliveries_total", &[("result", "sent")]);
                outbox::mark_sent(&self.store, item.id).await
            }
            Err(e) => {
                let why = e.to_string();
                metrics::inc("souk_telegram_errors_total", &[("kind", error_kind(&e))]);
                if let RequestError::Api(api) = &e
                    && is_recipient_gone(api)
                    && let Err(e) = users::mark_blocked(&self.store, item.chat_id).await
                {
                    tracing::error!(chat_id = item.chat_id, error = %e, "could not mark the user as gone");
                }
                match classify(&e, item.attempts) {
                    Retry::At(secs) if item.attempts + 1 < MAX_ATTEMPTS => {
                        metrics::inc("souk_deliveries_total", &[("result", "retry")]);
                        tracing::warn!(outbox_id = item.id, error = %why, retry_in = secs, "delivery failed, will retry");
                        outbox::mark_retry(&self.store, item.id, &self.holder, &why, now() + secs)
                            .await
                    }
                    _ => {
                        metrics::inc("souk_deliveries_total", &[("result", "failed")]);
                        tracing::error!(outbox_id = item.id, chat_id = item.chat_id, error = %why, "delivery given up");
                        outbox::mark_failed(&self.store, item.id, &self.holder, &why).await
                    }
                }
            }
        };
        if let Err(e) = recorded {
            tracing::error!(outbox_id = item.id, error = %e, "could not record delivery result");
        }
    }

    async fn send(&self, item: &OutboxItem) -> Result<(), RequestError> {
        let lang = users::language_or(&self.store, item.chat_id, &self.default_language).await;
        let chat = ChatId(item.chat_id);
        match &item.message {
            OutboxMessage::Text { key, args, buttons } => {
                let text = i18n::tr(&lang, key, &borrowed(args));
                let pieces = split::split_message(&text, split::MESSAGE_LIMIT);
                let last = pieces.len().saturating_sub(1);
                for (i, piece) in pieces.into_iter().enumerate() {
                    self.budget.wait_turn().await;
                    let mut send = self.bot.send_message(chat, piece);
                    // The buttons go under the last piece.
                    if i == last && !buttons.is_empty() {
                        send =
                            send.reply_markup(crate::bot::outbox_buttons::keyboard(&lang, buttons));
                    }
                    send.await?;
                }
            }
            OutboxMessage::Document {
                file_id,
                caption_key,
                args,
                product_id,
            } => {
                let caption = i18n::tr(&lang, caption_key, &borrowed(args));
                self.budget.wait_turn().await;
                let sent = self
                    .bot
                    .send_document(chat, InputFile::file_id(FileId(file_id.clone())))
                    .caption(caption.clone())
                    .await;
                match (sent, product_id) {
                    (Ok(_), _) => {}
                    // Telegram refuses the file_id (a new bot token, a file it no longer has):
                    // the stored copy stands in. Other errors (a 5xx among them) are retried as
                    // they are.
                    (Err(RequestError::Api(e)), Some(id)) if is_file_refused(&e) => {
                        tracing::warn!(outbox_id = item.id, product_id = id, error = %e, "file_id refused; sending the stored copy");
                        let product = products::get(&self.store, *id).await.ok().flatten();
                        let stored = match &product {
                            Some(p) => {
                                send_stored_copy(&self.bot, &self.files, chat, &lang, p).await
                            }
                            None => Err("product not found".into()),
                        };
                        if let Err(fallback) = stored {
                            tracing::error!(outbox_id = item.id, error = %fallback, "no stored copy to send");
                            return Err(RequestError::Api(e));
                        }
                        self.budget.wait_turn().await;
                        self.bot.send_message(chat, caption).await?;
                    }
                    (Err(e), _) => return Err(e),
                }
            }
            OutboxMessage::Access {
                order_id,
                product_id,
                chat_id,
                key,
                args,
            } => {
                let owed = access::Owed {
                    order_id: *order_id,
                    product_id: *product_id,
                    chat_id: *chat_id,
                    key,
                    args,
                };
                access::deliver(self, &lang, item.chat_id, owed).await?;
            }
            OutboxMessage::EndAccess {
                order_id,
                product_id,
                chat_id,
                ends_at,
                key,
                args,
            } => {
                let ending = access::Ending {
                    order_id: *order_id,
                    product_id: *product_id,
                    chat_id: *chat_id,
                    ends_at: *ends_at,
                    key,
                    args,
                };
                access::end(self, item.id, item.chat_id, ending).await?;
            }
            OutboxMessage::Edit {
                message_id,
                key,
                args,
            } => {
                let text = i18n::tr(&lang, key, &borrowed(args));
                self.budget.wait_turn().await;
                edit::rewrite(&self.bot, chat, *message_id, text).await?;
            }
        }
        Ok(())
    }
}

/// Sends a text that may be longer than one Telegram message, in as many messages as it needs
/// (a text product with its receipt). A retry after a failure part-way repeats the first parts.
pub async fn send_long_text(bot: &Bot, chat: ChatId, text: &str) -> Result<(), RequestError> {
    for piece in split::split_message(text, split::MESSAGE_LIMIT) {
        bot.send_message(chat, piece).await?;
    }
    Ok(())
}

/// Telegram refused the file itself (its `file_id`), not the request.
fn is_file_refused(e: &teloxide::ApiError) -> bool {
    use teloxide::ApiError::*;
    match e {
        WrongFileId | WrongFileIdOrUrl | FileIdInvalid => true,
        Unknown(description) => {
            let d = description.to_ascii_lowercase();
            d.contains("file identifier") || d.contains("file_id") || d.contains("file reference")
        }
        _ => false,
    }
}

pub fn is_recipient_gone(e: &teloxide::ApiError) -> bool {
    use teloxide::ApiError::*;
    matches!(
        e,
        BotBlocked
            | ChatNotFound
            | UserDeactivated
            | BotKicked
            | BotKickedFromSupergroup
            | CantInitiateConversation
    )
}

/// Sends a product's stored copy: a short-lived link from S3/B2, or the file itself re-uploaded
/// from the local folder (up to the 50 MB a bot may upload).
pub async fn send_stored_copy(
    bot: &Bot,
    files: &FileStore,
    chat: ChatId,
    lang: &str,
    product: &Product,
) -> Result<(), crate::BoxError> {
    const BOT_UPLOAD_LIMIT: usize = 50 * 1024 * 1024;
    let key = product
        .storage_key
        .as_deref()
        .ok_or("the file has no stored copy")?;
    if let Some(url) = files.download_link(key, crate::files::LINK_TTL).await? {
        let minutes = (crate::files::LINK_TTL.as_secs() / 60).to_string();
        let text = i18n::tr(
            lang,
            "download-link",
            &[
                ("title", product.title.clone()),
                ("link", url),
                ("minutes", minutes),
            ],
        );
        bot.send_message(chat, text)
            .link_preview_options(crate::bot::screen::no_preview())
            .await?;
        return Ok(());
    }
    let bytes = files.read(key).await?;
    if bytes.len() > BOT_UPLOAD_LIMIT {
        return Err("the stored copy is larger than a bot may upload".into());
    }
    let name = product.file_name.clone().unwrap_or_else(|| "file".into());
    bot.send_document(chat, InputFile::memory(bytes).file_name(name))
        .await?;
    Ok(())
}

fn borrowed(args: &[(String, String)]) -> Vec<(&str, String)> {
    args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect()
}

enum Retry {
    At(i64),
    Never,
}

/// A short name for a failed Telegram request, for metrics.
pub fn error_kind(e: &RequestError) -> &'static str {
    match e {
        RequestError::RetryAfter(_) => "retry_after",
        RequestError::Api(api) if is_recipient_gone(api) => "recipient_gone",
        RequestError::Api(_) => "api",
        RequestError::MigrateToChatId(_) => "migrated",
        RequestError::Network(_) | RequestError::Io(_) => "network",
        RequestError::InvalidJson { .. } => "invalid_json",
    }
}

/// Whether a failed send is worth repeating, and when: Telegram's own `retry_after` when it
/// gives one, else exponential backoff (1 s, 2 s, 4 s … at most 5 minutes).
fn classify(e: &RequestError, attempts: i64) -> Retry {
    let backoff = 1i64 << attempts.clamp(0, 8);
    match e {
        RequestError::RetryAfter(secs) => Retry::At(secs.seconds() as i64 + 1),
        RequestError::Api(api) if is_recipient_gone(api) => Retry::Never,
        RequestError::MigrateToChatId(_) => Retry::Never,
        RequestError::Api(_)
        | RequestError::Network(_)
        | RequestError::Io(_)
        | RequestError::InvalidJson { .. } => Retry::At(backoff.min(300)),
    }
}
