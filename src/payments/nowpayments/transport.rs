//! The HTTP transport both NOWPayments clients share (the payment API and custody): timeouts,
//! retries of reads, metrics, and the error each answer amounts to.

use super::wire::ErrorBody;
use crate::payments::GatewayError;
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

/// HTTP to `NOWPAYMENTS_API_URL` with the API key in `x-api-key` (and a JWT when given).
pub struct Transport {
    http: reqwest::Client,
    base: String,
    api_key: SecretString,
}

/// How many times a read (GET) is tried before giving up; POSTs are tried once.
const READ_ATTEMPTS: u32 = 3;

impl Transport {
    pub fn new(base: &str, api_key: SecretString) -> Transport {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()
            .expect("a reqwest client with timeouts always builds");
        Transport {
            http,
            base: base.trim_end_matches('/').to_string(),
            api_key,
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
    pub(super) async fn get(&self, path: &str) -> Result<String, GatewayError> {
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
