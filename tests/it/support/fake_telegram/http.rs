//! The HTTP side: reading a Bot API request's parameters and files, the answer envelope, the
//! method route and file downloads.

use super::*;

/// Parameters from the query string and from a JSON, multipart or urlencoded body, plus file uploads.
pub(super) async fn read_params(
    request: Request,
) -> Result<(Map<String, Value>, Vec<Upload>), String> {
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

pub(super) fn telegram_reply(result: Result<Value, ApiError>) -> Response {
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

pub(super) async fn api(
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
    // A slow Telegram: the answer to this method waits (`delay_next`).
    let delay = fake
        .state()
        .delays
        .get_mut(&method.to_ascii_lowercase())
        .and_then(VecDeque::pop_front);
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
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
        let webhook_set = !state.webhook_url.is_empty();
        failing
            .or_else(|| {
                (blocked && sending).then(|| Failure {
                    error_code: 403,
                    description: "Forbidden: bot was blocked by the user".to_owned(),
                })
            })
            .or_else(|| {
                (webhook_set && method.eq_ignore_ascii_case("getUpdates")).then(|| Failure {
                    error_code: 409,
                    description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first".to_owned(),
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
    // Members whose status the call changed: `chat_member` updates, as Telegram sends them.
    for update in std::mem::take(&mut state.group.member_updates) {
        fake.queue_update(&mut state, "chat_member", update);
    }
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
pub(super) async fn download(
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
