//! Where a page of the bot goes: in place of the message whose button was pressed (a menu,
//! a list, a card, a product's photo card), or as a new message (a command).

use super::{HandlerResult, Who};
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{
    FileId, InlineKeyboardMarkup, InputFile, InputMedia, InputMediaPhoto, LinkPreviewOptions,
    MessageId, ParseMode,
};

/// Telegram's longest caption, in UTF-16 code units of the visible text.
pub const MAX_CAPTION: usize = 1024;

/// Where a page is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A new message (a command).
    New,
    /// In place of this text message of the bot's.
    Edit(MessageId),
    /// In place of this photo message of the bot's (a product's card with its cover).
    Photo(MessageId),
}

impl Place {
    /// In place of the pressed message: a text message, or a photo message (whose text is its
    /// caption); a new message for anything else (a file, an inline-mode message).
    pub fn of(q: &CallbackQuery) -> Place {
        match q.regular_message() {
            Some(m) if m.text().is_some() => Place::Edit(m.id),
            Some(m) if m.photo().is_some() => Place::Photo(m.id),
            _ => Place::New,
        }
    }
}

/// Shows an HTML page (every piece of user text in it escaped) with its buttons, in `place`.
/// An edit that changes nothing is fine; an edit Telegram refuses (a message too old) falls
/// back to a new message. A photo cannot become a text message: the page is sent and the
/// photo deleted.
pub async fn show(
    bot: &Bot,
    who: &Who,
    place: Place,
    html: String,
    keyboard: Option<InlineKeyboardMarkup>,
) -> HandlerResult {
    if let Place::Edit(id) = place {
        let mut edit = bot
            .edit_message_text(who.chat(), id, html.clone())
            .parse_mode(ParseMode::Html)
            .link_preview_options(no_preview());
        if let Some(k) = &keyboard {
            edit = edit.reply_markup(k.clone());
        }
        match edit.await {
            Ok(_) => return Ok(()),
            Err(RequestError::Api(teloxide::ApiError::MessageNotModified)) => return Ok(()),
            Err(RequestError::Api(e)) if crate::delivery::edit::nothing_to_edit(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let mut send = bot
        .send_message(who.chat(), html)
        .parse_mode(ParseMode::Html)
        .link_preview_options(no_preview());
    if let Some(k) = keyboard {
        send = send.reply_markup(k);
    }
    send.await?;
    if let Place::Photo(old) = place {
        remove(bot, who, old).await;
    }
    Ok(())
}

/// Shows an HTML page that belongs to the photo above it (buying the product of a photo card):
/// as the photo's new caption when `place` is a photo and the page fits a caption; else as
/// `show` does.
pub async fn below_photo(
    bot: &Bot,
    who: &Who,
    place: Place,
    html: String,
    keyboard: Option<InlineKeyboardMarkup>,
) -> HandlerResult {
    let Place::Photo(id) = place else {
        return show(bot, who, place, html, keyboard).await;
    };
    if visible_len(&html) > MAX_CAPTION {
        return show(bot, who, place, html, keyboard).await;
    }
    let mut edit = bot
        .edit_message_caption(who.chat(), id)
        .caption(html.clone())
        .parse_mode(ParseMode::Html);
    if let Some(k) = &keyboard {
        edit = edit.reply_markup(k.clone());
    }
    match edit.await {
        Ok(_) | Err(RequestError::Api(teloxide::ApiError::MessageNotModified)) => Ok(()),
        Err(RequestError::Api(e)) if crate::delivery::edit::nothing_to_edit(&e) => {
            show(bot, who, Place::New, html, keyboard).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Shows a page as a photo (a Telegram `file_id`) with an HTML caption: the pressed photo's
/// media replaced, or a text message replaced by a new photo message (Telegram cannot turn a
/// text message into a photo). A caption longer than Telegram allows shows as a text page.
pub async fn show_photo(
    bot: &Bot,
    who: &Who,
    place: Place,
    photo: &str,
    html: String,
    keyboard: Option<InlineKeyboardMarkup>,
) -> HandlerResult {
    if visible_len(&html) > MAX_CAPTION {
        return show(bot, who, place, html, keyboard).await;
    }
    let file = || InputFile::file_id(FileId(photo.to_string()));
    if let Place::Photo(id) = place {
        let mut media = InputMediaPhoto::new(file()).caption(html.clone());
        media.parse_mode = Some(ParseMode::Html);
        let mut edit = bot.edit_message_media(who.chat(), id, InputMedia::Photo(media));
        if let Some(k) = &keyboard {
            edit = edit.reply_markup(k.clone());
        }
        match edit.await {
            Ok(_) | Err(RequestError::Api(teloxide::ApiError::MessageNotModified)) => {
                return Ok(());
            }
            Err(RequestError::Api(e)) if crate::delivery::edit::nothing_to_edit(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let mut send = bot
        .send_photo(who.chat(), file())
        .caption(html)
        .parse_mode(ParseMode::Html);
    if let Some(k) = keyboard {
        send = send.reply_markup(k);
    }
    send.await?;
    if let Place::Edit(old) = place {
        remove(bot, who, old).await;
    }
    Ok(())
}

/// Deletes a page a new message replaced; one that cannot be deleted (too old) stays.
pub async fn remove(bot: &Bot, who: &Who, id: MessageId) {
    if let Err(e) = bot.delete_message(who.chat(), id).await {
        tracing::debug!(error = %e, "could not delete a replaced page");
    }
}

/// The length Telegram counts for an HTML text: the visible text (tags gone, each entity one
/// character), in UTF-16 code units.
pub fn visible_len(html: &str) -> usize {
    let mut units = 0;
    let mut chars = html.chars();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                for c in chars.by_ref() {
                    if c == '>' {
                        break;
                    }
                }
            }
            '&' => {
                for c in chars.by_ref() {
                    if c == ';' {
                        break;
                    }
                }
                units += 1;
            }
            c => units += c.len_utf16(),
        }
    }
    units
}

/// "◀ Previous" and "Next ▶" under page `page` of a list, each going to `to(page)`; appended to
/// `rows` when the list has another page.
pub fn pager(
    who: &Who,
    rows: &mut Vec<Vec<teloxide::types::InlineKeyboardButton>>,
    page: i64,
    has_next: bool,
    to: impl Fn(i64) -> super::action::Action,
) {
    use teloxide::types::InlineKeyboardButton;
    let mut nav = Vec::new();
    if page > 0 {
        nav.push(InlineKeyboardButton::callback(
            who.t("button-prev"),
            to(page - 1).encode(),
        ));
    }
    if has_next {
        nav.push(InlineKeyboardButton::callback(
            who.t("button-next"),
            to(page + 1).encode(),
        ));
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
}

/// No link preview (deep links and download links would each show a card).
pub fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

/// Escapes user text for an HTML page.
pub fn escape(text: &str) -> String {
    teloxide::utils::html::escape(text)
}

#[cfg(test)]
mod tests {
    use super::visible_len;

    #[test]
    fn the_visible_length_counts_neither_tags_nor_escapes_and_counts_utf16_units() {
        assert_eq!(visible_len("<b>A &amp; B</b>"), 5);
        assert_eq!(visible_len("<a href=\"https://t.me/x\">go</a> 😀"), 5);
    }
}
