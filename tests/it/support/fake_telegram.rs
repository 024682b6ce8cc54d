//! A fake Telegram Bot API server: records every call, answers with real Bot API shapes, and queues updates.
//!
//! It is stricter than a mock on purpose: like Telegram it rejects malformed HTML, over-long texts,
//! callback data over 64 bytes, edits of missing messages, edits that change nothing, and unknown file ids.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    net::SocketAddr,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::{any, get},
};
use serde_json::{Map, Value, json};
use tokio::{sync::Notify, time::Instant};

/// A token in the real format; the fake accepts any token and records it in [`Call::token`].
pub const TOKEN: &str = "123456:TEST-TOKEN";
/// The bot's own user id.
pub const BOT_ID: i64 = 123456;
/// The bot's username, without the `@`.
pub const BOT_USERNAME: &str = "souk_test_bot";

/// How long [`FakeTelegram::wait_for`] waits before giving up.
const WAIT_LIMIT: Duration = Duration::from_secs(10);
/// Longest wait of one `getUpdates` long poll, whatever the client asks for.
const LONG_POLL_LIMIT: Duration = Duration::from_secs(1);
/// `getFile` refuses files bigger than this, as the Bot API does.
const GET_FILE_LIMIT: u64 = 20 * 1024 * 1024;
const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

pub fn token() -> &'static str {
    TOKEN
}

/// A Telegram user who talks to the bot in a private chat whose id is the user id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TgUser {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
    pub language_code: Option<String>,
}

impl TgUser {
    /// A user named `User{id}` with username `user{id}`.
    pub fn new(id: i64, language_code: &str) -> Self {
        Self {
            id,
            first_name: format!("User{id}"),
            username: Some(format!("user{id}")),
            language_code: Some(language_code.to_owned()),
        }
    }

    /// The `User` object Telegram sends for this user.
    pub fn json(&self) -> Value {
        let mut user = json!({ "id": self.id, "is_bot": false, "first_name": self.first_name });
        if let Some(username) = &self.username {
            user["username"] = json!(username);
        }
        if let Some(language_code) = &self.language_code {
            user["language_code"] = json!(language_code);
        }
        user
    }

    /// The private `Chat` object of this user's chat with the bot.
    fn chat(&self) -> Value {
        let mut chat = json!({ "id": self.id, "type": "private", "first_name": self.first_name });
        if let Some(username) = &self.username {
            chat["username"] = json!(username);
        }
        chat
    }
}

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

    /// The `text`, or else the `caption`.
    pub fn text(&self) -> Option<&str> {
        self.str_param("text").or_else(|| self.str_param("caption"))
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
                .or_else(|| button["login_url"]["url"].as_str())
                .unwrap_or_default()
                .to_owned();
                (label, target)
            })
            .collect()
    }

    /// The callback data (or url) of the first button whose label contains `label_contains`.
    pub fn button_data(&self, label_contains: &str) -> Option<String> {
        self.buttons()
            .into_iter()
            .find(|(label, _)| label.contains(label_contains))
            .map(|(_, data)| data)
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

/// A handle on a running fake Bot API server; clones share it.
#[derive(Clone)]
pub struct FakeTelegram(Arc<Inner>);

struct Inner {
    addr: SocketAddr,
    state: Mutex<TgState>,
    updates_queued: Notify,
}

#[derive(Default)]
struct TgState {
    calls: Vec<Call>,
    consumed: HashSet<usize>,
    /// Updates not yet acknowledged by a `getUpdates` offset.
    pending: VecDeque<Value>,
    last_update_id: i64,
    last_message_id: i64,
    last_query_id: u64,
    last_file_no: u64,
    failures: HashMap<String, VecDeque<Failure>>,
    /// Injected failures of the next `send*` calls to one chat.
    chat_failures: HashMap<i64, VecDeque<Failure>>,
    /// Every message of every chat, by (chat id, message id), as Telegram would send it now.
    messages: HashMap<(i64, i64), Value>,
    files: HashMap<String, StoredFile>,
    users: HashMap<i64, TgUser>,
    callback_queries: HashSet<String>,
    /// Pre-checkout queries not answered yet (Telegram takes one answer each).
    pre_checkout_queries: HashSet<String>,
    /// The last non-empty `allowed_updates` of `getUpdates`: like Telegram, it holds until changed.
    allowed_updates: Option<Vec<String>>,
    /// Chats whose user blocked the bot: sending there answers 403.
    blocked: HashSet<i64>,
    /// Stars charges paid (`successful_payment`): charge id → (user, refunded).
    star_charges: HashMap<String, (i64, bool)>,
    /// The bot's Star transactions, oldest first, as `getStarTransactions` lists them.
    star_ledger: Vec<Value>,
}

struct Failure {
    error_code: u16,
    description: String,
}

/// An error the Bot API answers with: the HTTP status doubles as `error_code`.
struct ApiError {
    code: u16,
    description: String,
}

fn bad_request(what: &str) -> ApiError {
    ApiError {
        code: 400,
        description: format!("Bad Request: {what}"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FileKind {
    Photo,
    Document,
}

struct StoredFile {
    kind: FileKind,
    unique_id: String,
    file_name: Option<String>,
    mime_type: Option<String>,
    size: u64,
    content: Option<Vec<u8>>,
    path: String,
}

impl StoredFile {
    fn json(&self, file_id: &str) -> Value {
        let mut file =
            json!({ "file_id": file_id, "file_unique_id": self.unique_id, "file_size": self.size });
        match self.kind {
            FileKind::Photo => {
                file["width"] = json!(800);
                file["height"] = json!(600);
            }
            FileKind::Document => {
                if let Some(name) = &self.file_name {
                    file["file_name"] = json!(name);
                }
                if let Some(mime) = &self.mime_type {
                    file["mime_type"] = json!(mime);
                }
            }
        }
        file
    }
}

/// A file part of a multipart request, already attributed to the parameter that refers to it.
struct Upload {
    field: String,
    file_name: String,
    bytes: Vec<u8>,
}

/// The Bot API's own user.
fn bot_user() -> Value {
    json!({ "id": BOT_ID, "is_bot": true, "first_name": "Souk", "username": BOT_USERNAME })
}

fn now_unix() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    i64::try_from(secs).expect("a sane clock")
}

/// An integer sent as a JSON number or as decimal text (multipart sends text).
fn as_i64(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|text| text.trim().parse().ok()))
}

/// A JSON value, parsing it first when it arrived as JSON text.
fn json_value(value: &Value) -> Value {
    match value {
        Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        other => other.clone(),
    }
}

/// A text field: JSON objects and arrays (e.g. `reply_markup`) become JSON, anything else stays a string.
fn text_field(text: String) -> Value {
    let trimmed = text.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && let Ok(value @ (Value::Object(_) | Value::Array(_))) = serde_json::from_str(trimmed)
    {
        return value;
    }
    Value::String(text)
}

/// The kind of an update: its one key besides `update_id`, e.g. `message`.
fn update_kind(update: &Value) -> Option<&str> {
    update
        .as_object()?
        .keys()
        .map(String::as_str)
        .find(|key| *key != "update_id")
}

fn lower_camel(method: &str) -> String {
    let mut chars = method.chars();
    chars
        .next()
        .map(|first| first.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

impl FakeTelegram {
    /// Starts the server on 127.0.0.1 with an ephemeral port, on the current tokio runtime.
    pub async fn start() -> FakeTelegram {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake Telegram");
        let addr = listener.local_addr().expect("the fake Telegram's address");
        let fake = FakeTelegram(Arc::new(Inner {
            addr,
            state: Mutex::new(TgState::default()),
            updates_queued: Notify::new(),
        }));
        let app = Router::new()
            .route("/file/{bot_token}/{*file_path}", get(download))
            .route("/{bot_token}/{method}", any(api))
            .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
            .with_state(fake.clone());
        tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("the fake Telegram server")
        });
        fake
    }

    /// The base URL to give teloxide (`Bot::set_api_url`), with a trailing slash: `http://127.0.0.1:PORT/`.
    pub fn api_url(&self) -> reqwest::Url {
        format!("http://{}/", self.0.addr)
            .parse()
            .expect("a valid URL")
    }

    fn state(&self) -> MutexGuard<'_, TgState> {
        // A panicking test thread must not hide every later assertion behind a poisoned lock.
        self.0.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The user of `chat_id` blocks the bot: messages to them answer 403 from now on.
    pub fn block(&self, chat_id: i64) {
        self.state().blocked.insert(chat_id);
    }

    /// The next `times` calls of `method` answer `{"ok":false,...}` with HTTP status `error_code`.
    /// A 429 also carries `parameters.retry_after = 1`. Beware: teloxide sleeps 10 s on any 5xx.
    pub fn fail_next(&self, method: &str, times: usize, error_code: u16, description: &str) {
        let mut state = self.state();
        let queue = state
            .failures
            .entry(method.to_ascii_lowercase())
            .or_default();
        for _ in 0..times {
            queue.push_back(Failure {
                error_code,
                description: description.to_owned(),
            });
        }
    }

    /// The next `times` `send*` calls to `chat_id` fail as `fail_next` describes (a chat on a
    /// Telegram server having trouble); other chats are served.
    pub fn fail_chat(&self, chat_id: i64, times: usize, error_code: u16, description: &str) {
        let mut state = self.state();
        let queue = state.chat_failures.entry(chat_id).or_default();
        for _ in 0..times {
            queue.push_back(Failure {
                error_code,
                description: description.to_owned(),
            });
        }
    }

    /// Telegram serves every chat again (the failures `fail_chat` queued are dropped).
    pub fn clear_chat_failures(&self) {
        self.state().chat_failures.clear();
    }

    /// Makes `file_id` a known document with this content, as if a user had once sent it.
    /// The size of a file registered with `register_file`, if any.
    pub fn registered_size(&self, file_id: &str) -> Option<u64> {
        self.state()
            .files
            .get(file_id)
            .and_then(|f| f.content.as_ref())
            .map(|c| c.len() as u64)
    }

    pub fn register_file(&self, file_id: &str, file_name: &str, content: &[u8]) {
        let mut state = self.state();
        let stored = state.new_file(
            FileKind::Document,
            Some(file_name.to_owned()),
            content.len() as u64,
        );
        state.files.insert(
            file_id.to_owned(),
            StoredFile {
                content: Some(content.to_vec()),
                ..stored
            },
        );
    }

    // ---- updates ----

    /// A text message from `user`; a leading `/command` gets its `bot_command` entity. Returns the message id.
    pub fn send_text(&self, user: &TgUser, text: &str) -> i32 {
        let mut content = json!({ "text": text });
        if text.starts_with('/') {
            let command = text.split_whitespace().next().unwrap_or(text);
            content["entities"] =
                json!([{ "type": "bot_command", "offset": 0, "length": utf16_len(command) }]);
        }
        self.push_user_message(user, content)
    }

    /// A document from `user`; the fake remembers `file_id` so the bot can re-send or download it.
    pub fn send_document(&self, user: &TgUser, file_id: &str, file_name: &str, size: u64) -> i32 {
        let mime = mime_for(file_name);
        let document = {
            let mut state = self.state();
            let stored = state.new_file(FileKind::Document, Some(file_name.to_owned()), size);
            let stored = StoredFile {
                mime_type: Some(mime.to_owned()),
                ..stored
            };
            let previous = state.files.remove(file_id);
            let content = previous
                .and_then(|file| file.content)
                .filter(|bytes| bytes.len() as u64 == size);
            let stored = StoredFile { content, ..stored };
            let json = stored.json(file_id);
            state.files.insert(file_id.to_owned(), stored);
            json
        };
        self.push_user_message(user, json!({ "document": document }))
    }

    /// `user` shares a phone number (the contact-request button shares their own).
    pub fn send_contact(&self, user: &TgUser, phone_number: &str) -> i32 {
        self.push_user_message(
            user,
            json!({ "contact": {
                "phone_number": phone_number,
                "first_name": user.first_name,
                "user_id": user.id,
            }}),
        )
    }

    /// A photo (not a document) from `user`.
    pub fn send_photo(&self, user: &TgUser) -> i32 {
        let photo = {
            let mut state = self.state();
            let stored = state.new_file(FileKind::Photo, None, 54_321);
            let file_id = format!("AgACAgIAAxkBAAIuser-photo-{}", state.last_file_no);
            let json = stored.json(&file_id);
            state.files.insert(file_id, stored);
            json
        };
        self.push_user_message(user, json!({ "photo": [photo] }))
    }

    /// `user` presses an inline button with `data` under the bot's message `message_id`.
    /// Returns the callback query id.
    pub fn press(&self, user: &TgUser, data: &str, message_id: i32) -> String {
        let mut state = self.state();
        state.users.insert(user.id, user.clone());
        state.last_query_id += 1;
        let id = (4_000_000_000_000_000_000u64 + state.last_query_id).to_string();
        let key = (user.id, i64::from(message_id));
        let message = state.messages.entry(key).or_insert_with(|| {
            json!({
                "message_id": message_id, "from": bot_user(), "chat": user.chat(),
                "date": now_unix(), "text": "…",
            })
        });
        let query = json!({
            "id": id,
            "from": user.json(),
            "message": message.clone(),
            "chat_instance": (user.id.wrapping_mul(7919) ^ 0x5eed).to_string(),
            "data": data,
        });
        state.callback_queries.insert(id.clone());
        self.queue_update(&mut state, "callback_query", query);
        id
    }

    /// A message or caption to anyone that contains `needle`.
    pub async fn wait_for_text_any(&self, needle: &str) -> Call {
        self.wait_for(&format!("a message containing {needle:?}"), |c| {
            c.ok && c.text().is_some_and(|t| t.contains(needle))
        })
        .await
    }

    /// `@bot query` typed by `user` in any chat (inline mode). Returns the inline query id.
    pub fn inline_query(&self, user: &TgUser, query: &str) -> String {
        let mut state = self.state();
        state.users.insert(user.id, user.clone());
        state.last_query_id += 1;
        let id = (6_000_000_000_000_000_000u64 + state.last_query_id).to_string();
        let inline = json!({
            "id": id, "from": user.json(), "query": query, "offset": "", "chat_type": "sender",
        });
        self.queue_update(&mut state, "inline_query", inline);
        id
    }

    /// A Telegram Stars pre-checkout query for an invoice with `payload`. Returns the query id.
    pub fn pre_checkout(&self, user: &TgUser, payload: &str, stars: u32) -> String {
        let mut state = self.state();
        state.users.insert(user.id, user.clone());
        state.last_query_id += 1;
        let id = (5_000_000_000_000_000_000u64 + state.last_query_id).to_string();
        state.pre_checkout_queries.insert(id.clone());
        let query = json!({
            "id": id, "from": user.json(), "currency": "XTR",
            "total_amount": stars, "invoice_payload": payload,
        });
        self.queue_update(&mut state, "pre_checkout_query", query);
        id
    }

    /// A `successful_payment` service message for a Stars invoice. Returns the message id.
    pub fn successful_payment(
        &self,
        user: &TgUser,
        payload: &str,
        stars: u32,
        charge_id: &str,
    ) -> i32 {
        let payment = json!({
            "currency": "XTR", "total_amount": stars, "invoice_payload": payload,
            "telegram_payment_charge_id": charge_id, "provider_payment_charge_id": "",
        });
        self.charge_stars(user, payload, stars, charge_id);
        self.push_user_message(user, json!({ "successful_payment": payment }))
    }

    /// A Stars payment Telegram took, whose `successful_payment` the bot never handled (it
    /// failed, or the update was lost): only `getStarTransactions` tells of it.
    pub fn successful_payment_lost(
        &self,
        user: &TgUser,
        payload: &str,
        stars: u32,
        charge_id: &str,
    ) {
        self.charge_stars(user, payload, stars, charge_id);
    }

    fn charge_stars(&self, user: &TgUser, payload: &str, stars: u32, charge_id: &str) {
        let mut state = self.state();
        state
            .star_charges
            .insert(charge_id.to_string(), (user.id, false));
        state.star_ledger.push(json!({
            "id": charge_id, "amount": stars, "date": now_unix(),
            "source": {
                "type": "user", "transaction_type": "invoice_payment",
                "user": user.json(), "invoice_payload": payload,
            },
        }));
    }

    fn push_user_message(&self, user: &TgUser, content: Value) -> i32 {
        let mut state = self.state();
        state.users.insert(user.id, user.clone());
        let id = state.next_message_id();
        let mut message = json!({ "message_id": id, "from": user.json(), "chat": user.chat(), "date": now_unix() });
        merge(&mut message, content);
        state.messages.insert((user.id, id), message.clone());
        self.queue_update(&mut state, "message", message);
        i32::try_from(id).expect("message ids fit in i32")
    }

    fn queue_update(&self, state: &mut TgState, kind: &str, payload: Value) {
        state.last_update_id += 1;
        let mut update = json!({ "update_id": state.last_update_id });
        update[kind] = payload;
        state.pending.push_back(update);
        self.0.updates_queued.notify_waiters();
    }

    // ---- inspection ----

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
        const SHOWN: [&str; 5] = [
            "sendMessage",
            "editMessageText",
            "sendPhoto",
            "sendDocument",
            "editMessageCaption",
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
    fn dump(&self) -> String {
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

    /// The oldest update not delivered yet, waiting for one when none is queued (webhook mode:
    /// `webhook::push_updates` posts it).
    pub async fn next_update(&self) -> Value {
        loop {
            let queued = self.0.updates_queued.notified();
            tokio::pin!(queued);
            queued.as_mut().enable();
            if let Some(update) = self.state().pending.pop_front() {
                return update;
            }
            queued.await;
        }
    }

    /// Puts an update that could not be delivered back at the head of the queue.
    pub fn requeue_update(&self, update: Value) {
        self.state().pending.push_front(update);
    }

    // ---- serving ----

    async fn get_updates(&self, params: &Map<String, Value>) -> Value {
        let offset = params.get("offset").and_then(as_i64).unwrap_or(0);
        let limit = params
            .get("limit")
            .and_then(as_i64)
            .unwrap_or(100)
            .clamp(1, 100);
        let timeout = params.get("timeout").and_then(as_i64).unwrap_or(0).max(0);
        let wait = Duration::from_secs(timeout.unsigned_abs()).min(LONG_POLL_LIMIT);
        let deadline = Instant::now() + wait;
        if let Some(Value::Array(allowed)) = params.get("allowed_updates").map(json_value) {
            let allowed: Vec<String> = allowed
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            self.state().allowed_updates = (!allowed.is_empty()).then_some(allowed);
        }
        loop {
            let queued = self.0.updates_queued.notified();
            tokio::pin!(queued);
            // Register before looking, so an update queued in between still wakes us.
            queued.as_mut().enable();
            {
                let mut state = self.state();
                if offset > 0 {
                    state
                        .pending
                        .retain(|update| update["update_id"].as_i64().unwrap_or(0) >= offset);
                }
                // Telegram never delivers update kinds the bot did not ask for.
                if let Some(allowed) = state.allowed_updates.clone() {
                    state.pending.retain(|update| {
                        update_kind(update).is_some_and(|kind| allowed.iter().any(|a| a == kind))
                    });
                }
                let batch: Vec<Value> = state
                    .pending
                    .iter()
                    .take(limit.unsigned_abs() as usize)
                    .cloned()
                    .collect();
                if !batch.is_empty() {
                    return Value::Array(batch);
                }
            }
            if tokio::time::timeout_at(deadline, queued).await.is_err() {
                return json!([]);
            }
        }
    }
}

impl TgState {
    fn next_message_id(&mut self) -> i64 {
        self.last_message_id += 1;
        self.last_message_id
    }

    fn new_file(&mut self, kind: FileKind, file_name: Option<String>, size: u64) -> StoredFile {
        self.last_file_no += 1;
        let n = self.last_file_no;
        let path = match kind {
            FileKind::Photo => format!("photos/file_{n}.jpg"),
            FileKind::Document => format!("documents/file_{n}"),
        };
        StoredFile {
            kind,
            unique_id: format!("AQADfake{n}"),
            file_name,
            mime_type: None,
            size,
            content: None,
            path,
        }
    }

    /// The `Chat` object for a `chat_id` parameter: a known user's private chat, another private chat,
    /// a supergroup for negative ids, a channel for `@username`.
    fn chat(&self, chat_id: &Value) -> Result<Value, ApiError> {
        if let Some(id) = as_i64(chat_id) {
            return Ok(match self.users.get(&id) {
                Some(user) => user.chat(),
                None if id > 0 => json!({ "id": id, "type": "private", "first_name": "User" }),
                None => json!({ "id": id, "type": "supergroup", "title": "Group" }),
            });
        }
        match chat_id.as_str() {
            Some(name) if name.starts_with('@') => Ok(
                json!({ "id": -1_001_234_567_890i64, "type": "channel", "title": name, "username": &name[1..] }),
            ),
            _ => Err(bad_request("chat not found")),
        }
    }

    /// The `(chat id, message id)` key named by `chat_id_key` and `message_id_key`.
    fn message_key(
        &self,
        p: &Map<String, Value>,
        chat_id_key: &str,
        message_id_key: &str,
    ) -> Result<(i64, i64), ApiError> {
        let chat = p
            .get(chat_id_key)
            .ok_or_else(|| bad_request("chat_id is empty"))?;
        let chat = self.chat(chat)?["id"].as_i64().unwrap_or_default();
        let message_id = p.get(message_id_key).and_then(as_i64);
        let message_id =
            message_id.ok_or_else(|| bad_request("message identifier is not specified"))?;
        Ok((chat, message_id))
    }

    /// A new message from the bot in the chat named by `p["chat_id"]`, stored and returned.
    fn bot_message(&mut self, p: &Map<String, Value>, content: Value) -> Result<Value, ApiError> {
        let chat = self.chat(
            p.get("chat_id")
                .ok_or_else(|| bad_request("chat_id is empty"))?,
        )?;
        let chat_id = chat["id"].as_i64().unwrap_or_default();
        let id = self.next_message_id();
        let mut message =
            json!({ "message_id": id, "from": bot_user(), "chat": chat, "date": now_unix() });
        merge(&mut message, content);
        if let Some(markup) = inline_markup(p)? {
            message["reply_markup"] = markup;
        }
        self.messages.insert((chat_id, id), message.clone());
        Ok(message)
    }

    /// The file a `photo`/`document` parameter names: a new upload, a URL, or a known file id.
    fn input_file(
        &mut self,
        p: &Map<String, Value>,
        uploads: &[Upload],
        field: &str,
        kind: FileKind,
    ) -> Result<Value, ApiError> {
        if let Some(upload) = uploads.iter().find(|upload| upload.field == field) {
            let name = Some(upload.file_name.clone()).filter(|name| !name.is_empty());
            let name = name.or_else(|| (kind == FileKind::Document).then(|| "document".to_owned()));
            let mime = name.as_deref().map(mime_for).map(str::to_owned);
            let stored = self.new_file(kind, name, upload.bytes.len() as u64);
            let stored = StoredFile {
                mime_type: mime,
                content: Some(upload.bytes.clone()),
                ..stored
            };
            let file_id = format!("{}fake-upload-{}", kind_prefix(kind), self.last_file_no);
            let json = stored.json(&file_id);
            self.files.insert(file_id, stored);
            return Ok(json);
        }
        let value = p.get(field).and_then(Value::as_str).unwrap_or_default();
        if value.is_empty() || value.starts_with("attach://") {
            return Err(bad_request(&format!("there is no {field} in the request")));
        }
        if value.starts_with("http://") || value.starts_with("https://") {
            let stored = self.new_file(kind, None, 1024);
            let file_id = format!("{}fake-url-{}", kind_prefix(kind), self.last_file_no);
            let json = stored.json(&file_id);
            self.files.insert(file_id, stored);
            return Ok(json);
        }
        match self.files.get(value) {
            Some(file) if file.kind == kind => Ok(file.json(value)),
            Some(_) => Err(bad_request("type of file mismatch")),
            None => Err(bad_request("wrong file identifier/HTTP URL specified")),
        }
    }

    /// Answers one Bot API method (all but `getUpdates`).
    fn answer(
        &mut self,
        method: &str,
        p: &Map<String, Value>,
        uploads: &[Upload],
    ) -> Result<Value, ApiError> {
        match method.to_ascii_lowercase().as_str() {
            "getme" => Ok(me()),
            "sendmessage" => {
                let text = checked_text(p, "text", 4096)?
                    .ok_or_else(|| bad_request("message text is empty"))?;
                self.bot_message(p, json!({ "text": text }))
            }
            "sendphoto" => {
                let photo = self.input_file(p, uploads, "photo", FileKind::Photo)?;
                let mut content = json!({ "photo": [photo] });
                if let Some(caption) = checked_text(p, "caption", 1024)? {
                    content["caption"] = json!(caption);
                }
                self.bot_message(p, content)
            }
            "senddocument" => {
                let document = self.input_file(p, uploads, "document", FileKind::Document)?;
                let mut content = json!({ "document": document });
                if let Some(caption) = checked_text(p, "caption", 1024)? {
                    content["caption"] = json!(caption);
                }
                self.bot_message(p, content)
            }
            "sendinvoice" => {
                let field = |key: &str| p.get(key).cloned().unwrap_or(Value::Null);
                check_stars_invoice(p)?;
                let total: i64 = p
                    .get("prices")
                    .map(json_value)
                    .and_then(|prices| {
                        prices.as_array().map(|prices| {
                            prices
                                .iter()
                                .filter_map(|price| as_i64(&price["amount"]))
                                .sum()
                        })
                    })
                    .unwrap_or(0);
                let invoice = json!({
                    "title": field("title"), "description": field("description"),
                    "start_parameter": p.get("start_parameter").cloned().unwrap_or(json!("")),
                    "currency": field("currency"), "total_amount": total,
                });
                self.bot_message(p, json!({ "invoice": invoice }))
            }
            "editmessagetext" => self.edit(p, Edit::Text),
            "editmessagecaption" => self.edit(p, Edit::Caption),
            "editmessagereplymarkup" => self.edit(p, Edit::ReplyMarkup),
            "deletemessage" => {
                let key = self.message_key(p, "chat_id", "message_id")?;
                match self.messages.remove(&key) {
                    Some(_) => Ok(json!(true)),
                    None => Err(bad_request("message to delete not found")),
                }
            }
            "copymessage" | "forwardmessage" => {
                let key = self.message_key(p, "from_chat_id", "message_id")?;
                let original = self.messages.get(&key).cloned();
                let original = original.ok_or_else(|| bad_request("message to copy not found"))?;
                let mut content = original.as_object().cloned().unwrap_or_default();
                for key in [
                    "message_id",
                    "from",
                    "chat",
                    "date",
                    "edit_date",
                    "reply_markup",
                ] {
                    content.remove(key);
                }
                let message = self.bot_message(p, Value::Object(content))?;
                if method.eq_ignore_ascii_case("copyMessage") {
                    Ok(json!({ "message_id": message["message_id"] }))
                } else {
                    Ok(message)
                }
            }
            "answercallbackquery" => {
                let id = p
                    .get("callback_query_id")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if self.callback_queries.contains(id) {
                    Ok(json!(true))
                } else {
                    Err(bad_request(
                        "query is too old and response timeout expired or query id is invalid",
                    ))
                }
            }
            "getfile" => {
                let file_id = p.get("file_id").and_then(Value::as_str).unwrap_or_default();
                let file = self
                    .files
                    .get(file_id)
                    .ok_or_else(|| bad_request("invalid file id"))?;
                if file.size > GET_FILE_LIMIT {
                    return Err(bad_request("file is too big"));
                }
                Ok(json!({
                    "file_id": file_id, "file_unique_id": file.unique_id,
                    "file_size": file.size, "file_path": file.path,
                }))
            }
            "refundstarpayment" => {
                let user = p
                    .get("user_id")
                    .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
                    .ok_or_else(|| bad_request("user_id is required"))?;
                let charge = p
                    .get("telegram_payment_charge_id")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                match self.star_charges.get_mut(charge) {
                    Some((payer, _)) if *payer != user => Err(bad_request("CHARGE_NOT_FOUND")),
                    Some((_, refunded)) if *refunded => Err(bad_request("CHARGE_ALREADY_REFUNDED")),
                    Some((_, refunded)) => {
                        *refunded = true;
                        let paid = self
                            .star_ledger
                            .iter()
                            .find(|t| t["id"] == charge && t.get("source").is_some())
                            .cloned()
                            .expect("a charge is in the ledger");
                        // The refund is an outgoing transaction with the charge's own id.
                        self.star_ledger.push(json!({
                            "id": charge, "amount": paid["amount"], "date": now_unix(),
                            "receiver": paid["source"],
                        }));
                        Ok(json!(true))
                    }
                    None => Err(bad_request("CHARGE_NOT_FOUND")),
                }
            }
            "getstartransactions" => {
                let number = |key: &str| {
                    p.get(key)
                        .map(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
                };
                let offset = match number("offset") {
                    None => 0,
                    Some(Some(n)) if n >= 0 => n as usize,
                    Some(_) => return Err(bad_request("offset must be a non-negative integer")),
                };
                let limit = match number("limit") {
                    None => 100,
                    Some(Some(n)) if (1..=100).contains(&n) => n as usize,
                    Some(_) => return Err(bad_request("limit must be between 1 and 100")),
                };
                let page: Vec<Value> = self
                    .star_ledger
                    .iter()
                    .skip(offset)
                    .take(limit)
                    .cloned()
                    .collect();
                Ok(json!({ "transactions": page }))
            }
            "answerprecheckoutquery" => {
                let id = p
                    .get("pre_checkout_query_id")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let ok = p
                    .get("ok")
                    .is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"));
                let reason = p.get("error_message").and_then(Value::as_str);
                if !ok && reason.is_none_or(str::is_empty) {
                    return Err(bad_request("PRE_CHECKOUT_QUERY_ERROR_MESSAGE_EMPTY"));
                }
                if self.pre_checkout_queries.remove(id) {
                    Ok(json!(true))
                } else {
                    Err(bad_request(
                        "query is too old and response timeout expired or query id is invalid",
                    ))
                }
            }
            "getmycommands" => Ok(json!([])),
            "getwebhookinfo" => Ok(
                json!({ "url": "", "has_custom_certificate": false, "pending_update_count": self.pending.len() }),
            ),
            // deleteWebhook, setMyCommands, answerInlineQuery, answerPreCheckoutQuery, sendChatAction, …
            _ => Ok(json!(true)),
        }
    }

    fn edit(&mut self, p: &Map<String, Value>, edit: Edit) -> Result<Value, ApiError> {
        if p.contains_key("inline_message_id") {
            return Ok(json!(true));
        }
        let key = self.message_key(p, "chat_id", "message_id")?;
        let original = self
            .messages
            .get(&key)
            .cloned()
            .ok_or_else(|| bad_request("message to edit not found"))?;
        if original["from"]["id"].as_i64() != Some(BOT_ID) {
            return Err(bad_request("message can't be edited"));
        }
        let mut edited = original.clone();
        match edit {
            Edit::Text => {
                if original.get("text").is_none() {
                    return Err(bad_request("there is no text in the message to edit"));
                }
                let text = checked_text(p, "text", 4096).map_err(|error| {
                    match error.description.as_str() {
                        "Bad Request: message is too long" => bad_request("MESSAGE_TOO_LONG"),
                        _ => error,
                    }
                })?;
                edited["text"] = json!(text.ok_or_else(|| bad_request("message text is empty"))?);
            }
            Edit::Caption => {
                let has_media = ["photo", "document", "video", "animation", "audio", "voice"]
                    .iter()
                    .any(|key| original.get(key).is_some());
                if !has_media {
                    return Err(bad_request("there is no caption in the message to edit"));
                }
                let object = edited.as_object_mut().expect("messages are objects");
                match checked_text(p, "caption", 1024)? {
                    Some(caption) => object.insert("caption".to_owned(), json!(caption)),
                    None => object.remove("caption"),
                };
            }
            Edit::ReplyMarkup => {}
        }
        // Like Telegram, an edit without reply_markup removes the inline keyboard.
        let object = edited.as_object_mut().expect("messages are objects");
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

#[derive(Clone, Copy)]
enum Edit {
    Text,
    Caption,
    ReplyMarkup,
}

fn kind_prefix(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Photo => "AgACAgIAAxkBAAI",
        FileKind::Document => "BQACAgIAAxkBAAI",
    }
}

fn mime_for(file_name: &str) -> &'static str {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "txt" => "text/plain",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "epub" => "application/epub+zip",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

fn me() -> Value {
    let mut me = bot_user();
    merge(
        &mut me,
        json!({
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false,
        }),
    );
    me
}

fn merge(target: &mut Value, extra: Value) {
    if let (Some(target), Value::Object(extra)) = (target.as_object_mut(), extra) {
        target.extend(extra);
    }
}

/// The `reply_markup` to keep on the message: only inline keyboards are, and their callback data is checked.
fn inline_markup(p: &Map<String, Value>) -> Result<Option<Value>, ApiError> {
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
    }
    Ok((!rows.is_empty()).then_some(markup))
}

/// The visible text of `p[key]` after `parse_mode`, checked like Telegram does; `None` when absent or empty.
fn checked_text(
    p: &Map<String, Value>,
    key: &str,
    max_len: usize,
) -> Result<Option<String>, ApiError> {
    let Some(raw) = p.get(key).and_then(Value::as_str) else {
        return Ok(None);
    };
    let parse_mode = p
        .get("parse_mode")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let visible = match parse_mode.to_ascii_lowercase().as_str() {
        "html" => parse_html(raw)
            .map_err(|error| bad_request(&format!("can't parse entities: {error}")))?,
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
    Ok(Some(visible))
}

/// Parses Telegram's HTML subset, returning the visible text or the Bot API's error message.
fn parse_html(text: &str) -> Result<String, String> {
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
                    rest.find('>').ok_or_else(unclosed)?
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
        None => Ok(visible),
    }
}

fn decode_entity(name: &str) -> Option<char> {
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
fn check_markdown_v2(text: &str) -> Result<(), String> {
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

/// Parameters from the query string and from a JSON, multipart or urlencoded body, plus file uploads.
async fn read_params(request: Request) -> Result<(Map<String, Value>, Vec<Upload>), String> {
    let mut params = Map::new();
    if let Some(query) = request.uri().query() {
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            params.insert(key.into_owned(), text_field(value.into_owned()));
        }
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(request, &())
            .await
            .map_err(|error| error.body_text())?;
        let mut parts = Vec::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|error| error.body_text())?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = field.bytes().await.map_err(|error| error.body_text())?;
            parts.push((name, file_name, bytes));
        }
        // teloxide uploads a file as a part named by a random id, referred to as `attach://<id>`.
        let attached: HashMap<String, String> = parts
            .iter()
            .filter_map(|(name, _, bytes)| {
                let value = std::str::from_utf8(bytes).ok()?;
                Some((value.strip_prefix("attach://")?.to_owned(), name.clone()))
            })
            .collect();
        let mut uploads = Vec::new();
        for (name, file_name, bytes) in parts {
            let referrer = attached.get(&name);
            if file_name.is_some() || referrer.is_some() {
                let field = referrer.cloned().unwrap_or(name);
                uploads.push(Upload {
                    field,
                    file_name: file_name.unwrap_or_default(),
                    bytes: bytes.to_vec(),
                });
            } else {
                params.insert(
                    name,
                    text_field(String::from_utf8_lossy(&bytes).into_owned()),
                );
            }
        }
        return Ok((params, uploads));
    }
    let body = Bytes::from_request(request, &())
        .await
        .map_err(|error| error.body_text())?;
    if body.is_empty() {
        return Ok((params, Vec::new()));
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        for (key, value) in url::form_urlencoded::parse(&body) {
            params.insert(key.into_owned(), text_field(value.into_owned()));
        }
    } else {
        match serde_json::from_slice(&body) {
            Ok(Value::Object(object)) => params.extend(object),
            _ => return Err("Bad Request: invalid JSON in the request body".to_owned()),
        }
    }
    Ok((params, Vec::new()))
}

fn telegram_reply(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(result) => Json(json!({ "ok": true, "result": result })).into_response(),
        Err(ApiError { code, description }) => {
            let mut body = json!({ "ok": false, "error_code": code, "description": description });
            if code == 429 {
                body["parameters"] = json!({ "retry_after": 1 });
            }
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
            (status, Json(body)).into_response()
        }
    }
}

async fn api(
    State(fake): State<FakeTelegram>,
    Path((bot_token, method)): Path<(String, String)>,
    request: Request,
) -> Response {
    let Some(token) = bot_token.strip_prefix("bot").map(str::to_owned) else {
        return telegram_reply(Err(ApiError {
            code: 404,
            description: "Not Found".to_owned(),
        }));
    };
    // teloxide sends payload names (`SendMessage`); record the Bot API's spelling (`sendMessage`).
    let method = lower_camel(&method);
    let (params, uploads) = match read_params(request).await {
        Ok(read) => read,
        Err(error) => {
            return telegram_reply(Err(ApiError {
                code: 400,
                description: error,
            }));
        }
    };
    let injected = {
        let mut state = fake.state();
        state
            .failures
            .get_mut(&method.to_ascii_lowercase())
            .and_then(VecDeque::pop_front)
    };
    let injected = injected.or_else(|| {
        let chat = params.get("chat_id").and_then(|c| match c {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        });
        let sending = method.starts_with("send");
        let mut state = fake.state();
        let failing = chat
            .filter(|_| sending)
            .and_then(|c| state.chat_failures.get_mut(&c))
            .and_then(VecDeque::pop_front);
        let blocked = chat.is_some_and(|c| state.blocked.contains(&c));
        failing.or_else(|| {
            (blocked && sending).then(|| Failure {
                error_code: 403,
                description: "Forbidden: bot was blocked by the user".to_owned(),
            })
        })
    });
    let polled = match injected {
        None if method.eq_ignore_ascii_case("getUpdates") => Some(fake.get_updates(&params).await),
        _ => None,
    };
    // Answer and record under one lock, so calls are recorded in the order they took effect.
    let mut state = fake.state();
    let result = match (injected, polled) {
        (Some(failure), _) => Err(ApiError {
            code: failure.error_code,
            description: failure.description,
        }),
        (None, Some(updates)) => Ok(updates),
        (None, None) => state.answer(&method, &params, &uploads),
    };
    state.calls.push(Call {
        method,
        params: Value::Object(params),
        files: uploads
            .iter()
            .map(|upload| (upload.field.clone(), upload.bytes.clone()))
            .collect(),
        file_names: uploads
            .iter()
            .map(|upload| (upload.field.clone(), upload.file_name.clone()))
            .collect(),
        token,
        ok: result.is_ok(),
        result: result.as_ref().map_or(Value::Null, Clone::clone),
        at: std::time::Instant::now(),
    });
    drop(state);
    telegram_reply(result)
}

/// `GET /file/bot{token}/{file_path}`: the bytes behind a `getFile` path (uploaded, registered, or filler).
async fn download(
    State(fake): State<FakeTelegram>,
    Path((_, file_path)): Path<(String, String)>,
) -> Response {
    let state = fake.state();
    let Some(file) = state.files.values().find(|file| file.path == file_path) else {
        return telegram_reply(Err(ApiError {
            code: 404,
            description: "Not Found".to_owned(),
        }));
    };
    let bytes = match &file.content {
        Some(content) => content.clone(),
        None => (0..file.size).map(|i| (i % 251) as u8).collect(),
    };
    bytes.into_response()
}

/// Telegram's rules for an invoice in Stars: one price line, no provider token, and a title,
/// description and payload within their lengths.
fn check_stars_invoice(p: &Map<String, Value>) -> Result<(), ApiError> {
    if p.get("currency").and_then(Value::as_str) != Some("XTR") {
        return Ok(());
    }
    let text = |key: &str| p.get(key).and_then(Value::as_str).unwrap_or_default();
    if !text("provider_token").is_empty() {
        return Err(bad_request(
            "provider_token must be empty for payments in Telegram Stars",
        ));
    }
    let lines = p
        .get("prices")
        .map(json_value)
        .and_then(|prices| prices.as_array().map(Vec::len))
        .unwrap_or(0);
    if lines != 1 {
        return Err(bad_request("Stars invoices must have exactly one price"));
    }
    for (key, max) in [("title", 32), ("description", 255), ("payload", 128)] {
        let n = text(key).chars().count();
        if n == 0 || n > max {
            return Err(bad_request(&format!("{key} must be 1 to {max} characters")));
        }
    }
    Ok(())
}
