//! A fake NexPay instance (`/api/v1`), following NexPay's own code (see ../shared/docs/nexpay.md):
//! `x-api-key` auth, strict bodies (unknown fields are refused), `{statusCode, message, data}`
//! answers, payment sessions checked out with "wave" or "om", and webhook bodies as NexPay sends
//! them (not signed: the secret goes in a header).

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

pub const WRITE_KEY: &str = "nexpay-write-key-0123456789";
pub const PROJECT_ID: &str = "3f1c2a9e-souk-project";
pub const WEBHOOK_SECRET: &str = "whsec-nexpay-shared-secret";
/// XOF per USD.
pub const USD_RATE: &str = "605.5";

/// A 1×1 PNG, as Orange Money's base64 QR stands in for.
const PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

#[derive(Clone, Debug)]
pub struct FakeSession {
    pub id: String,
    /// The initiate body as sent.
    pub request: Value,
    /// "opened" until resolved, then NexPay's transaction status (SUCCEEDED, FAILED…).
    pub status: String,
    pub provider: Option<String>,
    pub reference: Option<String>,
    /// An hour after it opened, as NexPay sets it.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

impl FakeSession {
    /// NexPay serves a session only while it is opened and not past its expiry.
    fn is_open(&self) -> bool {
        self.status == "opened" && chrono::Utc::now() < self.expires_at
    }
}

#[derive(Default)]
struct NxState {
    sessions: Vec<FakeSession>,
    requests: Vec<String>,
    /// Checkouts that start the payment but answer 500 (a failure after success).
    failing_checkouts: usize,
}

/// A date as NexPay (Prisma) writes it.
fn iso(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A handle on a running fake NexPay; clones share it.
#[derive(Clone)]
pub struct FakeNexpay(Arc<Inner>);

struct Inner {
    addr: SocketAddr,
    state: Mutex<NxState>,
}

fn answer(status: StatusCode, message: &str, data: Value) -> Response {
    let body = if status.is_success() {
        json!({ "statusCode": status.as_u16(), "message": message, "data": data })
    } else {
        json!({ "statusCode": status.as_u16(), "message": message, "details": data })
    };
    (status, axum::Json(body)).into_response()
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("x-api-key").and_then(|v| v.to_str().ok()) == Some(WRITE_KEY)
}

/// A write request's JSON body, or NexPay's 401 (bad key) or 400 (not JSON).
fn authorized_json(headers: &HeaderMap, body: &[u8]) -> Result<Value, Box<Response>> {
    if !authorized(headers) {
        return Err(Box::new(answer(
            StatusCode::UNAUTHORIZED,
            "Invalid API key",
            json!(null),
        )));
    }
    serde_json::from_slice::<Value>(body).map_err(|_| {
        Box::new(answer(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            json!(["invalid JSON"]),
        ))
    })
}

/// class-validator with `forbidNonWhitelisted`: every unknown property is an error.
fn unknown_fields(body: &Value, allowed: &[&str]) -> Vec<String> {
    body.as_object()
        .map(|o| {
            o.keys()
                .filter(|k| !allowed.contains(&k.as_str()))
                .map(|k| format!("property {k} should not exist"))
                .collect()
        })
        .unwrap_or_else(|| vec!["body must be an object".into()])
}

async fn initiate(State(fake): State<FakeNexpay>, headers: HeaderMap, body: Bytes) -> Response {
    fake.log("POST /api/v1/payment/session/initiate");
    let body = match authorized_json(&headers, &body) {
        Ok(body) => body,
        Err(refused) => return *refused,
    };
    let mut errors = unknown_fields(
        &body,
        &[
            "amount",
            "currency",
            "userId",
            "name",
            "phone",
            "email",
            "client_reference",
            "projectId",
            "metadata",
            "successUrl",
            "failureUrl",
            "items",
        ],
    );
    if !body["amount"].is_number() {
        errors.push("amount must be a number".into());
    }
    for field in ["phone", "client_reference", "projectId"] {
        if !body[field].is_string() {
            errors.push(format!("{field} must be a string"));
        }
    }
    if !errors.is_empty() {
        return answer(StatusCode::BAD_REQUEST, "Bad Request", json!(errors));
    }
    if body["projectId"] != PROJECT_ID {
        return answer(
            StatusCode::NOT_FOUND,
            "This project does not exist",
            json!(null),
        );
    }
    let mut state = fake.state();
    let id = format!("cmsess{:06}souk", state.sessions.len() + 1);
    let expires_at = chrono::Utc::now() + chrono::Duration::hours(1);
    state.sessions.push(FakeSession {
        id: id.clone(),
        request: body,
        status: "opened".into(),
        provider: None,
        reference: None,
        expires_at,
    });
    answer(
        StatusCode::CREATED,
        "Payment session successfully initiated",
        json!({
            "sessionId": id,
            "checkoutUrl": format!("http://{}/checkout/{id}", fake.0.addr),
            "status": "opened",
            "expiresAt": iso(expires_at),
        }),
    )
}

async fn checkout(
    State(fake): State<FakeNexpay>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    fake.log(&format!("POST /api/v1/payment/session/{id}/checkout"));
    let body = match authorized_json(&headers, &body) {
        Ok(body) => body,
        Err(refused) => return *refused,
    };
    let errors = unknown_fields(&body, &["provider", "metadata", "successUrl", "cancelUrl"]);
    if !errors.is_empty() {
        return answer(StatusCode::BAD_REQUEST, "Bad Request", json!(errors));
    }
    let provider = body["provider"].as_str().unwrap_or_default().to_string();
    let (name, qr) = match provider.as_str() {
        "wave" => ("Wave", json!({ "url": "https://pay.wave.com/qr/fake.png" })),
        "om" => ("Orange Money", json!({ "data": PNG_BASE64 })),
        _ => {
            return answer(
                StatusCode::NOT_FOUND,
                "Provider not valid for this organization",
                json!(null),
            );
        }
    };
    let mut state = fake.state();
    let n = state.sessions.len();
    let Some(session) = state
        .sessions
        .iter_mut()
        .find(|s| s.id == id && s.is_open())
    else {
        return answer(
            StatusCode::NOT_FOUND,
            "Checkout session not found or expired",
            json!(null),
        );
    };
    let reference = format!("NEXPAY_TX_{:016X}", 0xA11CE000 + n);
    session.provider = Some(provider.clone());
    session.reference = Some(reference.clone());
    let request = session.request.clone();
    if state.failing_checkouts > 0 {
        state.failing_checkouts -= 1;
        return answer(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal server error",
            json!(null),
        );
    }
    let url = match provider.as_str() {
        "wave" => format!("https://pay.wave.com/c/{reference}"),
        _ => format!("https://mpayment.orange-money.com/sn/pay/{reference}"),
    };
    answer(
        StatusCode::OK,
        "Payment data successfully fetched",
        json!({
            "amount": request["amount"],
            "provider": { "id": "prov-1", "name": name, "code": provider, "logoUrl": null },
            "currency": request["currency"],
            "reference": reference,
            "payer": { "name": request["name"], "phone": request["phone"] },
            "checkout_urls": [{ "name": name, "url": url, "thumb": null }],
            "qr_code": qr,
            // The provider's link lasts less than its session.
            "expiration": iso(chrono::Utc::now() + chrono::Duration::minutes(30)),
        }),
    )
}

async fn session(
    State(fake): State<FakeNexpay>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    fake.log(&format!("GET /api/v1/payment/session/{id}"));
    if !authorized(&headers) {
        return answer(StatusCode::UNAUTHORIZED, "Invalid API key", json!(null));
    }
    // NexPay's getSession selects `status: opened, expiresAt > now`: a session resolved (paid
    // or failed, NexPay closes it either way) or past its hour is a 404.
    let found = fake.state().sessions.iter().find(|s| s.id == id).cloned();
    match found {
        Some(s) if s.is_open() => answer(
            StatusCode::OK,
            "Payment session successfully initiated",
            json!({
                "id": s.id,
                "amount": s.request["amount"],
                "currency": s.request["currency"],
                "clientReference": s.request["client_reference"],
                "status": "opened",
                "expiresAt": iso(s.expires_at),
            }),
        ),
        _ => answer(
            StatusCode::NOT_FOUND,
            "Checkout session not found or expired",
            json!(null),
        ),
    }
}

impl FakeNexpay {
    pub async fn start() -> FakeNexpay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let fake = FakeNexpay(Arc::new(Inner {
            addr,
            state: Mutex::new(NxState::default()),
        }));
        let app = Router::new()
            .route("/api/v1/payment/session/initiate", post(initiate))
            .route("/api/v1/payment/session/{id}/checkout", post(checkout))
            .route("/api/v1/payment/session/{id}", get(session))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        fake
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.0.addr)
    }

    /// The settings souk needs to use this fake.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("NEXPAY_URL", self.url()),
            ("NEXPAY_WRITE_KEY", WRITE_KEY.into()),
            ("NEXPAY_PROJECT_ID", PROJECT_ID.into()),
            ("NEXPAY_WEBHOOK_SECRET", WEBHOOK_SECRET.into()),
            ("NEXPAY_USD_RATE", USD_RATE.into()),
        ]
    }

    fn state(&self) -> MutexGuard<'_, NxState> {
        self.0.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn log(&self, line: &str) {
        self.state().requests.push(line.to_string());
    }

    pub fn requests(&self) -> Vec<String> {
        self.state().requests.clone()
    }

    /// The next checkout starts the provider's payment, then answers 500.
    pub fn fail_next_checkout(&self) {
        self.state().failing_checkouts += 1;
    }

    pub fn sessions(&self) -> Vec<FakeSession> {
        self.state().sessions.clone()
    }

    /// The provider settles the session's payment with `status` (SUCCEEDED, FAILED…) and paid
    /// `amount` (decimal text). Returns the webhook body NexPay would send.
    pub fn resolve(&self, session_id: &str, status: &str, amount: &str) -> Value {
        let mut state = self.state();
        let s = state
            .sessions
            .iter_mut()
            .find(|s| s.id == session_id)
            .expect("a session the fake created");
        s.status = status.to_string();
        let kind = if status == "SUCCEEDED" {
            "payment.succeeded"
        } else {
            "payment.failed"
        };
        json!({
            "type": kind,
            "data": {
                "amount": amount,
                "client_reference": s.request["client_reference"],
                "status": status,
                "resolvedAt": if status == "SUCCEEDED" { json!("2026-11-21T10:00:00.000Z") } else { json!(null) },
                "payer": {
                    "userId": null,
                    "userPhone": s.request["phone"],
                    "userEmail": null,
                    "UserName": s.request["name"],
                },
                "provider": { "name": if s.provider.as_deref() == Some("om") { "Orange Money" } else { "Wave" } },
                "project": { "id": PROJECT_ID, "name": "souk" },
                "metadata": s.request["metadata"],
            }
        })
    }
}
