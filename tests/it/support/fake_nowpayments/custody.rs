//! The fake's custody side: `POST /auth` (JWTs that live five minutes), `GET /balance`,
//! `POST /payout`, `POST /payout/{id}/verify` (a real TOTP check, plain-text `OK`),
//! `GET /payout/{id}` (an array), `GET /payout` (a page), `POST /conversion`, `GET /conversion/{id}`,
//! and the payout IPN bodies. Statuses are in capitals, as NOWPayments sends them.

use super::{
    FakeNowPayments, JsonObject, NpError, invalid_params, iso, json_response, now_ms, np_error,
};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha1::Sha1;
use std::collections::{BTreeMap, HashMap, HashSet};

pub const EMAIL: &str = "ops@souk.example";
pub const PASSWORD: &str = "np-test-password";
/// The 2FA secret as NOWPayments shows it (base32 of "12345678901234567890").
pub const TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const TOTP_KEY: &[u8] = b"12345678901234567890";
const JWT_LIFETIME_MS: u64 = 5 * 60 * 1000;
const FIRST_BATCH_ID: u64 = 5_000_000_713;
const FIRST_WITHDRAWAL_ID: u64 = 5_000_000_000;

/// One withdrawal as the fake keeps it.
#[derive(Clone, Debug)]
pub struct FakeWithdrawal {
    pub id: String,
    pub batch_id: String,
    pub address: String,
    pub currency: String,
    /// The amount text as the client sent it.
    pub amount: String,
    pub status: String,
    pub hash: Option<String>,
    pub error: Option<String>,
    pub unique_external_id: Option<String>,
    pub ipn_callback_url: Option<String>,
    pub created_at: String,
}

#[derive(Clone, Debug)]
pub struct FakeBatch {
    pub id: String,
    pub withdrawals: Vec<FakeWithdrawal>,
    pub verified: bool,
    pub verify_attempts: u32,
}

#[derive(Clone, Debug)]
pub struct FakeConversion {
    pub id: String,
    pub from_currency: String,
    pub to_currency: String,
    pub from_amount: String,
    pub to_amount: String,
    pub status: String,
}

#[derive(Default)]
pub struct CustodyState {
    tokens: Vec<(String, u64)>,
    pub auth_calls: usize,
    /// Coin → amount text.
    balances: BTreeMap<String, String>,
    batches: Vec<FakeBatch>,
    used_codes: HashSet<String>,
    pub verify_calls: usize,
    conversions: Vec<FakeConversion>,
    /// "METHOD /path" prefixes whose next answer is lost after the work is done.
    lose: Vec<String>,
    /// "METHOD /path" prefixes whose next answer waits.
    holds: Vec<(String, std::time::Duration)>,
}

/// HOTP (RFC 4226) with HMAC-SHA1, six digits: written here independently of souk's TOTP code.
pub fn totp_code(step: u64) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(TOTP_KEY).expect("any key length");
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h[19] & 0x0f) as usize;
    let bin = (u32::from(h[offset]) & 0x7f) << 24
        | u32::from(h[offset + 1]) << 16
        | u32::from(h[offset + 2]) << 8
        | u32::from(h[offset + 3]);
    format!("{:06}", bin % 1_000_000)
}

/// Decimal text to units of 10⁻⁸ (amounts here have at most 8 decimals).
fn units(text: &str) -> Option<u128> {
    super::parse_units(text)
}

fn decimals(text: &str) -> usize {
    text.split_once('.').map_or(0, |(_, f)| f.len())
}

fn withdrawal_json(w: &FakeWithdrawal) -> String {
    JsonObject::new()
        .str("id", &w.id)
        .str("address", &w.address)
        .str("currency", &w.currency)
        .str("amount", &w.amount)
        .str("batch_withdrawal_id", &w.batch_id)
        .opt_str("ipn_callback_url", w.ipn_callback_url.as_deref())
        .str("status", &w.status)
        .raw("extra_id", "null")
        .opt_str("hash", w.hash.as_deref())
        .opt_str("error", w.error.as_deref())
        .opt_str("unique_external_id", w.unique_external_id.as_deref())
        .str("createdAt", &w.created_at)
        .raw("requestedAt", "null")
        .str("updatedAt", &iso(now_ms()))
        .finish()
}

fn conversion_json(c: &FakeConversion) -> String {
    let result = JsonObject::new()
        .str("id", &c.id)
        .str("status", &c.status)
        .str("from_currency", &c.from_currency)
        .str("to_currency", &c.to_currency)
        .raw("from_amount", &c.from_amount)
        .raw("to_amount", &c.to_amount)
        .str("created_at", &iso(now_ms()))
        .str("updated_at", &iso(now_ms()))
        .finish();
    JsonObject::new().raw("result", &result).finish()
}

impl FakeNowPayments {
    fn custody(&self) -> std::sync::MutexGuard<'_, CustodyState> {
        self.0
            .custody
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sets a custody balance (`GET /balance`), as decimal text.
    pub fn set_balance(&self, coin: &str, amount: &str) {
        assert!(units(amount).is_some(), "decimal text, got {amount:?}");
        self.custody()
            .balances
            .insert(coin.to_owned(), amount.to_owned());
    }

    pub fn balance(&self, coin: &str) -> String {
        self.custody()
            .balances
            .get(coin)
            .cloned()
            .unwrap_or_else(|| "0".into())
    }

    pub fn batches(&self) -> Vec<FakeBatch> {
        self.custody().batches.clone()
    }

    pub fn withdrawals(&self) -> Vec<FakeWithdrawal> {
        self.custody()
            .batches
            .iter()
            .flat_map(|b| b.withdrawals.clone())
            .collect()
    }

    pub fn conversions(&self) -> Vec<FakeConversion> {
        self.custody().conversions.clone()
    }

    pub fn auth_calls(&self) -> usize {
        self.custody().auth_calls
    }

    pub fn verify_calls(&self) -> usize {
        self.custody().verify_calls
    }

    /// Every JWT issued so far stops working (as if five minutes had passed).
    pub fn expire_tokens(&self) {
        self.custody().tokens.clear();
    }

    /// The next request matching `prefix` ("POST /payout", "POST /payout/") is carried out,
    /// but its answer is lost: the client sees a 502, as when a connection drops after the work.
    pub fn lose_next_answer(&self, prefix: &str) {
        self.custody().lose.push(prefix.to_owned());
    }

    /// The next request matching `prefix` is carried out at once, but answered only after `d`
    /// (time for a test to kill the client in between).
    pub fn hold_next_answer(&self, prefix: &str, d: std::time::Duration) {
        self.custody().holds.push((prefix.to_owned(), d));
    }

    /// Sets a withdrawal's status (e.g. "FINISHED") and hash.
    pub fn set_withdrawal_status(
        &self,
        id: &str,
        status: &str,
        hash: Option<&str>,
        error: Option<&str>,
    ) {
        let mut c = self.custody();
        let w = c
            .batches
            .iter_mut()
            .flat_map(|b| b.withdrawals.iter_mut())
            .find(|w| w.id == id)
            .unwrap_or_else(|| panic!("no fake withdrawal {id}"));
        w.status = status.to_owned();
        w.hash = hash.map(str::to_owned);
        w.error = error.map(str::to_owned);
    }

    /// The account's older payouts: one finished batch of `n` withdrawals, made outside souk,
    /// listed by `GET /payout` before any batch souk creates afterwards.
    pub fn add_foreign_withdrawals(&self, n: usize) {
        let mut c = self.custody();
        let batch_id = (FIRST_BATCH_ID + c.batches.len() as u64).to_string();
        let first = FIRST_WITHDRAWAL_ID
            + c.batches
                .iter()
                .map(|b| b.withdrawals.len() as u64)
                .sum::<u64>();
        let withdrawals = (0..n as u64)
            .map(|i| FakeWithdrawal {
                id: (first + i).to_string(),
                batch_id: batch_id.clone(),
                address: "TForeignAddressForeignAddressFor1".into(),
                currency: "usdttrc20".into(),
                amount: "10".into(),
                status: "FINISHED".into(),
                hash: Some(format!("0xforeign{i}")),
                error: None,
                unique_external_id: Some(format!("other-system-{i}")),
                ipn_callback_url: None,
                created_at: iso(now_ms()),
            })
            .collect();
        c.batches.push(FakeBatch {
            id: batch_id,
            withdrawals,
            verified: true,
            verify_attempts: 1,
        });
    }

    /// NOWPayments rejects batches left unverified for an hour.
    pub fn reject_unverified(&self) {
        for b in self.custody().batches.iter_mut().filter(|b| !b.verified) {
            for w in &mut b.withdrawals {
                w.status = "REJECTED".into();
            }
        }
    }

    /// The payout IPN NOWPayments would POST for a withdrawal in its current status, byte for byte.
    pub fn payout_ipn_body(&self, id: &str) -> String {
        let c = self.custody();
        let w = c
            .batches
            .iter()
            .flat_map(|b| b.withdrawals.iter())
            .find(|w| w.id == id)
            .unwrap_or_else(|| panic!("no fake withdrawal {id}"));
        let fee = JsonObject::new()
            .str("currency", &w.currency)
            .raw("depositFee", "0")
            .raw("withdrawalFee", "1.2")
            .raw("serviceFee", "0")
            .finish();
        JsonObject::new()
            .str("id", &w.id)
            .str("batch_withdrawal_id", &w.batch_id)
            .str("status", &w.status)
            .opt_str("error", w.error.as_deref())
            .str("currency", &w.currency)
            .str("amount", &w.amount)
            .str("address", &w.address)
            .raw("fee", &fee)
            .raw("extra_id", "null")
            .opt_str("hash", w.hash.as_deref())
            .opt_str("ipn_callback_url", w.ipn_callback_url.as_deref())
            .str("created_at", &w.created_at)
            .raw("requested_at", "null")
            .str("updated_at", &iso(now_ms()))
            .finish()
    }

    fn check_jwt(&self, headers: &HeaderMap) -> Result<(), NpError> {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let now = now_ms();
        let valid = token.is_some_and(|t| {
            self.custody()
                .tokens
                .iter()
                .any(|(issued, at)| issued == t && now - at < JWT_LIFETIME_MS)
        });
        if valid {
            Ok(())
        } else {
            Err(np_error(401, "AUTH_REQUIRED", "Authorization required"))
        }
    }

    /// Routes a custody request; `None` when the path is not a custody one.
    pub(super) fn custody_route(
        &self,
        method: &Method,
        segments: &[&str],
        headers: &HeaderMap,
        query: &HashMap<String, String>,
        body: &[u8],
    ) -> Option<(Result<Response, NpError>, Option<std::time::Duration>)> {
        let result = match (method, segments) {
            (&Method::POST, ["v1", "auth"]) => self.auth(body),
            (&Method::GET, ["v1", "balance"]) => Ok(self.balances()),
            (&Method::POST, ["v1", "payout"]) => self
                .check_jwt(headers)
                .and_then(|()| self.create_payout(body)),
            (&Method::POST, ["v1", "payout", id, "verify"]) => {
                self.check_jwt(headers).and_then(|()| self.verify(id, body))
            }
            (&Method::GET, ["v1", "payout"]) => self.check_jwt(headers).map(|()| self.list(query)),
            (&Method::GET, ["v1", "payout", id]) if *id != "fee" => {
                self.check_jwt(headers).and_then(|()| self.batch(id))
            }
            (&Method::POST, ["v1", "conversion"]) => {
                self.check_jwt(headers).and_then(|()| self.convert(body))
            }
            (&Method::GET, ["v1", "conversion", id]) => {
                self.check_jwt(headers).and_then(|()| self.conversion(id))
            }
            _ => return None,
        };
        let line = format!("{method} /{}", segments[1..].join("/"));
        let mut c = self.custody();
        let hold = c
            .holds
            .iter()
            .position(|(p, _)| line.starts_with(p.as_str()))
            .map(|i| c.holds.remove(i).1);
        let lost = c.lose.iter().position(|p| line.starts_with(p.as_str()));
        if let Some(i) = lost {
            c.lose.remove(i);
            let answer = (StatusCode::BAD_GATEWAY, "upstream connection lost").into_response();
            return Some((Ok(answer), hold));
        }
        Some((result, hold))
    }

    fn auth(&self, body: &[u8]) -> Result<Response, NpError> {
        let request: Value =
            serde_json::from_slice(body).map_err(|_| invalid_params("Invalid JSON body"))?;
        let mut c = self.custody();
        c.auth_calls += 1;
        if request["email"] != EMAIL || request["password"] != PASSWORD {
            return Err(np_error(
                401,
                "INVALID_CREDENTIALS",
                "Wrong email or password",
            ));
        }
        let token = format!("eyJhbGciOiJIUzI1NiJ9.fake{}.{}", c.auth_calls, now_ms());
        c.tokens.push((token.clone(), now_ms()));
        Ok(json_response(
            200,
            JsonObject::new().str("token", &token).finish(),
        ))
    }

    fn balances(&self) -> Response {
        let c = self.custody();
        let mut body = JsonObject::new();
        for (coin, amount) in &c.balances {
            let entry = JsonObject::new()
                .raw("amount", amount)
                .raw("pendingAmount", "0")
                .finish();
            body = body.raw(coin, &entry);
        }
        json_response(200, body.finish())
    }

    fn create_payout(&self, body: &[u8]) -> Result<Response, NpError> {
        let request: Value =
            serde_json::from_slice(body).map_err(|_| invalid_params("Invalid JSON body"))?;
        let list = request["withdrawals"]
            .as_array()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| invalid_params("withdrawals must be a non-empty array"))?;
        let mut c = self.custody();
        let batch_id = (FIRST_BATCH_ID + c.batches.len() as u64).to_string();
        let first_withdrawal = FIRST_WITHDRAWAL_ID
            + c.batches
                .iter()
                .map(|b| b.withdrawals.len() as u64)
                .sum::<u64>();
        let mut needed: BTreeMap<String, u128> = BTreeMap::new();
        let mut withdrawals = Vec::new();
        for (i, w) in list.iter().enumerate() {
            let address = w["address"]
                .as_str()
                .ok_or_else(|| invalid_params("address is required"))?;
            let currency = w["currency"]
                .as_str()
                .ok_or_else(|| invalid_params("currency is required"))?;
            let amount = match &w["amount"] {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err(invalid_params("amount is required")),
            };
            let value = units(&amount)
                .filter(|u| *u > 0)
                .ok_or_else(|| invalid_params("amount must be a positive number"))?;
            if decimals(&amount) > 6 {
                return Err(np_error(
                    400,
                    "BAD_CREATE_WITHDRAWAL_REQUEST",
                    "amount: at most 6 decimals",
                ));
            }
            if currency.starts_with("usdttrc20")
                && !(address.len() == 34 && address.starts_with('T'))
            {
                return Err(np_error(
                    400,
                    "BAD_CREATE_WITHDRAWAL_REQUEST",
                    format!("Invalid payout_address: {address}"),
                ));
            }
            *needed.entry(currency.to_owned()).or_default() += value;
            withdrawals.push(FakeWithdrawal {
                id: (first_withdrawal + i as u64).to_string(),
                batch_id: batch_id.clone(),
                address: address.to_owned(),
                currency: currency.to_owned(),
                amount,
                status: "WAITING".into(),
                hash: None,
                error: None,
                unique_external_id: w["unique_external_id"].as_str().map(str::to_owned),
                ipn_callback_url: w["ipn_callback_url"]
                    .as_str()
                    .or(request["ipn_callback_url"].as_str())
                    .map(str::to_owned),
                created_at: iso(now_ms()),
            });
        }
        for (coin, need) in &needed {
            let have = c.balances.get(coin).and_then(|a| units(a)).unwrap_or(0);
            if have < *need {
                return Err(np_error(
                    400,
                    "BAD_CREATE_WITHDRAWAL_REQUEST",
                    "Insufficient balance",
                ));
            }
        }
        for (coin, need) in needed {
            let have = c.balances.get(&coin).and_then(|a| units(a)).unwrap_or(0);
            c.balances.insert(coin, super::format_units(have - need));
        }
        let body = JsonObject::new()
            .str("id", &batch_id)
            .raw(
                "withdrawals",
                &format!(
                    "[{}]",
                    withdrawals
                        .iter()
                        .map(withdrawal_json)
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            )
            .finish();
        c.batches.push(FakeBatch {
            id: batch_id,
            withdrawals,
            verified: false,
            verify_attempts: 0,
        });
        Ok(json_response(200, body))
    }

    fn verify(&self, id: &str, body: &[u8]) -> Result<Response, NpError> {
        let request: Value =
            serde_json::from_slice(body).map_err(|_| invalid_params("Invalid JSON body"))?;
        let code = request["verification_code"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let mut c = self.custody();
        c.verify_calls += 1;
        let reused = c.used_codes.contains(&code);
        let batch = c
            .batches
            .iter_mut()
            .find(|b| b.id == id)
            .ok_or_else(|| np_error(404, "NOT_FOUND", "Batch not found"))?;
        if batch.verified {
            return Err(np_error(400, "BAD_REQUEST", "Payout already verified"));
        }
        if batch.withdrawals.iter().all(|w| w.status == "REJECTED") {
            return Err(np_error(400, "BAD_REQUEST", "Payout rejected"));
        }
        batch.verify_attempts += 1;
        if batch.verify_attempts > 10 {
            return Err(np_error(400, "BAD_REQUEST", "Too many attempts"));
        }
        let step = now_ms() / 1000 / 30;
        let valid = !reused
            && [step - 1, step, step + 1]
                .iter()
                .any(|s| totp_code(*s) == code);
        if !valid {
            return Err(np_error(
                400,
                "INVALID_VERIFICATION_CODE",
                "Wrong verification code",
            ));
        }
        batch.verified = true;
        for w in &mut batch.withdrawals {
            w.status = "PROCESSING".into();
        }
        c.used_codes.insert(code);
        Ok((StatusCode::OK, "OK").into_response())
    }

    fn batch(&self, id: &str) -> Result<Response, NpError> {
        let c = self.custody();
        let batch = c
            .batches
            .iter()
            .find(|b| b.id == id)
            .ok_or_else(|| np_error(404, "NOT_FOUND", "Payout not found"))?;
        let list: Vec<String> = batch.withdrawals.iter().map(withdrawal_json).collect();
        Ok(json_response(200, format!("[{}]", list.join(","))))
    }

    fn list(&self, query: &HashMap<String, String>) -> Response {
        let limit: usize = query
            .get("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(10)
            .clamp(1, 500);
        let page: usize = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(0);
        let all = self.withdrawals();
        let list: Vec<String> = all
            .iter()
            .skip(page * limit)
            .take(limit)
            .map(withdrawal_json)
            .collect();
        json_response(
            200,
            JsonObject::new()
                .raw("payouts", &format!("[{}]", list.join(",")))
                .finish(),
        )
    }

    fn convert(&self, body: &[u8]) -> Result<Response, NpError> {
        let request: Value =
            serde_json::from_slice(body).map_err(|_| invalid_params("Invalid JSON body"))?;
        let raw: HashMap<String, Box<serde_json::value::RawValue>> =
            serde_json::from_slice(body)
                .map_err(|_| invalid_params("Body must be a JSON object"))?;
        let amount = match request.get("amount") {
            Some(Value::Number(_)) => raw["amount"].get().to_owned(),
            Some(Value::String(s)) => s.clone(),
            _ => return Err(invalid_params("amount is required")),
        };
        let from = request["from_currency"]
            .as_str()
            .ok_or_else(|| invalid_params("from_currency is required"))?;
        let to = request["to_currency"]
            .as_str()
            .ok_or_else(|| invalid_params("to_currency is required"))?;
        let value = units(&amount)
            .filter(|u| *u > 0)
            .ok_or_else(|| invalid_params("amount must be positive"))?;
        let mut c = self.custody();
        let have = c.balances.get(from).and_then(|a| units(a)).unwrap_or(0);
        if have < value {
            return Err(np_error(400, "BAD_REQUEST", "Insufficient balance"));
        }
        c.balances
            .insert(from.to_owned(), super::format_units(have - value));
        let usd = value * super::usd_per_coin(from).0 / super::usd_per_coin(from).1;
        let conversion = FakeConversion {
            id: (1_000 + c.conversions.len()).to_string(),
            from_currency: from.to_owned(),
            to_currency: to.to_owned(),
            from_amount: amount,
            to_amount: super::format_units(super::usd_to_coin(usd, to)),
            status: "WAITING".into(),
        };
        let body = conversion_json(&conversion);
        c.conversions.push(conversion);
        Ok(json_response(200, body))
    }

    /// Each look moves a conversion on: WAITING → PROCESSING → FINISHED (credited then).
    fn conversion(&self, id: &str) -> Result<Response, NpError> {
        let mut c = self.custody();
        let at = c
            .conversions
            .iter()
            .position(|x| x.id == id)
            .ok_or_else(|| np_error(404, "NOT_FOUND", "Conversion not found"))?;
        let status = c.conversions[at].status.clone();
        let next = match status.as_str() {
            "WAITING" => "PROCESSING",
            _ => "FINISHED",
        };
        if status != "FINISHED" && next == "FINISHED" {
            let (to, amount) = (
                c.conversions[at].to_currency.clone(),
                c.conversions[at].to_amount.clone(),
            );
            let have = c.balances.get(&to).and_then(|a| units(a)).unwrap_or(0);
            c.balances
                .insert(to, super::format_units(have + units(&amount).unwrap_or(0)));
        }
        c.conversions[at].status = next.into();
        Ok(json_response(200, conversion_json(&c.conversions[at])))
    }
}
