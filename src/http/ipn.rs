//! `POST /ipn/nowpayments`: verify the signature, keep the IPN, apply it, answer fast.

use super::HttpState;
use crate::payments::PaymentStatusBody;
use crate::payments::nowpayments::signature;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

type Reply = (StatusCode, Json<Value>);

fn reply(status: StatusCode, reason: &str) -> Reply {
    (
        status,
        Json(json!({ "ok": status.is_success(), "reason": reason })),
    )
}

/// Duplicates and stale statuses are answered 200 (NOWPayments must stop retrying) and change
/// nothing; only a database failure answers 500, so that NOWPayments tries again later.
pub async fn nowpayments(State(state): State<HttpState>, headers: HeaderMap, body: Bytes) -> Reply {
    let Some(sig) = headers
        .get("x-nowpayments-sig")
        .and_then(|v| v.to_str().ok())
    else {
        return reply(StatusCode::UNAUTHORIZED, "missing x-nowpayments-sig");
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        return reply(StatusCode::BAD_REQUEST, "body is not UTF-8");
    };
    if !signature::verify(state.ipn_secret.expose_secret(), text, sig) {
        tracing::warn!("IPN with a bad signature refused");
        return reply(StatusCode::UNAUTHORIZED, "bad signature");
    }
    let update: PaymentStatusBody = match serde_json::from_str(text) {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!(error = %e, "signed IPN of an unknown shape");
            return reply(StatusCode::BAD_REQUEST, "not a payment notification");
        }
    };
    match state.settler.settle(update.clone(), text.to_string()).await {
        Ok(settled) => {
            state.outbox_wake.notify_one();
            tracing::info!(
                payment_id = update.payment_id,
                status = update.payment_status,
                order_id = settled.order_id,
                outcome = settled.outcome.as_str(),
                "IPN"
            );
            (
                StatusCode::OK,
                Json(json!({ "ok": true, "outcome": settled.outcome.as_str() })),
            )
        }
        Err(e) => {
            tracing::error!(payment_id = update.payment_id, error = %e, "IPN not applied");
            reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "temporarily unable to process",
            )
        }
    }
}
