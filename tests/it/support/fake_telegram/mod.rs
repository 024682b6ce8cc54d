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

mod calls;
mod chats;
mod files;
mod http;
mod media;
mod methods;
mod profile;
mod stars;
mod text;
mod updates;

pub use calls::Call;
use files::*;
use http::*;
use stars::*;
use text::*;

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
    /// The last non-empty `allowed_updates` of `getUpdates` or `setWebhook`: like Telegram, it
    /// holds until changed.
    allowed_updates: Option<Vec<String>>,
    /// Chats whose user blocked the bot: sending there answers 403.
    blocked: HashSet<i64>,
    /// Stars charges paid (`successful_payment`): charge id → (user, refunded).
    star_charges: HashMap<String, (i64, bool)>,
    /// The bot's Star transactions, oldest first, as `getStarTransactions` lists them.
    star_ledger: Vec<Value>,
    /// The default menu button set with `setChatMenuButton`.
    menu_button: Option<Value>,
    /// The webhook URL set with `setWebhook` (empty: none; `getUpdates` is then allowed).
    webhook_url: String,
    /// Command menus by (scope, language), as `setMyCommands` left them.
    commands: HashMap<(String, String), Value>,
    /// Descriptions by (field, language).
    descriptions: HashMap<(String, String), String>,
    /// Channels and groups, invite links, join requests, Stars subscriptions.
    group: chats::ChatsState,
    /// Answers that wait, by method (lower case).
    delays: HashMap<String, VecDeque<std::time::Duration>>,
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
    /// The next call of `method` is answered only after `delay` (a slow Telegram).
    pub fn delay_next(&self, method: &str, delay: std::time::Duration) {
        let mut state = self.state();
        let queue = state.delays.entry(method.to_ascii_lowercase()).or_default();
        queue.push_back(delay);
    }

    /// The default menu button (`setChatMenuButton`), as set.
    pub fn menu_button(&self) -> Option<Value> {
        self.state().menu_button.clone()
    }

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

    /// Sets the bot's webhook, as another souk (production) would have.
    pub fn set_webhook_url(&self, url: &str) {
        self.state().webhook_url = url.to_owned();
    }

    /// The bot's webhook URL, empty when none is set.
    pub fn webhook_url(&self) -> String {
        self.state().webhook_url.clone()
    }
}

impl TgState {
    fn next_message_id(&mut self) -> i64 {
        self.last_message_id += 1;
        self.last_message_id
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
