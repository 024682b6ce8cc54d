//! NOWPayments' wire habits: its error shape, JSON written key by key with numbers as JavaScript
//! prints them, amounts in 10⁻⁸ units, the fake's exchange rates, addresses and timestamps.

use super::*;

/// An error answer in NOWPayments' shape.
pub(super) struct NpError {
    pub(super) status: u16,
    pub(super) code: &'static str,
    pub(super) message: String,
}

pub(super) fn np_error(status: u16, code: &'static str, message: impl Into<String>) -> NpError {
    NpError {
        status,
        code,
        message: message.into(),
    }
}

pub(super) fn invalid_params(message: impl Into<String>) -> NpError {
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

pub(super) fn json_response(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Writes a JSON object key by key, keeping the key order and each number's text as given.
pub(super) struct JsonObject(String);

impl JsonObject {
    pub(super) fn new() -> Self {
        Self(String::from("{"))
    }

    /// A value that is already JSON text: a number, `null`, `true`, an object.
    pub(super) fn raw(mut self, key: &str, json: &str) -> Self {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        self.0
            .push_str(&serde_json::to_string(key).expect("strings serialise"));
        self.0.push(':');
        self.0.push_str(json);
        self
    }

    pub(super) fn str(self, key: &str, value: &str) -> Self {
        let json = serde_json::to_string(value).expect("strings serialise");
        self.raw(key, &json)
    }

    pub(super) fn opt_str(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.str(key, value),
            None => self.raw(key, "null"),
        }
    }

    pub(super) fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// Parses non-negative decimal text (`12`, `25.70`, `0.00051400`) into 10⁻⁸ units; digits past 8 are cut.
pub(super) fn parse_units(text: &str) -> Option<u128> {
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
pub(super) fn format_units(units: u128) -> String {
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
pub(super) fn usd_per_coin(coin: &str) -> (u128, u128) {
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
pub(super) fn usd_to_coin(usd_units: u128, coin: &str) -> u128 {
    let (usd, per_coins) = usd_per_coin(coin);
    usd_units * per_coins / usd
}

pub(super) fn network(coin: &str) -> &str {
    match coin {
        "usdttrc20" => "trx",
        "usdterc20" => "eth",
        "usdtsol" => "sol",
        coin => coin,
    }
}

pub(super) fn address_for(coin: &str, payment_id: u64) -> String {
    match network(coin) {
        "btc" => format!("bc1qfake{payment_id}"),
        "eth" => format!("0xfake{payment_id:0>34}"),
        "trx" => format!("TFake{payment_id:0>29}"),
        "ltc" => format!("ltc1qfake{payment_id}"),
        "sol" => format!("So1Fake{payment_id:0>30}"),
        other => format!("{other}-fake-{payment_id}"),
    }
}

pub(super) fn now_ms() -> u64 {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis();
    u64::try_from(ms).expect("a sane clock")
}

/// An ISO 8601 UTC timestamp with milliseconds, as NOWPayments writes them: `2020-12-22T15:00:22.742Z`.
pub(super) fn iso(ms: u64) -> String {
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
