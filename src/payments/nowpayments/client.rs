//! A typed async client for the NOWPayments API, with timeouts and retries where retrying is safe.

use super::gateway::{AddressCheck, CreatedPayment, MinAmount, PaymentGateway, PaymentRequest};
use super::wire::{
    CreatedPaymentBody, CurrenciesBody, ErrorBody, MinAmountBody, PaymentStatusBody,
};
use crate::payments::{GatewayError, PaymentReport};
use async_trait::async_trait;
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde_json::value::RawValue;
use std::time::Duration;

/// Talks to `NOWPAYMENTS_API_URL` with the API key in `x-api-key`, and, for custody calls
/// (payouts, conversions), a JWT from the account's e-mail and password.
pub struct NowPaymentsClient {
    http: reqwest::Client,
    base: String,
    api_key: SecretString,
    pub(super) login: Option<super::auth::Login>,
    pub(super) jwt: tokio::sync::Mutex<Option<super::auth::Jwt>>,
}

/// How many times a read (GET) is tried before giving up; POSTs are tried once.
const READ_ATTEMPTS: u32 = 3;

impl NowPaymentsClient {
    pub fn new(base: &str, api_key: SecretString) -> NowPaymentsClient {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()
            .expect("a reqwest client with timeouts always builds");
        NowPaymentsClient {
            http,
            base: base.trim_end_matches('/').to_string(),
            api_key,
            login: None,
            jwt: tokio::sync::Mutex::new(None),
        }
    }

    /// One call; returns the body text of a 2xx answer, or the error it amounts to.
    pub(super) async fn call_once(
        &self,
        method: Method,
        path: &str,
        json_body: Option<String>,
        bearer: Option<&SecretString>,
    ) -> Result<String, GatewayError> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("x-api-key", self.api_key.expose_secret());
        if let Some(jwt) = bearer {
            req = req.bearer_auth(jwt.expose_secret());
        }
        if let Some(body) = json_body {
            req = req
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        let started = std::time::Instant::now();
        let endpoint = endpoint(path);
        let record = |result: &str| {
            crate::metrics::observe(
                "souk_nowpayments_request_duration_seconds",
                &[("endpoint", endpoint)],
                started.elapsed(),
            );
            crate::metrics::inc(
                "souk_nowpayments_requests_total",
                &[("endpoint", endpoint), ("result", result)],
            );
        };
        let failed = |e: reqwest::Error| {
            record(if e.is_timeout() {
                "timeout"
            } else {
                "unreachable"
            });
            GatewayError::Unavailable(describe(e))
        };
        let resp = req.send().await.map_err(failed)?;
        let status = resp.status();
        let text = resp.text().await.map_err(failed)?;
        record(status.as_str());
        tracing::debug!(
            path,
            status = status.as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "nowpayments call"
        );
        if status.is_success() {
            return Ok(text);
        }
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            return Err(GatewayError::Unavailable(format!(
                "HTTP {}",
                status.as_u16()
            )));
        }
        if status == StatusCode::NOT_FOUND {
            return Err(GatewayError::NotFound);
        }
        let err: ErrorBody = serde_json::from_str(&text).unwrap_or(ErrorBody {
            code: None,
            message: None,
        });
        Err(GatewayError::Rejected {
            status: status.as_u16(),
            code: err.code.unwrap_or_default(),
            message: err.message.unwrap_or_else(|| truncate(&text, 200)),
        })
    }

    /// A GET, retried with backoff while the provider is unavailable.
    async fn get(&self, path: &str) -> Result<String, GatewayError> {
        self.get_with(path, None).await
    }

    /// A GET (with a JWT when given), retried with backoff while the provider is unavailable.
    pub(super) async fn get_with(
        &self,
        path: &str,
        bearer: Option<&SecretString>,
    ) -> Result<String, GatewayError> {
        let mut attempt = 1;
        loop {
            match self.call_once(Method::GET, path, None, bearer).await {
                Err(GatewayError::Unavailable(why)) if attempt < READ_ATTEMPTS => {
                    tracing::warn!(path, attempt, %why, "nowpayments unavailable, retrying");
                    tokio::time::sleep(Duration::from_millis(250 * 2u64.pow(attempt))).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

/// The endpoint of a path, without ids or query, for metrics: `/payout/5000/verify` → `payout`.
fn endpoint(path: &str) -> &str {
    path.trim_start_matches('/')
        .split(['/', '?'])
        .next()
        .unwrap_or("")
}

fn describe(e: reqwest::Error) -> String {
    // reqwest's Display includes the URL, which holds no secret (the key travels in a header).
    if e.is_timeout() {
        "timed out".to_string()
    } else {
        e.without_url().to_string()
    }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Ids go into URL paths: only letters and digits.
pub(super) fn path_id(id: &str) -> Result<&str, GatewayError> {
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(id)
    } else {
        Err(GatewayError::NotFound)
    }
}

pub(super) fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, GatewayError> {
    serde_json::from_str(text).map_err(|e| GatewayError::BadResponse(e.to_string()))
}

#[async_trait]
impl PaymentGateway for NowPaymentsClient {
    async fn status(&self) -> Result<(), GatewayError> {
        self.call_once(Method::GET, "/status", None, None)
            .await
            .map(|_| ())
    }

    async fn currencies(&self) -> Result<Vec<String>, GatewayError> {
        let body: CurrenciesBody = parse(&self.get("/currencies").await?)?;
        Ok(body
            .currencies
            .into_iter()
            .map(|c| c.to_ascii_lowercase())
            .collect())
    }

    async fn min_amount(&self, pay_currency: &str) -> Result<MinAmount, GatewayError> {
        let path = format!(
            "/min-amount?currency_from={pay_currency}&currency_to={pay_currency}&fiat_equivalent=usd"
        );
        let body: MinAmountBody = parse(&self.get(&path).await?)?;
        Ok(MinAmount {
            usd: body.fiat_equivalent,
        })
    }

    async fn create_payment(&self, r: &PaymentRequest) -> Result<CreatedPayment, GatewayError> {
        let body = CreatePaymentBody {
            price_amount: RawValue::from_string(r.price_amount.to_string())
                .map_err(|e| GatewayError::BadResponse(e.to_string()))?,
            price_currency: "usd",
            pay_currency: &r.pay_currency,
            order_id: r.order_id.to_string(),
            order_description: &r.description,
            ipn_callback_url: r.ipn_callback_url.as_deref(),
        };
        let body =
            serde_json::to_string(&body).map_err(|e| GatewayError::BadResponse(e.to_string()))?;
        let text = self
            .call_once(Method::POST, "/payment", Some(body), None)
            .await?;
        let created: CreatedPaymentBody = parse(&text)?;
        let pay_amount = created
            .pay_amount
            .ok_or_else(|| GatewayError::BadResponse("payment has no pay_amount".into()))?;
        Ok(CreatedPayment {
            payment_id: created.payment_id,
            pay_address: created.pay_address,
            pay_amount,
            expires_at: created.expiration_estimate_date.or(created.valid_until),
        })
    }

    async fn validate_address(
        &self,
        currency: &str,
        address: &str,
    ) -> Result<AddressCheck, GatewayError> {
        let body = serde_json::json!({ "address": address, "currency": currency }).to_string();
        match self
            .call_once(Method::POST, "/payout/validate-address", Some(body), None)
            .await
        {
            // NOWPayments answers the plain text OK (sometimes quoted) when the address is valid.
            Ok(text) if super::wire::is_plain_ok(&text) => Ok(AddressCheck::Valid),
            Ok(other) => Err(GatewayError::BadResponse(format!(
                "unexpected answer {:?}",
                other.chars().take(80).collect::<String>()
            ))),
            Err(GatewayError::Rejected {
                status: 400,
                message,
                ..
            }) => Ok(AddressCheck::Invalid(message)),
            Err(e) => Err(e),
        }
    }

    async fn payment_status(&self, payment_id: &str) -> Result<PaymentReport, GatewayError> {
        let text = self
            .get(&format!("/payment/{}", path_id(payment_id)?))
            .await?;
        PaymentStatusBody::read(&text, true).map_err(GatewayError::BadResponse)
    }
}

/// `POST /payment`'s body. `price_amount` is written as the exact decimal text, never via a float.
#[derive(Serialize)]
struct CreatePaymentBody<'a> {
    price_amount: Box<RawValue>,
    price_currency: &'a str,
    pay_currency: &'a str,
    order_id: String,
    order_description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ipn_callback_url: Option<&'a str>,
}
