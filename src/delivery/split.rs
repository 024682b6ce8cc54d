//! Long texts cut into messages Telegram accepts (4,096 UTF-16 units each), at line breaks when
//! it can: a text product's content plus its receipt may be longer than one message.

/// The most a Telegram message may hold, in UTF-16 code units (how Telegram counts).
pub const MESSAGE_LIMIT: usize = 4096;

/// `text` in pieces of at most `limit` UTF-16 units each, cut after a line break when one falls
/// in the second half of a piece, else between characters. Joining the pieces gives `text` back.
pub fn split_message(text: &str, limit: usize) -> Vec<&str> {
    let limit = limit.max(2);
    let mut pieces = Vec::new();
    let mut rest = text;
    while units(rest) > limit {
        let mut end = 0;
        let mut used = 0;
        let mut last_break = None;
        for (i, c) in rest.char_indices() {
            if used + c.len_utf16() > limit {
                break;
            }
            used += c.len_utf16();
            end = i + c.len_utf8();
            if c == '\n' && used > limit / 2 {
                last_break = Some(end);
            }
        }
        let cut = last_break.unwrap_or(end);
        pieces.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    if !rest.is_empty() || pieces.is_empty() {
        pieces.push(rest);
    }
    pieces
}

fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_text_is_one_message() {
        assert_eq!(split_message("hello", MESSAGE_LIMIT), ["hello"]);
        assert_eq!(split_message("", MESSAGE_LIMIT), [""]);
    }

    #[test]
    fn a_long_text_is_cut_at_a_line_break_and_nothing_is_lost() {
        let text = format!("{}\n{}", "a".repeat(3000), "b".repeat(3000));
        let pieces = split_message(&text, MESSAGE_LIMIT);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0], format!("{}\n", "a".repeat(3000)));
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn pieces_respect_the_limit_in_utf16_units() {
        // Each emoji is two UTF-16 units: 3,000 of them are 6,000 units.
        let text = "😀".repeat(3000);
        let pieces = split_message(&text, MESSAGE_LIMIT);
        assert!(pieces.iter().all(|p| units(p) <= MESSAGE_LIMIT));
        assert_eq!(pieces.concat(), text);
        let text = "é".repeat(9000);
        let pieces = split_message(&text, MESSAGE_LIMIT);
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces.concat(), text);
    }
}
