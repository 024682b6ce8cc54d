//! Rewriting one of the bot's earlier messages in place (a payment message, once its order is
//! closed): a photo's picture replaced by a void one (an old QR code must not be scanned) under
//! the new caption, else its text; its buttons removed.

use std::sync::OnceLock;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{InputFile, InputMedia, InputMediaPhoto, MessageId};

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
    let void = InputFile::memory(void_picture()).file_name("closed.png");
    let media = InputMedia::Photo(InputMediaPhoto::new(void).caption(text.clone()));
    let edited = match bot.edit_message_media(chat, id, media).await {
        // Not a photo (a payment message without a QR code): its text.
        Err(RequestError::Api(e)) if !nothing_to_edit(&e) => {
            match bot.edit_message_text(chat, id, text.clone()).await {
                // A media message that took no new picture: at least its caption.
                Err(RequestError::Api(e)) if has_no_text(&e) => bot
                    .edit_message_caption(chat, id)
                    .caption(text)
                    .await
                    .map(|_| ()),
                other => other.map(|_| ()),
            }
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

fn has_no_text(e: &teloxide::ApiError) -> bool {
    e.to_string().to_ascii_lowercase().contains("no text")
}

/// A light grey square crossed out: what a closed payment message shows instead of its QR code.
fn void_picture() -> Vec<u8> {
    static PICTURE: OnceLock<Vec<u8>> = OnceLock::new();
    PICTURE
        .get_or_init(|| {
            const SIDE: usize = 240;
            let mut pixels = vec![0xEEu8; SIDE * SIDE];
            for i in 0..SIDE {
                for width in 0..6 {
                    let j = (i + width).min(SIDE - 1);
                    pixels[i * SIDE + j] = 0x99;
                    pixels[i * SIDE + (SIDE - 1 - j)] = 0x99;
                }
            }
            let mut out = Vec::new();
            let mut encoder = png::Encoder::new(&mut out, SIDE as u32, SIDE as u32);
            encoder.set_color(png::ColorType::Grayscale);
            encoder.set_depth(png::BitDepth::Eight);
            let written = encoder
                .write_header()
                .and_then(|mut w| w.write_image_data(&pixels).and_then(|()| w.finish()));
            if let Err(e) = written {
                tracing::error!(error = %e, "could not draw the void picture");
            }
            out
        })
        .clone()
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_void_picture_is_a_png() {
        let png = super::void_picture();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }
}
