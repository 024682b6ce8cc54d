//! Message text checked as Telegram checks it: HTML and MarkdownV2 parse modes, lengths, and
//! inline keyboards with their callback data.

use super::*;

/// The `reply_markup` to keep on the message: only inline keyboards are, and their callback data is checked.
pub(super) fn inline_markup(p: &Map<String, Value>) -> Result<Option<Value>, ApiError> {
    let Some(markup) = p.get("reply_markup").map(json_value) else {
        return Ok(None);
    };
    let Some(rows) = markup.get("inline_keyboard").and_then(Value::as_array) else {
        return Ok(None);
    };
    for button in rows.iter().filter_map(Value::as_array).flatten() {
        if button["callback_data"]
            .as_str()
            .is_some_and(|data| data.is_empty() || data.len() > 64)
        {
            return Err(bad_request("BUTTON_DATA_INVALID"));
        }
        // CopyTextButton: 1 to 256 characters to copy.
        if let Some(copy) = button.get("copy_text") {
            let text = copy["text"].as_str().unwrap_or_default();
            if text.is_empty() || text.chars().count() > 256 {
                return Err(bad_request("COPY_TEXT_INVALID"));
            }
        }
        // A Web App button opens an https page only.
        if let Some(url) = button["web_app"].get("url") {
            let url = url.as_str().unwrap_or_default();
            if !url.starts_with("https://") {
                return Err(bad_request(&format!(
                    "inline keyboard button Web App URL '{url}' is invalid: Only HTTPS links are allowed"
                )));
            }
        }
        if let Some(url) = button["url"].as_str()
            && !(url.starts_with("https://")
                || url.starts_with("http://")
                || url.starts_with("tg://"))
        {
            return Err(bad_request("BUTTON_URL_INVALID"));
        }
    }
    Ok((!rows.is_empty()).then_some(markup))
}

/// The visible text of `p[key]` after `parse_mode`, checked like Telegram does; `None` when absent or empty.
pub(super) fn checked_text(
    p: &Map<String, Value>,
    key: &str,
    max_len: usize,
) -> Result<Option<String>, ApiError> {
    Ok(checked(p, key, max_len)?.map(|(text, _)| text))
}

/// Like `checked_text`, with the entities the parse mode made (Telegram's `MessageEntity`
/// objects, offsets and lengths in UTF-16 code units).
pub(super) fn checked(
    p: &Map<String, Value>,
    key: &str,
    max_len: usize,
) -> Result<Option<(String, Vec<Value>)>, ApiError> {
    let Some(raw) = p.get(key).and_then(Value::as_str) else {
        return Ok(None);
    };
    let mut entities = Vec::new();
    let parse_mode = p
        .get("parse_mode")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let visible = match parse_mode.to_ascii_lowercase().as_str() {
        "html" => {
            let (visible, found) = parse_html(raw)
                .map_err(|error| bad_request(&format!("can't parse entities: {error}")))?;
            entities = found;
            visible
        }
        "markdownv2" => {
            check_markdown_v2(raw)
                .map_err(|error| bad_request(&format!("can't parse entities: {error}")))?;
            raw.to_owned()
        }
        _ => raw.to_owned(),
    };
    if visible.trim().is_empty() {
        return Ok(None);
    }
    if utf16_len(&visible) > max_len {
        let what = if key == "caption" {
            "message caption is too long"
        } else {
            "message is too long"
        };
        return Err(bad_request(what));
    }
    Ok(Some((visible, entities)))
}

/// Parses Telegram's HTML subset, returning the visible text and its entities, or the Bot
/// API's error message.
pub(super) fn parse_html(text: &str) -> Result<(String, Vec<Value>), String> {
    const TAGS: [&str; 16] = [
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    ];
    let mut visible = String::with_capacity(text.len());
    let mut open: Vec<String> = Vec::new();
    // Where each open tag started in the visible text (UTF-16), and its attributes.
    let mut starts: Vec<(usize, String)> = Vec::new();
    let mut entities = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let offset = text.len() - rest.len();
        match c {
            '<' => {
                // Mirrors tdlib's parse_html: a tag name runs to a space or '>'.
                let end = if rest[1..].starts_with('/') {
                    let expected = open
                        .pop()
                        .ok_or_else(|| format!("Unexpected end tag at byte offset {offset}"))?;
                    let end = rest
                        .find('>')
                        .ok_or_else(|| format!("Unclosed end tag at byte offset {offset}"))?;
                    let name = rest[2..end].trim().to_ascii_lowercase();
                    if !name.is_empty() && name != expected {
                        return Err(format!(
                            "Unmatched end tag at byte offset {offset}, expected \"</{expected}>\", found \"</{name}>\""
                        ));
                    }
                    let (start, attributes) = starts.pop().unwrap_or_default();
                    let length = utf16_len(&visible) - start;
                    if length > 0 {
                        let mut entity = json!({
                            "type": entity_type(&expected, &attributes),
                            "offset": start, "length": length,
                        });
                        if expected == "a" {
                            entity["url"] = json!(attribute(&attributes, "href"));
                        }
                        entities.push(entity);
                    }
                    end
                } else {
                    let unclosed = || format!("Unclosed start tag at byte offset {offset}");
                    let name_end = rest
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .ok_or_else(unclosed)?;
                    let name = rest[1..name_end].to_ascii_lowercase();
                    if !TAGS.contains(&name.as_str()) {
                        return Err(format!(
                            "Unsupported start tag \"{name}\" at byte offset {offset}"
                        ));
                    }
                    open.push(name);
                    let end = rest.find('>').ok_or_else(unclosed)?;
                    starts.push((utf16_len(&visible), rest[name_end..end].to_string()));
                    end
                };
                rest = &rest[end + 1..];
            }
            '&' => {
                let entity = rest
                    .find(';')
                    .filter(|end| *end <= 10)
                    .map(|end| (&rest[1..end], end));
                let decoded = entity.and_then(|(name, end)| decode_entity(name).map(|c| (c, end)));
                match decoded {
                    Some((c, end)) => {
                        visible.push(c);
                        rest = &rest[end + 1..];
                    }
                    None => {
                        // Telegram keeps an '&' that starts no known entity as it is.
                        visible.push('&');
                        rest = &rest[1..];
                    }
                }
            }
            c => {
                visible.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    match open.pop() {
        Some(tag) => Err(format!(
            "Can't find end tag corresponding to start tag \"{tag}\""
        )),
        None => {
            entities.sort_by_key(|e| e["offset"].as_u64());
            Ok((visible, entities))
        }
    }
}

/// The `MessageEntity` type of an HTML tag.
fn entity_type(tag: &str, attributes: &str) -> &'static str {
    match tag {
        "b" | "strong" => "bold",
        "i" | "em" => "italic",
        "u" | "ins" => "underline",
        "s" | "strike" | "del" => "strikethrough",
        "code" => "code",
        "pre" => "pre",
        "a" => "text_link",
        "blockquote" => "blockquote",
        "tg-emoji" => "custom_emoji",
        "span" if !attributes.contains("tg-spoiler") => "unknown",
        _ => "spoiler",
    }
}

/// The value of `name="…"` among a tag's attributes.
fn attribute(attributes: &str, name: &str) -> String {
    attributes
        .split(&format!("{name}=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

pub(super) fn decode_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Rejects the classic MarkdownV2 mistake: a reserved character left unescaped outside code.
pub(super) fn check_markdown_v2(text: &str) -> Result<(), String> {
    let mut chars = text.chars();
    let mut in_code = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '`' => in_code = !in_code,
            '#' | '+' | '-' | '=' | '{' | '}' | '.' | '!' if !in_code => {
                return Err(format!(
                    "Character '{c}' is reserved and must be escaped with the preceding '\\'"
                ));
            }
            _ => {}
        }
    }
    Ok(())
}
