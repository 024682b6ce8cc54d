//! Rewriting one of the bot's earlier messages in place: its caption when it has one (a payment
//! photo), else its text, and its buttons removed.

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::MessageId;

/// Rewrites message `message_id` of `chat` and removes its inline keyboard. A message the user
/// deleted, one already showing this, or one too old to edit needs nothing more: that is not
/// an error worth retrying.
pub async fn rewrite(
    bot: &Bot,
    chat: ChatId,
    message_id: i64,
    text: String,
) -> Result<(), RequestError> {
    let Ok(id) = i32::try_from(message_id) else {
        return Ok(());
    };
    let id = MessageId(id);
    let edited = match bot
        .edit_message_caption(chat, id)
        .caption(text.clone())
        .await
    {
        Err(RequestError::Api(e)) if has_no_caption(&e) => {
            bot.edit_message_text(chat, id, text).await.map(|_| ())
        }
        other => other.map(|_| ()),
    };
    match edited {
        Err(RequestError::Api(e)) if nothing_to_edit(&e) => {
            tracing::info!(message_id, error = %e, "message not edited; nothing to do");
            Ok(())
        }
        other => other,
    }
}

fn has_no_caption(e: &teloxide::ApiError) -> bool {
    e.to_string().to_ascii_lowercase().contains("no caption")
}

/// The message is gone, already says this, or can no longer be edited.
pub fn nothing_to_edit(e: &teloxide::ApiError) -> bool {
    use teloxide::ApiError::*;
    match e {
        MessageNotModified | MessageToEditNotFound | MessageCantBeEdited => true,
        other => {
            let d = other.to_string().to_ascii_lowercase();
            d.contains("message to edit not found")
                || d.contains("message can't be edited")
                || d.contains("message is not modified")
        }
    }
}
