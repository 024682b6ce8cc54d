//! A chat that feels native to Telegram: pages edited in place, payment messages closed once
//! settled, user text shown literally, flows that end when the user moves on, sellers' and
//! admins' screens, and a support conversation relayed both ways.

mod buying;
mod conversation;
mod pictures;
mod selling;

use crate::support::fake_telegram::Call;

/// What the bot sent to `chat` as new messages (edits and deletions aside).
pub(super) fn sent_to(calls: &[Call], chat: i64) -> Vec<String> {
    const NEW: [&str; 5] = [
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendInvoice",
        "copyMessage",
    ];
    calls
        .iter()
        .filter(|c| c.ok && c.chat_id() == Some(chat) && NEW.contains(&c.method.as_str()))
        .map(|c| format!("{}: {}", c.method, c.text().unwrap_or_default()))
        .collect()
}
