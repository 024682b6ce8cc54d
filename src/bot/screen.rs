//! Where a page of the bot goes: in place of the message whose button was pressed (a menu,
//! a list, a card), or as a new message (a command, or a press on a photo).

use super::{HandlerResult, Who};
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, LinkPreviewOptions, MessageId, ParseMode};

/// Where a page is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A new message (a command, or a page that cannot replace the pressed one).
    New,
    /// In place of this text message of the bot's.
    Edit(MessageId),
}

impl Place {
    /// In place of the pressed message when it is a text message; a new message otherwise (a
    /// photo's caption cannot become a text page).
    pub fn of(q: &CallbackQuery) -> Place {
        match q.regular_message() {
            Some(m) if m.text().is_some() => Place::Edit(m.id),
            _ => Place::New,
        }
    }
}

/// Shows an HTML page (every piece of user text in it escaped) with its buttons, in `place`.
/// An edit that changes nothing is fine; an edit Telegram refuses (a message too old) falls
/// back to a new message.
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
    Ok(())
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
