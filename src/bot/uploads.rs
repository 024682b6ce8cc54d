//! What a seller sends as goods, read and checked: a document, unique items (lines of text or a
//! .txt file), or a text. Used by /sell and by restocks.

use super::state::Content;
use super::{BoxError, Who};
use crate::domain::product::{ItemUpload, ItemsError, ProductKind, parse_items};
use crate::files::telegram;
use teloxide::prelude::*;

/// Largest .txt file of items accepted.
const MAX_ITEMS_FILE: u64 = 1024 * 1024;

/// The `file_id` of a photo message's largest size (Telegram sends each photo in several
/// sizes): a product's cover.
pub fn cover_of(msg: &Message) -> Option<String> {
    let sizes = msg.photo()?;
    let largest = sizes
        .iter()
        .max_by_key(|size| u64::from(size.width) * u64::from(size.height))?;
    Some(largest.file.id.0.clone())
}

/// Reads what buyers will receive from the seller's message; explains and returns `None` when
/// the message is not what this kind needs.
pub async fn read_content(
    bot: &Bot,
    who: &Who,
    msg: &Message,
    kind: ProductKind,
) -> Result<Option<Content>, BoxError> {
    Ok(match kind {
        ProductKind::File => match msg.document() {
            Some(doc) => Some(Content::File {
                file_id: doc.file.id.0.clone(),
                file_unique_id: doc.file.unique_id.0.clone(),
                file_name: doc.file_name.clone(),
                file_size: Some(i64::from(doc.file.size)),
            }),
            None => {
                bot.send_message(who.chat(), who.t("sell-file-not-document"))
                    .await?;
                None
            }
        },
        ProductKind::Items => match read_items(bot, who, msg).await? {
            Some(upload) => {
                if upload.repeated > 0 {
                    let count = upload.repeated.to_string();
                    let told = who.tr("items-duplicates-skipped", &[("count", count)]);
                    bot.send_message(who.chat(), told).await?;
                }
                Some(Content::Items(upload.items))
            }
            None => None,
        },
        ProductKind::Access => super::chat_access::read_chat(bot, who, msg).await?,
        ProductKind::Text => match msg.text().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => Some(Content::Text(t.to_string())),
            None => {
                bot.send_message(who.chat(), who.t("sell-text-not-text"))
                    .await?;
                None
            }
        },
    })
}

/// Items from a message: lines of text, or a .txt document. Explains and returns `None` otherwise.
pub async fn read_items(
    bot: &Bot,
    who: &Who,
    msg: &Message,
) -> Result<Option<ItemUpload>, BoxError> {
    let text = if let Some(t) = msg.text() {
        t.to_string()
    } else if let Some(doc) = msg.document() {
        let is_txt = doc
            .file_name
            .as_deref()
            .is_some_and(|n| n.to_ascii_lowercase().ends_with(".txt"))
            || doc
                .mime_type
                .as_ref()
                .is_some_and(|m| m.essence_str() == "text/plain");
        if !is_txt {
            bot.send_message(who.chat(), who.t("items-not-text"))
                .await?;
            return Ok(None);
        }
        match telegram::download(bot, &doc.file.id.0, MAX_ITEMS_FILE).await {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    bot.send_message(who.chat(), who.t("items-not-utf8"))
                        .await?;
                    return Ok(None);
                }
            },
            Err(e) => {
                tracing::warn!(error = %e, "items file download failed");
                bot.send_message(
                    who.chat(),
                    who.tr(
                        "items-file-unreadable",
                        &[("max", (MAX_ITEMS_FILE / 1024).to_string())],
                    ),
                )
                .await?;
                return Ok(None);
            }
        }
    } else {
        bot.send_message(who.chat(), who.t("items-not-text"))
            .await?;
        return Ok(None);
    };
    match parse_items(&text) {
        Ok(up) => Ok(Some(up)),
        Err(e) => {
            let key = match e {
                ItemsError::Empty => "items-empty",
                ItemsError::TooMany => "items-too-many",
                ItemsError::TooLong => "items-too-long",
            };
            bot.send_message(who.chat(), who.t(key)).await?;
            Ok(None)
        }
    }
}
