//! `POST /ipn/nexpay`: NexPay's `payment.succeeded` / `payment.failed` notifications,
//! checked with the shared secret (constant time) and read into a status for settlement, which
//! matches it to its order and amount.

use super::NexpayRail;
use crate::domain::OrderStatus;
use crate::domain::report::Amount;
use crate::payments::rail::{Notice, WebhookError};
use secrecy::ExposeSecret;
use serde::Deserialize;
use subtle::ConstantTimeEq;

#[derive(Debug, Deserialize)]
struct Event {
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Debug, Deserialize)]
struct EventData {
    #[serde(default)]
    client_reference: Option<String>,
    #[serde(default)]
    status: Option<String>,
    /// A decimal string (sometimes a number).
    #[serde(default)]
    amount: Option<serde_json::Value>,
    #[serde(default)]
    project: Option<Project>,
    /// What souk sent with the payment, when NexPay passes it on.
    #[serde(default)]
    metadata: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct Project {
    #[serde(default)]
    id: Option<String>,
}

/// The order's payment status for an event.
fn status_of(kind: &str, status: Option<&str>) -> Result<OrderStatus, WebhookError> {
    let status = status.unwrap_or_default().to_ascii_uppercase();
    match (kind, status.as_str()) {
        ("payment.succeeded", "SUCCEEDED" | "") => Ok(OrderStatus::Finished),
        ("payment.succeeded", other) => Err(WebhookError::BadRequest(format!(
            "payment.succeeded with status {other}"
        ))),
        ("payment.failed", "EXPIRED") => Ok(OrderStatus::Expired),
        ("payment.failed", "REFUNDED") => Ok(OrderStatus::Refunded),
        ("payment.failed", _) => Ok(OrderStatus::Failed),
        (other, _) => Err(WebhookError::BadRequest(format!(
            "unknown event type {other}"
        ))),
    }
}

fn amount_of(v: &serde_json::Value) -> Option<Amount> {
    match v {
        serde_json::Value::String(s) => Amount::parse(s),
        serde_json::Value::Number(n) => Amount::parse(&n.to_string()),
        _ => None,
    }
}

pub(super) async fn read(
    rail: &NexpayRail,
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> Result<Vec<Notice>, WebhookError> {
    let given = headers
        .get(rail.config.webhook_header.as_str())
        .map(|v| v.as_bytes())
        .ok_or(WebhookError::Unauthorized("missing webhook secret"))?;
    let expected = rail.config.webhook_secret.expose_secret().as_bytes();
    if !bool::from(given.ct_eq(expected)) {
        return Err(WebhookError::Unauthorized("wrong webhook secret"));
    }
    let event: Event = serde_json::from_slice(body)
        .map_err(|e| WebhookError::BadRequest(format!("not a NexPay event: {e}")))?;
    let status = status_of(&event.kind, event.data.status.as_deref())?;
    let order_id: i64 = event
        .data
        .client_reference
        .as_deref()
        .and_then(|r| r.trim().parse().ok())
        .ok_or_else(|| WebhookError::BadRequest("client_reference is not a souk order".into()))?;
    // A NexPay instance may serve several projects (another shop, a staging souk): their
    // client references are not souk's orders.
    if let Some(project) = event.data.project.as_ref().and_then(|p| p.id.as_deref())
        && project != rail.config.project_id
    {
        return Err(WebhookError::BadRequest(format!(
            "event of another NexPay project ({project})"
        )));
    }
    if let Some(tagged) = event.data.metadata.as_ref().map(|m| &m["souk_order"])
        && !tagged.is_null()
        && tagged.as_i64() != Some(order_id)
    {
        return Err(WebhookError::BadRequest(
            "client_reference and metadata name different orders".into(),
        ));
    }
    let paid = event.data.amount.as_ref().and_then(amount_of);
    if status == OrderStatus::Finished && paid.is_none() {
        return Err(WebhookError::BadRequest(
            "payment.succeeded without an amount".into(),
        ));
    }
    // The history keeps what NexPay sent (the secret is in a header, never in the body).
    Ok(vec![Notice::Status {
        order_id,
        status,
        paid,
        source: "nexpay",
        raw: String::from_utf8_lossy(body).into_owned(),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn events_map_to_order_statuses() {
        assert_eq!(
            status_of("payment.succeeded", Some("SUCCEEDED")).unwrap(),
            OrderStatus::Finished
        );
        assert_eq!(
            status_of("payment.failed", Some("CANCELLED")).unwrap(),
            OrderStatus::Failed
        );
        assert_eq!(
            status_of("payment.failed", Some("EXPIRED")).unwrap(),
            OrderStatus::Expired
        );
        assert!(status_of("payment.succeeded", Some("FAILED")).is_err());
        assert!(status_of("payment.created", None).is_err());
    }

    #[test]
    fn amounts_come_as_text_or_numbers() {
        assert_eq!(
            amount_of(&serde_json::json!("6225")).map(|a| a.value()),
            Some(Decimal::from(6225))
        );
        assert_eq!(
            amount_of(&serde_json::json!("6225.00")).map(|a| a.value()),
            Some(Decimal::from(6225))
        );
        assert_eq!(
            amount_of(&serde_json::json!(6225)).map(|a| a.value()),
            Some(Decimal::from(6225))
        );
        assert_eq!(amount_of(&serde_json::json!(null)), None);
    }
}
