//! A fake NOWPayments API v1 server: currencies, minimum amounts, payments, faults, and IPN bodies;
//! custody (JWT, balances, payouts with 2FA, conversions) is in `custody`.
//!
//! Amounts are decimal text computed with integer arithmetic and written into the JSON raw, the way
//! NOWPayments (JavaScript) prints numbers: `0.00059477`, `12`, never `12.0`.

use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::{
    Router,
    body::to_bytes,
    extract::{Request, State},
    http::{Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, value::RawValue};

mod api;
pub mod custody;
mod listing;
mod wire;

use api::*;
use wire::*;

const FIRST_PAYMENT_ID: u64 = 5_745_459_419;
const FIRST_PURCHASE_ID: u64 = 4_944_856_743;
const DEFAULT_MIN_FIAT: &str = "2.5";
/// Amounts are held as integer counts of 10⁻⁸ (a satoshi for bitcoin).
const SCALE: u128 = 100_000_000;
const DECIMALS: usize = 8;

/// A payment created through `POST /v1/payment`, with its current status.
#[derive(Clone, Debug)]
pub struct FakePayment {
    /// The request body as sent.
    pub request: Value,
    pub payment_id: String,
    pub order_id: Option<String>,
    pub order_description: Option<String>,
    pub ipn_callback_url: Option<String>,
    /// The coin amount asked of the buyer, as the JSON number text sent back.
    pub pay_amount: String,
    pub pay_address: String,
    pub pay_currency: String,
    /// The fiat price, as the JSON number text the client sent.
    pub price_amount: String,
    pub price_currency: String,
    pub status: String,
    /// What the buyer actually paid so far, as JSON number text.
    pub actually_paid: String,
    pub created_at: String,
    pub updated_at: String,
    pub updated_at_ms: u64,
}

/// A handle on a running fake NOWPayments server; clones share it.
#[derive(Clone)]
pub struct FakeNowPayments(Arc<Inner>);

struct Inner {
    addr: SocketAddr,
    api_key: String,
    state: Mutex<NpState>,
    custody: Mutex<custody::CustodyState>,
}

struct NpState {
    currencies: Vec<String>,
    currencies_calls: usize,
    min_fiat: HashMap<String, String>,
    payments: Vec<FakePayment>,
    faults: Vec<Fault>,
    delays: Vec<(String, Duration)>,
    requests: Vec<String>,
    /// Payments `GET /payment/` no longer lists (`forget_payment`).
    forgotten: std::collections::HashSet<String>,
}

struct Fault {
    path_prefix: String,
    remaining: usize,
    status: u16,
}

impl FakeNowPayments {
    /// Starts the server on 127.0.0.1 with an ephemeral port; only `api_key` is accepted.
    pub async fn start(api_key: &str) -> FakeNowPayments {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake NOWPayments");
        let addr = listener
            .local_addr()
            .expect("the fake NOWPayments' address");
        let currencies = ["btc", "eth", "usdttrc20", "sol", "ltc", "trx"]
            .map(str::to_owned)
            .to_vec();
        let fake = FakeNowPayments(Arc::new(Inner {
            addr,
            api_key: api_key.to_owned(),
            state: Mutex::new(NpState {
                currencies,
                currencies_calls: 0,
                min_fiat: HashMap::new(),
                payments: Vec::new(),
                faults: Vec::new(),
                delays: Vec::new(),
                requests: Vec::new(),
                forgotten: Default::default(),
            }),
            custody: Mutex::new(custody::CustodyState::default()),
        }));
        fake.set_balance("usdttrc20", "10000");
        let app = Router::new().fallback(handle).with_state(fake.clone());
        tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("the fake NOWPayments server")
        });
        fake
    }

    /// The API base, without a trailing slash: `http://127.0.0.1:PORT/v1`.
    pub fn url(&self) -> String {
        format!("http://{}/v1", self.0.addr)
    }

    pub fn api_key(&self) -> &str {
        &self.0.api_key
    }

    fn state(&self) -> MutexGuard<'_, NpState> {
        self.0.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces the list `GET /currencies` answers (and `POST /payment` accepts).
    pub fn currencies_calls(&self) -> usize {
        self.state().currencies_calls
    }

    /// Sets the minimum payment in dollars for `coin`, written raw as the JSON number `usd` (e.g. `12.34`).
    /// `POST /payment` below it fails with `AMOUNT_MINIMAL_ERROR`.
    pub fn set_min_fiat(&self, coin: &str, usd: &str) {
        assert!(
            parse_units(usd).is_some(),
            "set_min_fiat wants decimal text, got {usd:?}"
        );
        self.state()
            .min_fiat
            .insert(coin.to_ascii_lowercase(), usd.to_owned());
    }

    pub fn payments(&self) -> Vec<FakePayment> {
        self.state().payments.clone()
    }

    /// Every request received, as `METHOD /path?query`.
    pub fn requests(&self) -> Vec<String> {
        self.state().requests.clone()
    }

    /// Sets what `GET /payment/{id}` reports. Panics on an unknown payment.
    pub fn set_status(&self, payment_id: &str, status: &str, actually_paid: &str) {
        assert!(
            parse_units(actually_paid).is_some(),
            "actually_paid must be decimal text, got {actually_paid:?}"
        );
        let mut state = self.state();
        let payment = state
            .payments
            .iter_mut()
            .find(|payment| payment.payment_id == payment_id);
        let payment = payment.unwrap_or_else(|| panic!("no fake payment {payment_id}"));
        payment.status = status.to_owned();
        payment.actually_paid = actually_paid.to_owned();
        payment.updated_at_ms = now_ms();
        payment.updated_at = iso(payment.updated_at_ms);
    }

    /// The next `times` requests whose path starts with `path_prefix` (with or without `/v1`, e.g. `/payment`)
    /// answer `status` with an error body.
    pub fn fail_next(&self, path_prefix: &str, times: usize, status: u16) {
        self.state().faults.push(Fault {
            path_prefix: path_prefix.to_owned(),
            remaining: times,
            status,
        });
    }

    /// The next request whose path starts with `path_prefix` is answered only after `d`.
    pub fn delay_next(&self, path_prefix: &str, d: Duration) {
        self.state().delays.push((path_prefix.to_owned(), d));
    }

    /// A retry storm's IPN bodies, in order: for each payment `confirming`, then `finished`
    /// `finished_times` times (NOWPayments repeats what it was not sure got through).
    pub fn storm(&self, payments: &[FakePayment], finished_times: usize) -> Vec<String> {
        let mut bodies = Vec::new();
        for p in payments {
            bodies.push(self.ipn_body(&p.payment_id, "confirming", &p.pay_amount));
            for _ in 0..finished_times {
                bodies.push(self.ipn_body(&p.payment_id, "finished", &p.pay_amount));
            }
        }
        bodies
    }

    /// The payment IPN body NOWPayments would POST for this payment in `status`, byte for byte:
    /// its key order, numbers as raw text. Sign it with the app's own signer.
    pub fn ipn_body(&self, payment_id: &str, status: &str, actually_paid: &str) -> String {
        let state = self.state();
        let payment = state
            .payments
            .iter()
            .find(|payment| payment.payment_id == payment_id);
        let payment = payment.unwrap_or_else(|| panic!("no fake payment {payment_id}"));
        let paid = parse_units(actually_paid)
            .unwrap_or_else(|| panic!("actually_paid must be decimal text, got {actually_paid:?}"));
        let fee = JsonObject::new()
            .str("currency", &payment.pay_currency)
            .raw("depositFee", "0.09853637216235617")
            .raw("withdrawalFee", "0")
            .raw("serviceFee", "0")
            .finish();
        JsonObject::new()
            .raw("payment_id", payment_id)
            .raw("parent_payment_id", "null")
            .raw("invoice_id", "null")
            .str("payment_status", status)
            .str("pay_address", &payment.pay_address)
            .raw("payin_extra_id", "null")
            .raw("price_amount", &payment.price_amount)
            .str("price_currency", &payment.price_currency)
            .raw("pay_amount", &payment.pay_amount)
            .raw("actually_paid", &format_units(paid))
            .raw("actually_paid_at_fiat", "0")
            .str("pay_currency", &payment.pay_currency)
            .opt_str("order_id", payment.order_id.as_deref())
            .opt_str("order_description", payment.order_description.as_deref())
            .str("purchase_id", &purchase_id(payment_id))
            .raw("outcome_amount", &outcome(paid))
            .str("outcome_currency", &payment.pay_currency)
            .raw("payment_extra_ids", "null")
            .raw("fee", &fee)
            .raw("updated_at", &now_ms().to_string())
            .finish()
    }

    // ---- serving ----

    /// Takes the injected delay and fault for `path`, if any.
    fn take_faults(&self, path: &str) -> (Option<Duration>, Option<u16>) {
        let mut state = self.state();
        let unversioned = path.strip_prefix("/v1").unwrap_or(path);
        let matches = |prefix: &str| path.starts_with(prefix) || unversioned.starts_with(prefix);
        let delay = state
            .delays
            .iter()
            .position(|(prefix, _)| matches(prefix))
            .map(|i| state.delays.remove(i).1);
        let fault = state
            .faults
            .iter_mut()
            .find(|fault| fault.remaining > 0 && matches(&fault.path_prefix));
        let status = fault.map(|fault| {
            fault.remaining -= 1;
            fault.status
        });
        (delay, status)
    }
}

async fn handle(State(fake): State<FakeNowPayments>, request: Request) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query: HashMap<String, String> = request
        .uri()
        .query()
        .map(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let line = match request.uri().query() {
        Some(query) => format!("{method} {path}?{query}"),
        None => format!("{method} {path}"),
    };
    fake.state().requests.push(line);

    let (delay, fault) = fake.take_faults(&path);
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    if let Some(status) = fault {
        let code = match status {
            429 => "TOO_MANY_REQUESTS",
            503 => "SERVICE_UNAVAILABLE",
            _ => "INTERNAL_ERROR",
        };
        return np_error(status, code, "Injected failure").into_response();
    }

    let key = request
        .headers()
        .get("x-api-key")
        .and_then(|value| value.to_str().ok());
    let is_status = method == Method::GET && path == "/v1/status";
    if !is_status && key != Some(fake.api_key()) {
        return np_error(403, "INVALID_API_KEY", "Invalid api key").into_response();
    }

    let headers = request.headers().clone();
    let body = match to_bytes(request.into_body(), 1024 * 1024).await {
        Ok(body) => body,
        Err(_) => return invalid_params("Body too large").into_response(),
    };
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    if let Some((result, hold)) = fake.custody_route(&method, &segments, &headers, &query, &body) {
        if let Some(hold) = hold {
            tokio::time::sleep(hold).await;
        }
        return result.unwrap_or_else(IntoResponse::into_response);
    }
    let result = match (&method, segments.as_slice()) {
        (&Method::GET, ["v1", "status"]) => {
            Ok(json_response(200, r#"{"message":"OK"}"#.to_owned()))
        }
        (&Method::GET, ["v1", "currencies"]) => Ok(fake.currencies()),
        (&Method::GET, ["v1", "min-amount"]) => fake.min_amount(&query),
        (&Method::POST, ["v1", "payment"]) => fake.create_payment(&body),
        (&Method::GET, ["v1", "payment", id]) => fake.payment_status(id),
        (&Method::POST, ["v1", "payout", "validate-address"]) => fake.validate_address(&body),
        _ => Err(np_error(
            404,
            "NOT_FOUND",
            format!("Cannot {method} {path}"),
        )),
    };
    result.unwrap_or_else(IntoResponse::into_response)
}
