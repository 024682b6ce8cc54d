//! The outbox table: messages owed to users, written in the same transaction as the change that owes them.

use super::bundle::Bundle;
use super::{Store, StoreError, WriteTx, now};
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// A message to send, stored untranslated: it is rendered in the recipient's language when sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutboxMessage {
    Text {
        key: String,
        args: Vec<(String, String)>,
        /// What an admin can do about the order the message names, as buttons under it.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<OrderButton>,
    },
    /// A file by Telegram `file_id`, with a caption.
    Document {
        file_id: String,
        caption_key: String,
        args: Vec<(String, String)>,
        /// The product whose stored copy stands in when the `file_id` no longer works.
        #[serde(default)]
        product_id: Option<i64>,
    },
    /// Access to a chat: a join-request link made for this order at sending time, given in
    /// the text `key` (its `link` argument) and as a Join button.
    Access {
        order_id: i64,
        product_id: i64,
        chat_id: i64,
        key: String,
        args: Vec<(String, String)>,
    },
    /// An access that ends (a refund, the seller, or its end passed): the buyer is removed from
    /// the chat souk let them into (ban, then unban so they may come back), at least once, then
    /// told with the text `key`, at most once (a message of its own).
    EndAccess {
        /// The refunded order (0 when none).
        order_id: i64,
        /// 0 in messages queued before memberships: read from the order.
        #[serde(default)]
        product_id: i64,
        chat_id: i64,
        /// An expiry: removed only if the membership still ends then (not renewed since).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ends_at: Option<i64>,
        key: String,
        args: Vec<(String, String)>,
    },
    /// One of the bot's earlier messages in the chat, rewritten (its text or caption) and its
    /// buttons removed: a payment message once its order is closed.
    Edit {
        message_id: i64,
        key: String,
        args: Vec<(String, String)>,
    },
}

/// A button under an outbox message: what an admin can do about the order it names, a dispute's
/// actions, or a product to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum OrderButton {
    /// Answer the buyer who wrote (relayed by the bot).
    Reply { order: i64, buyer: i64 },
    /// The order with its payment history.
    Open { order: i64 },
    /// `/refund`, confirmation first.
    Refund { order: i64 },
    /// `/markpaid`, confirmation first.
    MarkPaid { order: i64 },
    /// Write in a dispute's thread (any party).
    DisputeReply { dispute: i64 },
    /// Settle a dispute by refunding its order in full (admins).
    DisputeRefund { dispute: i64 },
    /// Settle a dispute by refunding part of the price (admins).
    DisputePart { dispute: i64 },
    /// Settle a dispute in the seller's favour (admins).
    DisputeClose { dispute: i64 },
    /// Open a product's card (a restock alert).
    Product { product: i64 },
    /// Rate a purchase (the review invitation's stars).
    Rate { order: i64, stars: i64 },
    /// Answer a review (its seller).
    ReviewAnswer { review: i64 },
    /// Renew an access: the product's card, with its ways to pay.
    Renew { product: i64 },
}

impl OutboxMessage {
    pub fn text(key: &str, args: &[(&str, String)]) -> OutboxMessage {
        OutboxMessage::Text {
            key: key.into(),
            args: own(args),
            buttons: Vec::new(),
        }
    }

    /// A text with buttons for the admins (what they can do about its order).
    pub fn alert(key: &str, args: &[(&str, String)], buttons: Vec<OrderButton>) -> OutboxMessage {
        OutboxMessage::Text {
            key: key.into(),
            args: own(args),
            buttons,
        }
    }

    /// Rewrites the bot's message `message_id` and removes its buttons.
    pub fn edit(message_id: i64, key: &str, args: &[(&str, String)]) -> OutboxMessage {
        OutboxMessage::Edit {
            message_id,
            key: key.into(),
            args: own(args),
        }
    }

    /// A product's file with a caption.
    pub fn document(
        product_id: i64,
        file_id: &str,
        caption_key: &str,
        args: &[(&str, String)],
    ) -> OutboxMessage {
        OutboxMessage::Document {
            file_id: file_id.into(),
            caption_key: caption_key.into(),
            args: own(args),
            product_id: Some(product_id),
        }
    }
}

fn own(args: &[(&str, String)]) -> Vec<(String, String)> {
    args.iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// The same message to each admin, once per admin under `dedupe` (the key is `<dedupe>:<admin>`).
pub fn to_admins(dedupe: &str, key: &str, args: &[(&str, String)]) -> Queued {
    alert_admins(dedupe, OutboxMessage::text(key, args))
}

/// `message` to each admin, once per admin under `dedupe`.
pub fn alert_admins(dedupe: &str, message: OutboxMessage) -> Queued {
    Queued {
        dedupe_key: dedupe.into(),
        to: Recipient::Admins,
        message,
    }
}

/// One outbox row per chat: a message for the admins becomes one per admin, its dedupe key
/// `<dedupe>:<admin>` (so each admin gets it once). Of rows sharing a dedupe key, the first
/// is kept (two reports in one batch owing the same message).
pub fn addressed<'a>(items: &'a [Queued], admins: &[i64]) -> Vec<(String, i64, &'a OutboxMessage)> {
    let mut rows = Vec::with_capacity(items.len());
    let mut seen = std::collections::HashSet::new();
    let mut add = |key: String, chat_id: i64, message| {
        if seen.insert(key.clone()) {
            rows.push((key, chat_id, message));
        }
    };
    for item in items {
        match item.to {
            Recipient::Chat(chat_id) => add(item.dedupe_key.clone(), chat_id, &item.message),
            Recipient::Admins => {
                for admin in admins {
                    add(
                        format!("{}:{admin}", item.dedupe_key),
                        *admin,
                        &item.message,
                    );
                }
            }
        }
    }
    rows
}

/// A claimed outbox row, ready to send.
#[derive(Debug, Clone)]
pub struct OutboxItem {
    pub id: i64,
    pub chat_id: i64,
    pub message: OutboxMessage,
    pub attempts: i64,
    /// An order's goods (`order:<id>:delivered`) or an access's end (`access-end:…`, or
    /// `order:<id>:access-ended`): done at least once, so a send cut short by a crash is
    /// repeated. Every other message is a notice: sent at most once.
    pub goods: bool,
}

/// Whether a message under this dedupe key must happen at least once: it hands over an order's
/// goods, or removes a member whose access ended.
pub fn is_goods(dedupe_key: &str) -> bool {
    let order_owed = dedupe_key.starts_with("order:")
        && (dedupe_key.ends_with(":delivered") || dedupe_key.ends_with(":access-ended"));
    order_owed || dedupe_key.starts_with("access-end:")
}

/// A message to queue: its dedupe key, who it goes to, and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub dedupe_key: String,
    pub to: Recipient,
    pub message: OutboxMessage,
}

impl Queued {
    /// A message to one chat.
    pub fn to_chat(chat_id: i64, dedupe_key: String, message: OutboxMessage) -> Queued {
        Queued {
            dedupe_key,
            to: Recipient::Chat(chat_id),
            message,
        }
    }
}

/// Who a queued message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    Chat(i64),
    /// Every admin (the store knows who they are: `Store::with_admins`).
    Admins,
}

/// Queues messages in a transaction of their own, for news that changes nothing else.
pub async fn enqueue_now(store: &Store, items: &[Queued]) -> Result<(), StoreError> {
    if items.is_empty() {
        return Ok(());
    }
    let mut tx = store.write().await?;
    enqueue(&mut tx, items).await?;
    tx.commit().await
}

/// Queues messages, skipping any whose `dedupe_key` was ever queued: this is what makes
/// "each message at most once per order and status" hold, however often an IPN repeats. The
/// delivery worker is woken once the transaction commits.
pub async fn enqueue(tx: &mut WriteTx, items: &[Queued]) -> Result<(), StoreError> {
    let mut bundle = Bundle::new(super::Backend::of(tx));
    enqueue_into(tx, &mut bundle, items)?;
    bundle.execute(tx).await
}

/// `enqueue`, as a statement of a bundle run in `tx`.
pub fn enqueue_into<'q>(
    tx: &mut WriteTx,
    bundle: &mut Bundle<'q>,
    items: &'q [Queued],
) -> Result<(), StoreError> {
    if items.is_empty() {
        return Ok(());
    }
    let admins = tx.queues_messages();
    let rows = addressed(items, &admins);
    if rows.is_empty() {
        return Ok(());
    }
    let mut params = bundle.statement(|marks| {
        format!(
            "INSERT INTO outbox (dedupe_key, chat_id, payload, next_attempt_at, created_at) VALUES {} \
             ON CONFLICT (dedupe_key) DO NOTHING",
            marks.rows(rows.len(), 5)
        )
    });
    let t = now();
    for (dedupe_key, chat_id, message) in rows {
        let payload =
            serde_json::to_string(message).map_err(|e| StoreError::Encode(e.to_string()))?;
        params.add(dedupe_key)?;
        params.add(chat_id)?;
        params.add(payload)?;
        params.add(t)?;
        params.add(t)?;
    }
    Ok(())
}

/// Claims up to `limit` due messages for `holder`, for `lease_secs`. The outer `claimed_until`
/// test is checked again by the database under the row lock, so two replicas never claim the same
/// row; the holder renews its claim right before each send (`lease::renew` on `OUTBOX_ROW`), so
/// a row whose claim ran out and was taken by another replica is not sent twice.
pub async fn claim_due(
    store: &Store,
    holder: &str,
    limit: i64,
    lease_secs: i64,
) -> Result<Vec<OutboxItem>, StoreError> {
    let t = now();
    let mut tx = store.write().await?;
    let rows = sqlx::query(
        "UPDATE outbox SET claimed_until = $1, claimed_by = $4 WHERE claimed_until < $2 AND sent_at IS NULL AND id IN \
         (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2 \
          AND claimed_until < $2 ORDER BY id LIMIT $3) RETURNING id, chat_id, payload, attempts, dedupe_key",
    )
    .bind(t + lease_secs)
    .bind(t)
    .bind(limit)
    .bind(holder)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut items = rows
        .iter()
        .map(|r| {
            let payload: String = r.try_get("payload")?;
            Ok(OutboxItem {
                id: r.try_get("id")?,
                chat_id: r.try_get("chat_id")?,
                message: serde_json::from_str(&payload)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                attempts: r.try_get("attempts")?,
                goods: is_goods(&r.try_get::<String, _>("dedupe_key")?),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    items.sort_by_key(|i| i.id);
    Ok(items)
}

/// Takes a notice for sending, at most once: it is recorded sent *before* it goes (a crash in
/// between loses it rather than repeating it; a failed send puts it back). False when the holder
/// no longer holds it (another replica took it over) or it went already.
pub async fn take_notice(store: &Store, id: i64, holder: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE outbox SET sent_at = $1 WHERE id = $2 AND claimed_by = $3 AND sent_at IS NULL AND failed_at IS NULL",
    )
    .bind(now())
    .bind(id)
    .bind(holder)
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a message sent (by `holder`, or by nobody else since: a send is never undone).
pub async fn mark_sent(store: &Store, id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE outbox SET sent_at = $1, claimed_until = 0 WHERE id = $2")
        .bind(now())
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// A failed attempt to be tried again at `retry_at`.
pub async fn mark_retry(
    store: &Store,
    id: i64,
    holder: &str,
    error: &str,
    retry_at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, claimed_until = 0, \
         sent_at = NULL WHERE id = $3 AND claimed_by = $4",
    )
    .bind(error)
    .bind(retry_at)
    .bind(id)
    .bind(holder)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// A message that can never be delivered (the user blocked the bot, the chat is gone).
pub async fn mark_failed(
    store: &Store,
    id: i64,
    holder: &str,
    error: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, last_error = $1, failed_at = $2, claimed_until = 0, \
         sent_at = NULL WHERE id = $3 AND claimed_by = $4",
    )
    .bind(error)
    .bind(now())
    .bind(id)
    .bind(holder)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Messages neither sent nor given up (for metrics and /health); a notice being sent (recorded
/// sent just before it goes) counts until its sender lets go of it.
pub async fn pending_count(store: &Store) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM outbox WHERE failed_at IS NULL \
         AND (sent_at IS NULL OR claimed_until > $1)",
    )
    .bind(now())
    .fetch_one(store.pool())
    .await?;
    Ok(row.try_get("n")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_admin_alert_becomes_one_row_per_admin_and_a_repeated_key_one_row() {
        let buyer = Queued::to_chat(7, "order:1:delivered".into(), OutboxMessage::text("a", &[]));
        let items = [
            buyer.clone(),
            to_admins("order:1:paid_sold_out", "b", &[]),
            buyer,
        ];
        let rows: Vec<(String, i64)> = addressed(&items, &[10, 11])
            .into_iter()
            .map(|(key, chat, _)| (key, chat))
            .collect();
        assert_eq!(
            rows,
            [
                ("order:1:delivered".to_string(), 7),
                ("order:1:paid_sold_out:10".to_string(), 10),
                ("order:1:paid_sold_out:11".to_string(), 11),
            ]
        );
    }
}
