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

pub mod custody;

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
}

struct Fault {
    path_prefix: String,
    remaining: usize,
    status: u16,
}

/// An error answer in NOWPayments' shape.
struct NpError {
    status: u16,
    code: &'static str,
    message: String,
}

fn np_error(status: u16, code: &'static str, message: impl Into<String>) -> NpError {
    NpError {
        status,
        code,
        message: message.into(),
    }
}

fn invalid_params(message: impl Into<String>) -> NpError {
    np_error(400, "INVALID_REQUEST_PARAMS", message)
}

impl IntoResponse for NpError {
    fn into_response(self) -> Response {
        let body = JsonObject::new()
            .raw("status", "false")
            .raw("statusCode", &self.status.to_string())
            .str("code", self.code)
            .str("message", &self.message)
            .finish();
        json_response(self.status, body)
    }
}

fn json_response(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Writes a JSON object key by key, keeping the key order and each number's text as given.
struct JsonObject(String);

impl JsonObject {
    fn new() -> Self {
        Self(String::from("{"))
    }

    /// A value that is already JSON text: a number, `null`, `true`, an object.
    fn raw(mut self, key: &str, json: &str) -> Self {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        self.0
            .push_str(&serde_json::to_string(key).expect("strings serialise"));
        self.0.push(':');
        self.0.push_str(json);
        self
    }

    fn str(self, key: &str, value: &str) -> Self {
        let json = serde_json::to_string(value).expect("strings serialise");
        self.raw(key, &json)
    }

    fn opt_str(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.str(key, value),
            None => self.raw(key, "null"),
        }
    }

    fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// Parses non-negative decimal text (`12`, `25.70`, `0.00051400`) into 10⁻⁸ units; digits past 8 are cut.
fn parse_units(text: &str) -> Option<u128> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let fraction: String = fraction
        .chars()
        .chain(std::iter::repeat('0'))
        .take(DECIMALS)
        .collect();
    Some(whole.parse::<u128>().ok()? * SCALE + fraction.parse::<u128>().ok()?)
}

/// Prints 10⁻⁸ units like JavaScript prints a number: no trailing zeros, no trailing point.
fn format_units(units: u128) -> String {
    let whole = units / SCALE;
    let fraction = format!("{:0width$}", units % SCALE, width = DECIMALS);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{fraction}")
    }
}

/// The fake's exchange rate: US dollars per coin, as a fraction.
fn usd_per_coin(coin: &str) -> (u128, u128) {
    match coin {
        "btc" => (43_210, 1),
        "eth" => (2_345, 1),
        "sol" => (137, 1),
        "ltc" => (71, 1),
        "trx" => (1, 4),
        "ton" => (5, 1),
        coin if coin.starts_with("usdt") || coin.starts_with("usdc") => (1, 1),
        _ => (10, 1),
    }
}

/// Converts a dollar amount into the coin at the fake's rate, rounding down to 8 decimals.
fn usd_to_coin(usd_units: u128, coin: &str) -> u128 {
    let (usd, per_coins) = usd_per_coin(coin);
    usd_units * per_coins / usd
}

fn network(coin: &str) -> &str {
    match coin {
        "usdttrc20" => "trx",
        "usdterc20" => "eth",
        "usdtsol" => "sol",
        coin => coin,
    }
}

fn address_for(coin: &str, payment_id: u64) -> String {
    match network(coin) {
        "btc" => format!("bc1qfake{payment_id}"),
        "eth" => format!("0xfake{payment_id:0>34}"),
        "trx" => format!("TFake{payment_id:0>29}"),
        "ltc" => format!("ltc1qfake{payment_id}"),
        "sol" => format!("So1Fake{payment_id:0>30}"),
        other => format!("{other}-fake-{payment_id}"),
    }
}

fn now_ms() -> u64 {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis();
    u64::try_from(ms).expect("a sane clock")
}

/// An ISO 8601 UTC timestamp with milliseconds, as NOWPayments writes them: `2020-12-22T15:00:22.742Z`.
fn iso(ms: u64) -> String {
    let secs = ms / 1000;
    let days = i64::try_from(secs / 86_400).expect("a sane date");
    let rem = secs % 86_400;
    // Civil-from-days (H. Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
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

    fn currencies(&self) -> Response {
        let mut state = self.state();
        state.currencies_calls += 1;
        let list = serde_json::to_string(&state.currencies).expect("strings serialise");
        json_response(200, JsonObject::new().raw("currencies", &list).finish())
    }

    fn min_amount(&self, query: &HashMap<String, String>) -> Result<Response, NpError> {
        let coin = query
            .get("currency_from")
            .map(|coin| coin.to_ascii_lowercase())
            .unwrap_or_default();
        let to = query
            .get("currency_to")
            .map(|coin| coin.to_ascii_lowercase())
            .unwrap_or_else(|| coin.clone());
        let state = self.state();
        if !state
            .currencies
            .iter()
            .any(|known| known.eq_ignore_ascii_case(&coin))
        {
            return Err(invalid_params(format!("Currency {coin} was not found")));
        }
        let fiat = state
            .min_fiat
            .get(&coin)
            .cloned()
            .unwrap_or_else(|| DEFAULT_MIN_FIAT.to_owned());
        let min_coin = usd_to_coin(parse_units(&fiat).expect("checked by set_min_fiat"), &coin);
        let mut body = JsonObject::new()
            .str("currency_from", &coin)
            .str("currency_to", &to)
            .raw("min_amount", &format_units(min_coin));
        if query.contains_key("fiat_equivalent") {
            body = body.raw("fiat_equivalent", &fiat);
        }
        Ok(json_response(200, body.finish()))
    }

    /// `POST /payout/validate-address`: plain text `OK` (200) for a well-formed address, the
    /// JSON error NOWPayments gives (400) otherwise.
    fn validate_address(&self, body: &[u8]) -> Result<Response, NpError> {
        let request: Value =
            serde_json::from_slice(body).map_err(|_| invalid_params("Invalid JSON body"))?;
        let address = request["address"]
            .as_str()
            .ok_or_else(|| invalid_params("address is required"))?;
        let currency = request["currency"]
            .as_str()
            .ok_or_else(|| invalid_params("currency is required"))?;
        let valid = match currency {
            "usdttrc20" | "trx" => {
                address.len() == 34
                    && address.starts_with('T')
                    && address.chars().all(|c| c.is_ascii_alphanumeric())
            }
            "eth" | "usdterc20" => {
                address.len() == 42
                    && address.starts_with("0x")
                    && address[2..].chars().all(|c| c.is_ascii_hexdigit())
            }
            _ => !address.is_empty(),
        };
        if valid {
            Ok((StatusCode::OK, "OK").into_response())
        } else {
            Err(np_error(
                400,
                "BAD_CREATE_WITHDRAWAL_REQUEST",
                format!("Invalid payout_address: {address}"),
            ))
        }
    }

    fn create_payment(&self, body: &[u8]) -> Result<Response, NpError> {
        let request: Value =
            serde_json::from_slice(body).map_err(|_| invalid_params("Invalid JSON body"))?;
        let raw: HashMap<String, Box<RawValue>> = serde_json::from_slice(body)
            .map_err(|_| invalid_params("Body must be a JSON object"))?;
        let text = |key: &str| -> Option<String> {
            match request.get(key)? {
                Value::String(text) => Some(text.clone()),
                Value::Number(number) => Some(number.to_string()),
                _ => None,
            }
        };
        // Keep the price's number text exactly as sent.
        let price_amount = match request.get("price_amount") {
            Some(Value::Number(_)) => raw["price_amount"].get().to_owned(),
            Some(Value::String(text)) => text.clone(),
            _ => return Err(invalid_params("\"price_amount\" is required")),
        };
        let price_units = parse_units(&price_amount).filter(|units| *units > 0);
        let price_units = price_units
            .ok_or_else(|| invalid_params("\"price_amount\" must be a positive number"))?;
        let price_currency = text("price_currency")
            .ok_or_else(|| invalid_params("\"price_currency\" is required"))?
            .to_ascii_lowercase();
        let pay_currency = text("pay_currency")
            .ok_or_else(|| invalid_params("\"pay_currency\" is required"))?
            .to_ascii_lowercase();

        let mut state = self.state();
        if !state
            .currencies
            .iter()
            .any(|known| known.eq_ignore_ascii_case(&pay_currency))
        {
            return Err(invalid_params(format!(
                "Currency {pay_currency} was not found"
            )));
        }
        let min_fiat = state
            .min_fiat
            .get(&pay_currency)
            .map_or(DEFAULT_MIN_FIAT, String::as_str);
        if price_units < parse_units(min_fiat).expect("checked by set_min_fiat") {
            return Err(np_error(
                400,
                "AMOUNT_MINIMAL_ERROR",
                "amountTo is too small",
            ));
        }

        let id = FIRST_PAYMENT_ID + state.payments.len() as u64;
        let payment_id = id.to_string();
        let now = now_ms();
        let payment = FakePayment {
            request: request.clone(),
            payment_id: payment_id.clone(),
            order_id: text("order_id"),
            order_description: text("order_description"),
            ipn_callback_url: text("ipn_callback_url"),
            pay_amount: format_units(usd_to_coin(price_units, &pay_currency)),
            pay_address: address_for(&pay_currency, id),
            pay_currency: pay_currency.clone(),
            price_amount: price_amount.clone(),
            price_currency,
            status: "waiting".to_owned(),
            actually_paid: "0".to_owned(),
            created_at: iso(now),
            updated_at: iso(now),
            updated_at_ms: now,
        };
        let body = JsonObject::new()
            .str("payment_id", &payment_id)
            .str("payment_status", &payment.status)
            .str("pay_address", &payment.pay_address)
            .raw("price_amount", &payment.price_amount)
            .str("price_currency", &payment.price_currency)
            .raw("pay_amount", &payment.pay_amount)
            .str("pay_currency", &payment.pay_currency)
            .opt_str("order_id", payment.order_id.as_deref())
            .opt_str("order_description", payment.order_description.as_deref())
            .opt_str("ipn_callback_url", payment.ipn_callback_url.as_deref())
            .str("created_at", &payment.created_at)
            .str("updated_at", &payment.updated_at)
            .str("purchase_id", &purchase_id(&payment_id))
            .raw("amount_received", "null")
            .raw("payin_extra_id", "null")
            .str("smart_contract", "")
            .str("network", network(&pay_currency))
            .raw("network_precision", "8")
            .raw("time_limit", "null")
            .raw("burning_percent", "null")
            .str("expiration_estimate_date", &iso(now + 20 * 60 * 1000))
            .str("valid_until", &iso(now + 7 * 24 * 3600 * 1000))
            .str("type", "crypto2crypto")
            .finish();
        state.payments.push(payment);
        Ok(json_response(201, body))
    }

    fn payment_status(&self, payment_id: &str) -> Result<Response, NpError> {
        let state = self.state();
        let payment = state
            .payments
            .iter()
            .find(|payment| payment.payment_id == payment_id);
        let payment =
            payment.ok_or_else(|| np_error(404, "PAYMENT_NOT_FOUND", "Payment not found"))?;
        let paid = parse_units(&payment.actually_paid).expect("checked by set_status");
        let body = JsonObject::new()
            .raw("payment_id", &payment.payment_id)
            .str("payment_status", &payment.status)
            .str("pay_address", &payment.pay_address)
            .raw("payin_extra_id", "null")
            .raw("price_amount", &payment.price_amount)
            .str("price_currency", &payment.price_currency)
            .raw("pay_amount", &payment.pay_amount)
            .raw("actually_paid", &format_units(paid))
            .str("pay_currency", &payment.pay_currency)
            .opt_str("order_id", payment.order_id.as_deref())
            .opt_str("order_description", payment.order_description.as_deref())
            .str("purchase_id", &purchase_id(&payment.payment_id))
            .raw("outcome_amount", &outcome(paid))
            .str("outcome_currency", &payment.pay_currency)
            .raw("payout_hash", "null")
            .raw("payin_hash", "null")
            .str("created_at", &payment.created_at)
            .str("updated_at", &payment.updated_at)
            .str("type", "crypto2crypto")
            .finish();
        Ok(json_response(200, body))
    }
}

fn purchase_id(payment_id: &str) -> String {
    let id: u64 = payment_id.parse().expect("fake payment ids are numbers");
    (id - FIRST_PAYMENT_ID + FIRST_PURCHASE_ID).to_string()
}

/// What reaches the merchant after NOWPayments' 0.5% fee.
fn outcome(paid_units: u128) -> String {
    format_units(paid_units * 995 / 1000)
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
