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

mod routes;

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

    /// NOWPayments shows this withdrawal with another amount (a difference to reconcile).
    pub fn set_withdrawal_amount(&self, id: &str, amount: &str) {
        let mut c = self.custody();
        let w = c
            .batches
            .iter_mut()
            .flat_map(|b| b.withdrawals.iter_mut())
            .find(|w| w.id == id)
            .expect("a known withdrawal");
        w.amount = amount.to_owned();
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
}
