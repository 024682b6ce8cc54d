//! What the fake recorded, as tests read it: each call, and waiting for (or ruling out) one.

use super::*;

/// One Bot API call the fake received.
#[derive(Clone, Debug)]
pub struct Call {
    /// The method as sent, e.g. `sendMessage`.
    pub method: String,
    /// A JSON object of the parameters. Multipart text fields stay strings (so `chat_id` may be `"42"`),
    /// except JSON objects and arrays such as `reply_markup`, which are parsed.
    pub params: Value,
    /// Uploaded files: (parameter that refers to the file, e.g. `photo`, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// The uploaded files' names, in the order of `files`: (parameter, file name, possibly empty).
    pub file_names: Vec<(String, String)>,
    /// The bot token from the URL.
    pub token: String,
    /// Whether the fake answered `ok: true`.
    pub ok: bool,
    /// The `result` the fake answered with (`null` when it answered with an error).
    pub result: Value,
    /// When the fake received it.
    pub at: std::time::Instant,
}

impl Call {
    pub fn param(&self, key: &str) -> Option<&Value> {
        self.params.get(key)
    }

    pub fn str_param(&self, key: &str) -> Option<&str> {
        self.param(key).and_then(Value::as_str)
    }

    /// The text, or else the caption, as the user sees it: once a parse mode's markup is
    /// gone (what Telegram answered), else as sent.
    pub fn text(&self) -> Option<&str> {
        let shown = |key: &str| self.param(key).and(self.result.get(key)?.as_str());
        shown("text")
            .or_else(|| shown("caption"))
            // editMessageMedia: the caption rides inside `media`.
            .or_else(|| match self.method.as_str() {
                "editMessageMedia" => self.result.get("caption")?.as_str(),
                _ => None,
            })
            .or_else(|| self.str_param("text"))
            .or_else(|| self.str_param("caption"))
    }

    pub fn chat_id(&self) -> Option<i64> {
        self.param("chat_id").and_then(as_i64)
    }

    /// The id of the message this call created or changed: the answer's `message_id`, else the parameter.
    pub fn message_id(&self) -> Option<i32> {
        self.result
            .get("message_id")
            .or_else(|| self.param("message_id"))
            .and_then(as_i64)
            .and_then(|id| i32::try_from(id).ok())
    }

    /// The inline keyboard's buttons, row by row: (label, callback data or url).
    pub fn buttons(&self) -> Vec<(String, String)> {
        let Some(markup) = self.param("reply_markup").map(json_value) else {
            return Vec::new();
        };
        let rows = markup["inline_keyboard"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        rows.iter()
            .flat_map(|row| row.as_array().cloned().unwrap_or_default())
            .map(|button| {
                let label = button["text"].as_str().unwrap_or_default().to_owned();
                let target = [
                    "callback_data",
                    "url",
                    "switch_inline_query",
                    "switch_inline_query_current_chat",
                ]
                .iter()
                .find_map(|key| button[key].as_str())
                .or_else(|| button["web_app"]["url"].as_str())
                .or_else(|| button["copy_text"]["text"].as_str())
                .or_else(|| button["login_url"]["url"].as_str())
                .unwrap_or_default()
                .to_owned();
                (label, target)
            })
            .collect()
    }

    /// The buttons but "◀ Back": what a list or a menu offers, without its way back.
    pub fn choices(&self) -> Vec<(String, String)> {
        self.buttons()
            .into_iter()
            .filter(|(label, _)| label != "◀ Back" && label != "◀ Retour")
            .collect()
    }

    /// The callback data (or url) of the first button whose label contains `label_contains`.
    pub fn button_data(&self, label_contains: &str) -> Option<String> {
        self.buttons()
            .into_iter()
            .find(|(label, _)| label.contains(label_contains))
            .map(|(_, data)| data)
    }

    /// The texts Telegram marked with entities of `kind` (e.g. `code`, `bold`) in the message
    /// this call sent or edited.
    pub fn entity_texts(&self, kind: &str) -> Vec<String> {
        let message = &self.result;
        let (text, entities) = match message.get("caption") {
            Some(caption) => (caption, &message["caption_entities"]),
            None => (&message["text"], &message["entities"]),
        };
        let units: Vec<u16> = text.as_str().unwrap_or_default().encode_utf16().collect();
        entities
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["type"] == kind)
            .filter_map(|e| {
                let start = e["offset"].as_u64()? as usize;
                let end = start + e["length"].as_u64()? as usize;
                String::from_utf16(units.get(start..end)?).ok()
            })
            .collect()
    }

    /// The bytes uploaded for `field` (e.g. `photo`).
    pub fn file(&self, field: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, bytes)| bytes.as_slice())
    }

    fn summary(&self) -> String {
        let text: String = self.text().unwrap_or_default().chars().take(160).collect();
        let chat = self
            .chat_id()
            .map_or_else(|| "-".to_owned(), |id| id.to_string());
        let status = if self.ok {
            ""
        } else {
            " [answered with an error]"
        };
        let buttons = self.buttons();
        let buttons = if buttons.is_empty() {
            String::new()
        } else {
            format!(" buttons={buttons:?}")
        };
        format!("{} chat={chat}{status} text={text:?}{buttons}", self.method)
    }
}

impl FakeTelegram {
    /// A message or caption to anyone that contains `needle`.
    pub async fn wait_for_text_any(&self, needle: &str) -> Call {
        self.wait_for(&format!("a message containing {needle:?}"), |c| {
            c.ok && c.text().is_some_and(|t| t.contains(needle))
        })
        .await
    }

    pub fn calls(&self) -> Vec<Call> {
        self.state().calls.clone()
    }

    /// Calls whose `chat_id` is `chat_id` (sent as a number or as text).
    pub fn calls_to(&self, chat_id: i64) -> Vec<Call> {
        self.state()
            .calls
            .iter()
            .filter(|call| call.chat_id() == Some(chat_id))
            .cloned()
            .collect()
    }

    /// How many messages to `chat_id` contain `needle`.
    pub fn count_texts(&self, chat_id: i64, needle: &str) -> usize {
        self.calls_to(chat_id)
            .iter()
            .filter(|c| c.text().is_some_and(|t| t.contains(needle)))
            .count()
    }

    /// Waits up to 10 s for the first call, not returned by an earlier `wait_for`, that matches `pred`,
    /// and marks it as consumed. Panics with `what` and the recent calls on timeout.
    pub async fn wait_for(&self, what: &str, pred: impl Fn(&Call) -> bool) -> Call {
        let deadline = Instant::now() + WAIT_LIMIT;
        loop {
            {
                let mut state = self.state();
                let state = &mut *state;
                let found = (0..state.calls.len())
                    .find(|i| !state.consumed.contains(i) && pred(&state.calls[*i]));
                if let Some(index) = found {
                    state.consumed.insert(index);
                    return state.calls[index].clone();
                }
            }
            if Instant::now() >= deadline {
                panic!(
                    "timed out after {WAIT_LIMIT:?} waiting for {what}\n{}",
                    self.dump()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits for a successful message to `chat_id` (sent or edited, text or caption) containing `needle`.
    pub async fn wait_for_text(&self, chat_id: i64, needle: &str) -> Call {
        const SHOWN: [&str; 6] = [
            "sendMessage",
            "editMessageText",
            "sendPhoto",
            "sendDocument",
            "editMessageCaption",
            "editMessageMedia",
        ];
        let what = format!("a message to {chat_id} containing {needle:?}");
        self.wait_for(&what, |call| {
            call.ok
                && SHOWN
                    .iter()
                    .any(|method| call.method.eq_ignore_ascii_case(method))
                && call.chat_id() == Some(chat_id)
                && call.text().is_some_and(|text| text.contains(needle))
        })
        .await
    }

    /// Waits `dur`, then panics if an unconsumed call matching `pred` has arrived.
    pub async fn assert_no_call(&self, what: &str, dur: Duration, pred: impl Fn(&Call) -> bool) {
        tokio::time::sleep(dur).await;
        let unexpected: Vec<String> = {
            let state = self.state();
            let calls = state.calls.iter().enumerate();
            calls
                .filter(|(i, call)| !state.consumed.contains(i) && pred(call))
                .map(|(i, call)| format!("#{i} {}", call.summary()))
                .collect()
        };
        assert!(
            unexpected.is_empty(),
            "expected no {what}, got:\n{}",
            unexpected.join("\n")
        );
    }

    /// The last 40 calls but `getUpdates`, one line each.
    pub(super) fn dump(&self) -> String {
        let state = self.state();
        let calls: Vec<String> = state
            .calls
            .iter()
            .enumerate()
            .filter(|(_, call)| !call.method.eq_ignore_ascii_case("getUpdates"))
            .map(|(i, call)| {
                let consumed = if state.consumed.contains(&i) {
                    " (consumed)"
                } else {
                    ""
                };
                format!("  #{i} {}{consumed}", call.summary())
            })
            .collect();
        let recent = &calls[calls.len().saturating_sub(40)..];
        format!(
            "{} calls besides getUpdates, the last {}:\n{}",
            calls.len(),
            recent.len(),
            recent.join("\n")
        )
    }
}
