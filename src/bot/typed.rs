//! What a user typed in reply to a question that needs text (a question to the admins, a
//! comment, an answer): anything else is told so.

use super::{BoxError, Who};
use teloxide::prelude::*;

/// The text of a reply a step needs as text (a question, a comment, an answer); anything else
/// (a photo, a sticker, an empty text) is told so and gives `None`.
pub async fn required_text<'m>(
    bot: &Bot,
    who: &Who,
    msg: &'m Message,
) -> Result<Option<&'m str>, BoxError> {
    let text = msg.text().map(str::trim).filter(|t| !t.is_empty());
    if text.is_none() {
        bot.send_message(who.chat(), who.t("support-text-only"))
            .await?;
    }
    Ok(text)
}
