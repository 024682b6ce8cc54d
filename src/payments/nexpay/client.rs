//! A typed client for a NexPay instance (`/api/v1`): payment sessions and their checkout, with
//! timeouts. Nothing here is retried: a retry of a session checkout could bill twice.

use crate::payments::GatewayError;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::time::Duration;

pub struct NexpayClient {
    http: reqwest::Client,
    base: String,
    write_key: SecretString,
}

/// `POST /payment/session/initiate`. NexPay rejects unknown fields: only these are sent.
#[derive(Debug, Clone, Serialize)]
pub struct SessionRequest {
    /// Whole units of `currency`.
    pub amount: i64,
    pub currency: String,
    pub phone: String,
    pub name: String,
    pub client_reference: String,
    #[serde(rename = "projectId")]
    pub project_id: String,
    pub metadata: serde_json::Value,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Session {
    #[serde(rename = "sessionId", alias = "id")]
    pub id: String,
    /// An hour after it opened; NexPay answers 404 for it after that.
    #[serde(rename = "expiresAt", default)]
    pub expires_at: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CheckoutUrl {
    #[serde(default)]
    pub name: Option<String>,
    pub url: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct QrCode {
    /// A base64 PNG (Orange Money).
    #[serde(default)]
    pub data: Option<String>,
    /// An image URL (Wave).
    #[serde(default)]
    pub url: Option<String>,
}

/// The payment a session checkout started (the same shape as `POST /payment/initiate`).
#[derive(Debug, Clone, Deserialize)]
pub struct Payment {
    pub reference: String,
    #[serde(default)]
    pub checkout_urls: Vec<CheckoutUrl>,
    #[serde(default)]
    pub qr_code: Option<QrCode>,
    #[serde(default)]
    pub expiration: Option<String>,
}

/// Where a session stands. NexPay serves a session only while it is opened and within its hour:
/// its status word says nothing more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// Still open: nobody paid yet.
    Open,
    /// NexPay no longer serves it: resolved (paid or failed) or expired, it does not say which.
    Gone,
}

#[derive(Deserialize)]
struct Envelope<T> {
    data: T,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: serde_json::Value,
}

impl NexpayClient {
    pub fn new(base: &str, write_key: SecretString) -> NexpayClient {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()
            .expect("a reqwest client with timeouts always builds");
        NexpayClient {
            http,
            base: format!("{}/api/v1", base.trim_end_matches('/')),
            write_key,
        }
    }

    pub async fn open_session(&self, request: &SessionRequest) -> Result<Session, GatewayError> {
        let url = format!("{}/payment/session/initiate", self.base);
        self.send(self.http.post(url).json(request)).await
    }

    /// Starts the payment of a session with a provider ("wave" or "om").
    pub async fn checkout(&self, session: &str, provider: &str) -> Result<Payment, GatewayError> {
        let url = format!(
            "{}/payment/session/{}/checkout",
            self.base,
            path_id(session)?
        );
        let body = serde_json::json!({ "provider": provider });
        self.send(self.http.post(url).json(&body)).await
    }

    /// `GET /payment/session/{id}`: 404 once the session is no longer open.
    pub async fn session(&self, id: &str) -> Result<SessionState, GatewayError> {
        let url = format!("{}/payment/session/{}", self.base, path_id(id)?);
        match self.send::<Session>(self.http.get(url)).await {
            Ok(_) => Ok(SessionState::Open),
            Err(GatewayError::NotFound) => Ok(SessionState::Gone),
            Err(e) => Err(e),
        }
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, GatewayError> {
        let response = request
            .header("x-api-key", self.write_key.expose_secret())
            .send()
            .await
            .map_err(|e| GatewayError::Unavailable(describe(&e)))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| GatewayError::Unavailable(describe(&e)))?;
        if status == reqwest::StatusCode::NOT_FOUND {
            return Err(GatewayError::NotFound);
        }
        if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(GatewayError::Unavailable(format!(
                "NexPay answered {status}"
            )));
        }
        if !status.is_success() {
            let message = serde_json::from_str::<ErrorBody>(&text)
                .map(|e| match e.message {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                })
                .unwrap_or_default();
            return Err(GatewayError::Rejected {
                status: status.as_u16(),
                code: String::new(),
                message: message.chars().take(200).collect(),
            });
        }
        serde_json::from_str::<Envelope<T>>(&text)
            .map(|e| e.data)
            .map_err(|e| GatewayError::BadResponse(format!("NexPay: {e}")))
    }
}

/// An id safe to put in a URL path.
fn path_id(id: &str) -> Result<&str, GatewayError> {
    if !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(id)
    } else {
        Err(GatewayError::BadResponse(format!(
            "unusable NexPay id {id:?}"
        )))
    }
}

/// A transport error without its URL (which holds nothing secret, but is noise).
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "NexPay timed out".into()
    } else if e.is_connect() {
        "NexPay unreachable".into()
    } else {
        "NexPay request failed".into()
    }
}
