//! Media by `file_id`: `editMessageMedia` (a media message's photo or document replaced, with
//! its new caption and keyboard; a text message cannot become a media message) and the
//! results of `answerInlineQuery` (a cached photo must be a photo the bot knows).

use super::*;

/// The kinds of media a message can hold (the key of its content in a `Message`).
const MEDIA_KEYS: [&str; 6] = ["photo", "document", "video", "animation", "audio", "voice"];

impl TgState {
    pub(super) fn edit_media(
        &mut self,
        p: &Map<String, Value>,
        uploads: &[Upload],
    ) -> Result<Value, ApiError> {
        let media = p
            .get("media")
            .map(json_value)
            .filter(Value::is_object)
            .ok_or_else(|| bad_request("can't parse InputMedia: Media is not specified"))?;
        let kind = match media["type"].as_str() {
            Some("photo") => FileKind::Photo,
            Some("document") => FileKind::Document,
            Some(_) => {
                return Err(bad_request(
                    "can't parse InputMedia: unsupported media type",
                ));
            }
            None => {
                return Err(bad_request(
                    "can't parse InputMedia: media type isn't specified",
                ));
            }
        };
        if p.contains_key("inline_message_id") {
            return Ok(json!(true));
        }
        let (key, original) = self.editable(p)?;
        if !MEDIA_KEYS.iter().any(|key| original.get(key).is_some()) {
            return Err(bad_request("there is no media in the message to edit"));
        }
        // The file: a file_id, a URL, or `attach://<part>` for a part of the multipart request.
        let named = media["media"].as_str().unwrap_or_default();
        let attached: Vec<Upload> = match named.strip_prefix("attach://") {
            Some(part) => uploads
                .iter()
                .filter(|upload| upload.field == part)
                .map(|upload| Upload {
                    field: "media".to_owned(),
                    file_name: upload.file_name.clone(),
                    bytes: upload.bytes.clone(),
                })
                .collect(),
            None => Vec::new(),
        };
        let mut file_param = Map::new();
        file_param.insert("media".to_owned(), json!(named));
        let file = self.input_file(&file_param, &attached, "media", kind)?;

        let mut edited = original.clone();
        let object = edited.as_object_mut().expect("messages are objects");
        for key in MEDIA_KEYS.iter().chain(&["caption", "caption_entities"]) {
            object.remove(*key);
        }
        match kind {
            FileKind::Photo => object.insert("photo".to_owned(), json!([file])),
            FileKind::Document => object.insert("document".to_owned(), file),
        };
        let media_fields = media.as_object().cloned().unwrap_or_default();
        if let Some((caption, entities)) = checked(&media_fields, "caption", 1024)? {
            object.insert("caption".to_owned(), json!(caption));
            if !entities.is_empty() {
                object.insert("caption_entities".to_owned(), json!(entities));
            }
        }
        match inline_markup(p)? {
            Some(markup) => object.insert("reply_markup".to_owned(), markup),
            None => object.remove("reply_markup"),
        };
        if edited == original {
            return Err(bad_request(NOT_MODIFIED));
        }
        edited["edit_date"] = json!(now_unix());
        self.messages.insert(key, edited.clone());
        Ok(edited)
    }
}

impl TgState {
    /// `answerInlineQuery`: at most 50 results, each with a unique id; an article has a title
    /// and a message to send; a cached photo names a photo the bot has seen.
    pub(super) fn answer_inline(&mut self, p: &Map<String, Value>) -> Result<Value, ApiError> {
        let results = p.get("results").map(json_value).unwrap_or(Value::Null);
        let results = results
            .as_array()
            .ok_or_else(|| bad_request("can't parse inline query results JSON object"))?;
        if results.len() > 50 {
            return Err(bad_request("RESULTS_TOO_MUCH"));
        }
        let mut ids = std::collections::HashSet::new();
        for result in results {
            let id = result["id"].as_str().unwrap_or_default();
            if id.is_empty() || id.len() > 64 || !ids.insert(id.to_owned()) {
                return Err(bad_request("RESULT_ID_INVALID"));
            }
            match result["type"].as_str() {
                Some("article") => {
                    if result["title"].as_str().is_none_or(str::is_empty)
                        || !result["input_message_content"].is_object()
                    {
                        return Err(bad_request("can't parse inline query result"));
                    }
                }
                Some("photo") => {
                    let file = result["photo_file_id"].as_str().unwrap_or_default();
                    match self.files.get(file) {
                        Some(known) if known.kind == FileKind::Photo => {}
                        _ => return Err(bad_request("wrong file identifier/HTTP URL specified")),
                    }
                    if let Some(caption) = result["caption"].as_str() {
                        let mut fields = Map::new();
                        fields.insert("caption".to_owned(), json!(caption));
                        if let Some(mode) = result.get("parse_mode") {
                            fields.insert("parse_mode".to_owned(), mode.clone());
                        }
                        checked(&fields, "caption", 1024)?;
                    }
                }
                _ => return Err(bad_request("can't parse inline query result")),
            }
        }
        Ok(json!(true))
    }
}
