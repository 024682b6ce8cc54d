//! Updates: what users do (messages, files, contacts, button presses, inline queries, Stars
//! payments), queued and served by `getUpdates` or to the webhook.

use super::*;

impl FakeTelegram {
    /// `user` presses the button of message `on` whose label contains `label`. Returns the
    /// callback query id.
    pub fn press_button(&self, user: &TgUser, on: &Call, label: &str) -> String {
        let data = on
            .button_data(label)
            .unwrap_or_else(|| panic!("no button labelled {label:?} in {:?}", on.buttons()));
        let message_id = on.message_id().expect("a message with buttons has an id");
        self.press(user, &data, message_id)
    }

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

    /// A text from `user` with its formatting (Telegram `MessageEntity` objects, e.g. bold).
    pub fn send_formatted(&self, user: &TgUser, text: &str, entities: Value) -> i32 {
        self.push_user_message(user, json!({ "text": text, "entities": entities }))
    }

    /// A photo (not a document) from `user`: like Telegram, in several sizes, smallest first.
    /// Returns the message id and the largest size's `file_id`.
    pub fn send_photo(&self, user: &TgUser) -> (i32, String) {
        let (sizes, largest) = {
            let mut state = self.state();
            let mut sizes = Vec::new();
            let mut largest = String::new();
            for (width, height, bytes) in [(90, 67, 1_234), (320, 240, 12_345), (800, 600, 54_321)]
            {
                let stored = state.new_file(FileKind::Photo, None, bytes);
                let file_id = format!("AgACAgIAAxkBAAIuser-photo-{}", state.last_file_no);
                let mut json = stored.json(&file_id);
                json["width"] = json!(width);
                json["height"] = json!(height);
                sizes.push(json);
                state.files.insert(file_id.clone(), stored);
                largest = file_id;
            }
            (sizes, largest)
        };
        (
            self.push_user_message(user, json!({ "photo": sizes })),
            largest,
        )
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

    pub(super) fn charge_stars(&self, user: &TgUser, payload: &str, stars: u32, charge_id: &str) {
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

    pub(super) fn push_user_message(&self, user: &TgUser, content: Value) -> i32 {
        let mut state = self.state();
        state.users.insert(user.id, user.clone());
        let id = state.next_message_id();
        let mut message = json!({ "message_id": id, "from": user.json(), "chat": user.chat(), "date": now_unix() });
        merge(&mut message, content);
        state.messages.insert((user.id, id), message.clone());
        self.queue_update(&mut state, "message", message);
        i32::try_from(id).expect("message ids fit in i32")
    }

    pub(super) fn queue_update(&self, state: &mut TgState, kind: &str, payload: Value) {
        state.last_update_id += 1;
        let mut update = json!({ "update_id": state.last_update_id });
        update[kind] = payload;
        state.pending.push_back(update);
        self.0.updates_queued.notify_waiters();
    }

    // ---- inspection ----

    /// The oldest update not delivered yet, waiting for one when none is queued (webhook mode:
    /// `webhook::push_updates` posts it).
    pub async fn next_update(&self) -> Value {
        loop {
            let queued = self.0.updates_queued.notified();
            tokio::pin!(queued);
            queued.as_mut().enable();
            {
                let mut state = self.state();
                let allowed = state.allowed_updates.clone();
                while let Some(update) = state.pending.pop_front() {
                    if wanted(allowed.as_deref(), &update) {
                        return update;
                    }
                }
            }
            queued.await;
        }
    }

    /// Puts an update that could not be delivered back at the head of the queue.
    pub fn requeue_update(&self, update: Value) {
        self.state().pending.push_front(update);
    }

    // ---- serving ----

    pub(super) async fn get_updates(&self, params: &Map<String, Value>) -> Value {
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
                let allowed = state.allowed_updates.clone();
                state
                    .pending
                    .retain(|update| wanted(allowed.as_deref(), update));
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

/// Whether Telegram delivers the update: a kind in `allowed_updates`, or, with none given, any
/// kind but those a bot must ask for by name (`chat_member` and reactions).
fn wanted(allowed: Option<&[String]>, update: &Value) -> bool {
    let Some(kind) = update_kind(update) else {
        return false;
    };
    match allowed {
        Some(allowed) => allowed.iter().any(|a| a == kind),
        None => !["chat_member", "message_reaction", "message_reaction_count"].contains(&kind),
    }
}
