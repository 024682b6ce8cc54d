//! Custody calls, which need a JWT besides the API key: balances, batch payouts and their 2FA
//! verification, and conversions between custody coins.

use super::transport::{Transport, parse, path_id};
use super::wire::{Amount, amount, id, is_plain_ok, opt_id};
use crate::payments::GatewayError;
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::time::Instant;

pub use super::auth::Login;
use super::auth::{JWT_RENEW_AFTER, Jwt};

/// One coin's custody balance (`GET /balance`).
#[derive(Debug, Clone, Deserialize)]
pub struct CustodyBalance {
    #[serde(default, deserialize_with = "amount")]
    pub amount: Option<Amount>,
    #[serde(default, rename = "pendingAmount", deserialize_with = "amount")]
    pub pending_amount: Option<Amount>,
}

/// One withdrawal to ask for in `POST /payout`.
#[derive(Debug, Clone, Serialize)]
pub struct NewWithdrawal {
    pub address: String,
    pub currency: String,
    /// Decimal text, at most six decimals.
    pub amount: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipn_callback_url: Option<String>,
    pub unique_external_id: String,
}

/// A withdrawal as NOWPayments describes it: in a batch, in `GET /payout`, or in a payout IPN.
#[derive(Debug, Clone, Deserialize)]
pub struct Withdrawal {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_id")]
    pub batch_withdrawal_id: Option<String>,
    /// In capitals as it arrives ("WAITING", "FINISHED").
    pub status: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "amount")]
    pub amount: Option<Amount>,
    #[serde(default)]
    pub hash: Option<String>,
    #[serde(default)]
    pub error: Option<serde_json::Value>,
    #[serde(default)]
    pub unique_external_id: Option<String>,
}

impl Withdrawal {
    /// The error as text, whatever shape it came in.
    pub fn error_text(&self) -> Option<String> {
        match &self.error {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) if s.is_empty() => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        }
    }
}

/// `POST /payout`'s answer: the batch id and its withdrawals.
#[derive(Debug, Clone, Deserialize)]
pub struct CreatedBatch {
    #[serde(deserialize_with = "id")]
    pub id: String,
    pub withdrawals: Vec<Withdrawal>,
}

#[derive(Deserialize)]
struct PayoutList {
    #[serde(default)]
    payouts: Vec<Withdrawal>,
}

/// A conversion between custody coins.
#[derive(Debug, Clone, Deserialize)]
pub struct Conversion {
    #[serde(deserialize_with = "id")]
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub from_currency: Option<String>,
    #[serde(default)]
    pub to_currency: Option<String>,
    #[serde(default, deserialize_with = "amount")]
    pub from_amount: Option<Amount>,
    #[serde(default, deserialize_with = "amount")]
    pub to_amount: Option<Amount>,
}

#[derive(Deserialize)]
struct ConversionBody {
    result: Conversion,
}

/// NOWPayments custody with the account's login (payouts, conversions): the API key and a JWT.
pub struct Custody {
    transport: Transport,
    login: Login,
    jwt: tokio::sync::Mutex<Option<Jwt>>,
}

impl Custody {
    pub fn new(base: &str, api_key: SecretString, login: Login) -> Custody {
        Custody {
            transport: Transport::new(base, api_key),
            login,
            jwt: tokio::sync::Mutex::new(None),
        }
    }

    /// The cached JWT, or a new one from `POST /auth` when it is old, missing or `renew`.
    async fn jwt(&self, renew: bool) -> Result<SecretString, GatewayError> {
        let login = &self.login;
        let mut cached = self.jwt.lock().await;
        if let Some(jwt) = cached
            .as_ref()
            .filter(|j| !renew && j.obtained.elapsed() < JWT_RENEW_AFTER)
        {
            return Ok(jwt.token.clone());
        }
        #[derive(Serialize)]
        struct Auth<'a> {
            email: &'a str,
            password: &'a str,
        }
        #[derive(Deserialize)]
        struct Token {
            token: String,
        }
        let body = serde_json::to_string(&Auth {
            email: &login.email,
            password: login.password.expose_secret(),
        })
        .map_err(|e| GatewayError::BadResponse(e.to_string()))?;
        let text = self
            .transport
            .call_once(Method::POST, "/auth", Some(body), None)
            .await?;
        let token = SecretString::from(parse::<Token>(&text)?.token);
        *cached = Some(Jwt {
            token: token.clone(),
            obtained: Instant::now(),
        });
        tracing::debug!("signed in to NOWPayments");
        Ok(token)
    }

    /// A call with the JWT; a 401 (the JWT expired early) signs in again and retries once.
    /// Reads are retried while NOWPayments is unavailable; writes never are.
    async fn authed(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<String, GatewayError> {
        let mut renew = false;
        loop {
            let jwt = self.jwt(renew).await?;
            let result = if method == Method::GET {
                self.transport.get_with(path, Some(&jwt)).await
            } else {
                self.transport
                    .call_once(method.clone(), path, body.clone(), Some(&jwt))
                    .await
            };
            match result {
                Err(GatewayError::Rejected { status: 401, .. }) if !renew => {
                    tracing::info!(path, "NOWPayments refused the JWT; signing in again");
                    renew = true;
                }
                other => return other,
            }
        }
    }

    /// `GET /balance`: the custody balance of each coin.
    pub async fn custody_balances(&self) -> Result<BTreeMap<String, CustodyBalance>, GatewayError> {
        let text = self.authed(Method::GET, "/balance", None).await?;
        let balances: BTreeMap<String, CustodyBalance> = parse(&text)?;
        Ok(balances
            .into_iter()
            .map(|(coin, b)| (coin.to_ascii_lowercase(), b))
            .collect())
    }

    /// `POST /payout`: one batch of withdrawals. Never retried: a retry could pay twice.
    pub async fn create_payout(
        &self,
        withdrawals: &[NewWithdrawal],
        ipn_callback_url: Option<&str>,
    ) -> Result<CreatedBatch, GatewayError> {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            ipn_callback_url: Option<&'a str>,
            withdrawals: &'a [NewWithdrawal],
        }
        let body = serde_json::to_string(&Body {
            ipn_callback_url,
            withdrawals,
        })
        .map_err(|e| GatewayError::BadResponse(e.to_string()))?;
        let text = self.authed(Method::POST, "/payout", Some(body)).await?;
        parse(&text)
    }

    /// `POST /payout/{batch}/verify` with a 2FA code; NOWPayments answers the plain text `OK`.
    pub async fn verify_payout(&self, batch_id: &str, code: &str) -> Result<(), GatewayError> {
        let path = format!("/payout/{}/verify", path_id(batch_id)?);
        let body = serde_json::json!({ "verification_code": code }).to_string();
        let text = self.authed(Method::POST, &path, Some(body)).await?;
        if is_plain_ok(&text) {
            Ok(())
        } else {
            Err(GatewayError::BadResponse(format!(
                "verify answered {:?}",
                text.chars().take(80).collect::<String>()
            )))
        }
    }

    /// `GET /payout/{batch}`: the batch's withdrawals (NOWPayments answers an array).
    pub async fn payout_batch(&self, batch_id: &str) -> Result<Vec<Withdrawal>, GatewayError> {
        let path = format!("/payout/{}", path_id(batch_id)?);
        let text = self.authed(Method::GET, &path, None).await?;
        parse(&text)
    }

    /// `GET /payout?limit=&page=`: one page of the account's withdrawals.
    pub async fn list_payouts(
        &self,
        page: u32,
        limit: u32,
    ) -> Result<Vec<Withdrawal>, GatewayError> {
        let path = format!("/payout?limit={limit}&page={page}");
        let text = self.authed(Method::GET, &path, None).await?;
        Ok(parse::<PayoutList>(&text)?.payouts)
    }

    /// `GET /payment/` (JWT): every payment created in `[from, to]` (unix seconds), page by page.
    pub async fn list_payments(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<ListedPayment>, GatewayError> {
        let day = |t: i64| {
            chrono::DateTime::from_timestamp(t, 0)
                .map(|d| d.format("%Y-%m-%dT%H:%M:%S.000Z").to_string())
                .unwrap_or_default()
        };
        let mut all = Vec::new();
        for page in 0.. {
            let path = format!(
                "/payment/?limit=500&page={page}&sortBy=created_at&orderBy=asc&dateFrom={}&dateTo={}",
                day(from),
                day(to)
            );
            let text = self.authed(Method::GET, &path, None).await?;
            let list: PaymentList = parse(&text)?;
            let pages = list.pages_count;
            all.extend(list.data.iter().filter_map(ListedPayment::read));
            if page + 1 >= pages.max(1) {
                break;
            }
        }
        Ok(all)
    }

    /// `POST /conversion`: converts `amount` (exact decimal text) of one custody coin into another.
    pub async fn create_conversion(
        &self,
        amount: &Amount,
        from_currency: &str,
        to_currency: &str,
    ) -> Result<Conversion, GatewayError> {
        #[derive(Serialize)]
        struct Body<'a> {
            amount: Box<RawValue>,
            from_currency: &'a str,
            to_currency: &'a str,
        }
        let body = serde_json::to_string(&Body {
            amount: RawValue::from_string(amount.value().normalize().to_string())
                .map_err(|e| GatewayError::BadResponse(e.to_string()))?,
            from_currency,
            to_currency,
        })
        .map_err(|e| GatewayError::BadResponse(e.to_string()))?;
        let text = self.authed(Method::POST, "/conversion", Some(body)).await?;
        Ok(parse::<ConversionBody>(&text)?.result)
    }

    /// The smallest amount of `from` NOWPayments exchanges into `to` (`GET /min-amount`):
    /// below it a custody balance is dust.
    pub async fn conversion_minimum(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Option<Amount>, GatewayError> {
        #[derive(Deserialize)]
        struct Min {
            #[serde(default, deserialize_with = "amount")]
            min_amount: Option<Amount>,
        }
        let path = format!(
            "/min-amount?currency_from={}&currency_to={}",
            path_id(from)?,
            path_id(to)?
        );
        let text = self.transport.get_with(&path, None).await?;
        Ok(parse::<Min>(&text)?.min_amount)
    }

    /// `GET /conversion/{id}`.
    pub async fn conversion(&self, id: &str) -> Result<Conversion, GatewayError> {
        let path = format!("/conversion/{}", path_id(id)?);
        let text = self.authed(Method::GET, &path, None).await?;
        Ok(parse::<ConversionBody>(&text)?.result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn withdrawals_parse_as_they_arrive() {
        let batch: CreatedBatch = serde_json::from_str(
            r#"{"id":"5000000713","withdrawals":[{"id":"5000000000","address":"TEmGwPeRTPiLFLVfBxXkSP91yc5GMNQhfS","currency":"usdttrc20","amount":"200","batch_withdrawal_id":"5000000713","ipn_callback_url":"https://x/ipn","status":"WAITING","extra_id":null,"hash":null,"error":null,"unique_external_id":"souk-payout-7","createdAt":"2020-11-12T17:06:12.791Z","requestedAt":null,"updatedAt":null}]}"#,
        )
        .unwrap();
        assert_eq!(batch.id, "5000000713");
        let w = &batch.withdrawals[0];
        assert_eq!(w.amount.as_ref().unwrap().as_str(), "200");
        assert_eq!(w.unique_external_id.as_deref(), Some("souk-payout-7"));
        assert_eq!(w.error_text(), None);
        let ipn: Withdrawal = serde_json::from_str(
            r#"{"id":5000000000,"batch_withdrawal_id":5000000713,"status":"FAILED","error":{"code":"X"},"amount":200.5}"#,
        )
        .unwrap();
        assert_eq!(ipn.batch_withdrawal_id.as_deref(), Some("5000000713"));
        assert_eq!(ipn.error_text().as_deref(), Some(r#"{"code":"X"}"#));
        assert!(is_plain_ok("OK") && is_plain_ok("\"OK\"\n") && !is_plain_ok("FAIL"));
        assert!(path_id("12/verify").is_err());
    }
}

#[derive(Deserialize)]
struct PaymentList {
    /// Each payment's fields as the raw JSON sent, so that numbers keep their exact text.
    data: Vec<std::collections::HashMap<String, Box<serde_json::value::RawValue>>>,
    #[serde(rename = "pagesCount", default)]
    pages_count: u32,
}

/// A payment as NOWPayments lists it: amounts as the exact text it sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPayment {
    pub payment_id: String,
    pub status: String,
    pub order_id: Option<String>,
    /// The fiat price (USD), as sent.
    pub price_amount: String,
    pub pay_currency: String,
}

impl ListedPayment {
    fn read(
        v: &std::collections::HashMap<String, Box<serde_json::value::RawValue>>,
    ) -> Option<ListedPayment> {
        // Ids and amounts come as numbers or strings: kept as the text sent.
        let text = |key: &str| {
            let raw = v.get(key)?.get();
            match raw.chars().next()? {
                '"' => serde_json::from_str::<String>(raw).ok(),
                'n' => None,
                _ => Some(raw.to_string()),
            }
        };
        Some(ListedPayment {
            payment_id: text("payment_id")?,
            status: text("payment_status")?,
            order_id: text("order_id"),
            price_amount: text("price_amount")?,
            pay_currency: text("pay_currency").unwrap_or_default(),
        })
    }
}
