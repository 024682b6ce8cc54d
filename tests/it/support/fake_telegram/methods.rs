//! The Bot API methods the fake answers (all but `getUpdates`), and message edits.

use super::*;

impl TgState {
    /// Answers one Bot API method (all but `getUpdates`).
    pub(super) fn answer(
        &mut self,
        method: &str,
        p: &Map<String, Value>,
        uploads: &[Upload],
    ) -> Result<Value, ApiError> {
        let lower = method.to_ascii_lowercase();
        if chats::METHODS.contains(&lower.as_str()) {
            return self.chats_answer(&lower, p);
        }
        match lower.as_str() {
            "getme" => Ok(me()),
            "sendmessage" => {
                let (text, entities) = checked(p, "text", 4096)?
                    .ok_or_else(|| bad_request("message text is empty"))?;
                let mut content = json!({ "text": text });
                with_entities(&mut content, "entities", entities);
                // Formatting given as entities (no parse mode): each must lie inside the text.
                if let Some(given) = p.get("entities").map(json_value) {
                    let units = utf16_len(content["text"].as_str().unwrap_or_default()) as u64;
                    for e in given.as_array().into_iter().flatten() {
                        let (offset, length) = (e["offset"].as_u64(), e["length"].as_u64());
                        match (offset, length) {
                            (Some(o), Some(l)) if l > 0 && o + l <= units => {}
                            _ => {
                                return Err(bad_request(
                                    "can't parse entities: entity is out of the text",
                                ));
                            }
                        }
                    }
                    content["entities"] = given;
                }
                self.bot_message(p, content)
            }
            "sendphoto" => {
                let photo = self.input_file(p, uploads, "photo", FileKind::Photo)?;
                let mut content = json!({ "photo": [photo] });
                if let Some((caption, entities)) = checked(p, "caption", 1024)? {
                    content["caption"] = json!(caption);
                    with_entities(&mut content, "caption_entities", entities);
                }
                self.bot_message(p, content)
            }
            "senddocument" => {
                let document = self.input_file(p, uploads, "document", FileKind::Document)?;
                let mut content = json!({ "document": document });
                if let Some((caption, entities)) = checked(p, "caption", 1024)? {
                    content["caption"] = json!(caption);
                    with_entities(&mut content, "caption_entities", entities);
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
            "editmessagemedia" => self.edit_media(p, uploads),
            "answerinlinequery" => self.answer_inline(p),
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
            "getmycommands" => self.get_my_commands(p),
            "setmycommands" => self.set_my_commands(p),
            "setmydescription" => self.set_description(p, "description", 512),
            "setmyshortdescription" => self.set_description(p, "short_description", 120),
            "getwebhookinfo" => Ok(
                json!({ "url": self.webhook_url, "has_custom_certificate": false, "pending_update_count": self.pending.len() }),
            ),
            "setwebhook" => {
                let url = p.get("url").and_then(Value::as_str).unwrap_or_default();
                if !url.is_empty() && !url.starts_with("https://") {
                    return Err(bad_request(
                        "bad webhook: An HTTPS URL must be provided for webhook",
                    ));
                }
                self.webhook_url = url.to_owned();
                // Like getUpdates: the kinds to deliver hold until changed.
                if let Some(Value::Array(allowed)) = p.get("allowed_updates").map(json_value) {
                    let allowed: Vec<String> = allowed
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    self.allowed_updates = (!allowed.is_empty()).then_some(allowed);
                }
                Ok(json!(true))
            }
            "setchatmenubutton" => {
                let button = p
                    .get("menu_button")
                    .map(json_value)
                    .unwrap_or(json!({"type": "default"}));
                match button["type"].as_str() {
                    Some("default" | "commands") => {}
                    Some("web_app") => {
                        let url = button["web_app"]["url"].as_str().unwrap_or_default();
                        if button["text"].as_str().is_none_or(str::is_empty) {
                            return Err(bad_request("BUTTON_TEXT_INVALID"));
                        }
                        if !url.starts_with("https://") {
                            return Err(bad_request("WEB_APP_URL_INVALID"));
                        }
                    }
                    _ => return Err(bad_request("BUTTON_TYPE_INVALID")),
                }
                self.menu_button = Some(button);
                Ok(json!(true))
            }
            "deletewebhook" => {
                self.webhook_url.clear();
                Ok(json!(true))
            }
            // deleteWebhook, setMyCommands, answerInlineQuery, answerPreCheckoutQuery, sendChatAction, …
            _ => Ok(json!(true)),
        }
    }

    /// The bot's message an edit names (`chat_id`, `message_id`), with its key.
    pub(super) fn editable(&self, p: &Map<String, Value>) -> Result<((i64, i64), Value), ApiError> {
        let key = self.message_key(p, "chat_id", "message_id")?;
        let original = self
            .messages
            .get(&key)
            .cloned()
            .ok_or_else(|| bad_request("message to edit not found"))?;
        if original["from"]["id"].as_i64() != Some(BOT_ID) {
            return Err(bad_request("message can't be edited"));
        }
        Ok((key, original))
    }

    pub(super) fn edit(&mut self, p: &Map<String, Value>, edit: Edit) -> Result<Value, ApiError> {
        if p.contains_key("inline_message_id") {
            return Ok(json!(true));
        }
        let (key, original) = self.editable(p)?;
        let mut edited = original.clone();
        match edit {
            Edit::Text => {
                if original.get("text").is_none() {
                    return Err(bad_request("there is no text in the message to edit"));
                }
                let text =
                    checked(p, "text", 4096).map_err(|error| match error.description.as_str() {
                        "Bad Request: message is too long" => bad_request("MESSAGE_TOO_LONG"),
                        _ => error,
                    })?;
                let (text, entities) = text.ok_or_else(|| bad_request("message text is empty"))?;
                edited["text"] = json!(text);
                edited
                    .as_object_mut()
                    .expect("messages are objects")
                    .remove("entities");
                with_entities(&mut edited, "entities", entities);
            }
            Edit::Caption => {
                let has_media = ["photo", "document", "video", "animation", "audio", "voice"]
                    .iter()
                    .any(|key| original.get(key).is_some());
                if !has_media {
                    return Err(bad_request("there is no caption in the message to edit"));
                }
                let object = edited.as_object_mut().expect("messages are objects");
                object.remove("caption_entities");
                match checked(p, "caption", 1024)? {
                    Some((caption, entities)) => {
                        object.insert("caption".to_owned(), json!(caption));
                        with_entities(&mut edited, "caption_entities", entities);
                    }
                    None => {
                        object.remove("caption");
                    }
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

/// Adds the parse mode's entities to a message, as Telegram does when there are any.
fn with_entities(message: &mut Value, key: &str, entities: Vec<Value>) {
    if !entities.is_empty() {
        message[key] = json!(entities);
    }
}

#[derive(Clone, Copy)]
pub(super) enum Edit {
    Text,
    Caption,
    ReplyMarkup,
}
