//! `POST /ipn/nowpayments` (payments), `POST /ipn/payout` (seller payouts) and
//! `POST /ipn/{rail}` (other rails' webhooks): authenticate, apply the news exactly once, answer
//! fast.

use super::HttpState;
use crate::payments::PaymentStatusBody;
use crate::payments::nowpayments::custody::Withdrawal;
use crate::payments::nowpayments::signature;
use crate::payments::rail::WebhookError;
use crate::services::payouts::updates::{self, UpdateOutcome};
use crate::services::settlement::repeats::Signed;
use crate::store::ipn_events::IpnOutcome;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use tracing::Instrument;

type Reply = (StatusCode, Json<Value>);

fn reply(status: StatusCode, reason: &str) -> Reply {
    (
        status,
        Json(json!({ "ok": status.is_success(), "reason": reason })),
    )
}

fn outcome_reply(outcome: IpnOutcome) -> Reply {
    (
        StatusCode::OK,
        Json(json!({ "ok": true, "outcome": outcome.as_str() })),
    )
}

fn count(kind: &str, result: &str) {
    crate::metrics::inc(
        "souk_ipn_received_total",
        &[("kind", kind), ("result", result)],
    );
}

/// Checks the signature of an IPN body; the body text, or the answer to give.
fn signed_text<'a>(
    state: &HttpState,
    headers: &HeaderMap,
    body: &'a Bytes,
    kind: &str,
) -> Result<&'a str, Reply> {
    let refused = |result: &str| count(kind, result);
    let Some(sig) = headers
        .get("x-nowpayments-sig")
        .and_then(|v| v.to_str().ok())
    else {
        refused("bad_signature");
        return Err(reply(StatusCode::UNAUTHORIZED, "missing x-nowpayments-sig"));
    };
    let Ok(text) = std::str::from_utf8(body) else {
        refused("bad_request");
        return Err(reply(StatusCode::BAD_REQUEST, "body is not UTF-8"));
    };
    if !signature::verify(state.ipn_secret.expose_secret(), text, sig) {
        refused("bad_signature");
        tracing::warn!("IPN with a bad signature refused");
        return Err(reply(StatusCode::UNAUTHORIZED, "bad signature"));
    }
    Ok(text)
}

/// Duplicates and stale statuses are answered 200 (NOWPayments must stop retrying) and change
/// nothing; only a database failure answers 500, so that NOWPayments tries again later.
pub async fn nowpayments(State(state): State<HttpState>, headers: HeaderMap, body: Bytes) -> Reply {
    let settler = &state.core.settler;
    // The very body and signature settled before: answered at once, it changes nothing.
    let signed = headers
        .get("x-nowpayments-sig")
        .and_then(|v| v.to_str().ok())
        .zip(std::str::from_utf8(&body).ok())
        .map(|(sig, text)| Signed::of(text, sig));
    if let Some(signed) = signed
        && let Some(order_id) = settler.repeats().seen(signed)
    {
        count("payment", IpnOutcome::Ignored.as_str());
        tracing::debug!(order_id, "IPN repeated");
        return outcome_reply(IpnOutcome::Ignored);
    }
    let text = match signed_text(&state, &headers, &body, "payment") {
        Ok(text) => text,
        Err(answer) => return answer,
    };
    let report = match PaymentStatusBody::read(text, false) {
        Ok(report) => report,
        Err(e) => {
            count("payment", "bad_request");
            tracing::warn!(error = %e, "signed IPN of an unknown shape");
            return reply(StatusCode::BAD_REQUEST, "not a payment notification");
        }
    };
    // Everything logged about this IPN, here and while it is settled, carries its ids.
    let span = tracing::info_span!(
        "ipn",
        payment_id = %report.payment_id,
        order_id = report.order_id,
        status = %report.status.as_str(),
    );
    let (payment_id, reported) = (report.payment_id.clone(), report.status.clone());
    let settled = settler.settle(report).instrument(span.clone()).await;
    let _entered = span.enter();
    match settled {
        Ok(settled) => {
            count("payment", settled.outcome.as_str());
            // An IPN that moved its order is logged once, by settlement ("order moved", with
            // its payment id); the others (repeats, unknown orders, mismatches) here.
            if settled.outcome == IpnOutcome::Applied {
                tracing::debug!(order_id = settled.order_id, outcome = "applied", "IPN");
            } else {
                tracing::info!(
                    order_id = settled.order_id,
                    outcome = settled.outcome.as_str(),
                    "IPN"
                );
            }
            if let Some(signed) = signed
                && settled.is_spent(&reported)
            {
                let repeats = settler.repeats();
                repeats.remember(signed, &payment_id, settled.order_id);
            }
            outcome_reply(settled.outcome)
        }
        Err(e) => {
            count("payment", "error");
            tracing::error!(error = %e, "IPN not applied");
            reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "temporarily unable to process",
            )
        }
    }
}

/// A payout status change. Same signature rule; statuses arrive in capitals. Repeats, stale
/// statuses and unknown withdrawals are answered 200 and change nothing.
pub async fn payout(State(state): State<HttpState>, headers: HeaderMap, body: Bytes) -> Reply {
    let text = match signed_text(&state, &headers, &body, "payout") {
        Ok(text) => text,
        Err(answer) => return answer,
    };
    let update: Withdrawal = match serde_json::from_str(text) {
        Ok(u) => u,
        Err(e) => {
            count("payout", "bad_request");
            tracing::warn!(error = %e, "signed payout IPN of an unknown shape");
            return reply(StatusCode::BAD_REQUEST, "not a payout notification");
        }
    };
    let span = tracing::info_span!(
        "payout_ipn",
        withdrawal_id = %update.id,
        batch_id = update.batch_withdrawal_id.as_deref().unwrap_or("-"),
        status = %update.status,
    );
    let applied = updates::apply(&state.core.store, &update)
        .instrument(span.clone())
        .await;
    let _entered = span.enter();
    match applied {
        Ok(outcome) => {
            count("payout", outcome.as_str());
            if outcome == UpdateOutcome::Unknown {
                tracing::warn!(withdrawal = %update.id, "payout IPN for a withdrawal souk did not create");
            }
            tracing::info!(withdrawal = %update.id, status = %update.status, outcome = outcome.as_str(), "payout IPN");
            (
                StatusCode::OK,
                Json(json!({ "ok": true, "outcome": outcome.as_str() })),
            )
        }
        Err(e) => {
            count("payout", "error");
            tracing::error!(withdrawal = %update.id, error = %e, "payout IPN not applied");
            reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "temporarily unable to process",
            )
        }
    }
}

/// `POST /ipn/{rail}`: a webhook of a rail other than NOWPayments (e.g. NexPay). The rail checks
/// its own credentials (401) and reads the body (400); what it reports goes through the same
/// settlement as an IPN. Repeats change nothing.
pub async fn rail(
    State(state): State<HttpState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let Some(rail) = state.core.rails.named(&name) else {
        return reply(StatusCode::NOT_FOUND, "no such payment rail");
    };
    let notices = match rail.webhook(&headers, &body).await {
        Ok(n) => n,
        Err(e) => {
            let (status, result) = match &e {
                WebhookError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "bad_signature"),
                WebhookError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            };
            count(rail.name(), result);
            tracing::warn!(rail = rail.name(), error = %e, "webhook refused");
            return reply(status, &e.to_string());
        }
    };
    let mut outcomes = Vec::new();
    for notice in &notices {
        match state
            .core
            .settler
            .settle_notice(rail.as_ref(), notice)
            .await
        {
            Ok(settled) if settled.outcome == IpnOutcome::UnknownOrder => {
                count(rail.name(), "bad_request");
                tracing::warn!(rail = rail.name(), "webhook for no order of this rail");
                return reply(StatusCode::BAD_REQUEST, "no such order");
            }
            Ok(settled) => {
                count(rail.name(), settled.outcome.as_str());
                tracing::info!(
                    rail = rail.name(),
                    order_id = settled.order_id,
                    outcome = settled.outcome.as_str(),
                    "webhook"
                );
                outcomes.push(settled.outcome.as_str());
            }
            Err(e) => {
                count(rail.name(), "error");
                tracing::error!(rail = rail.name(), error = %e, "webhook not applied");
                return reply(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "temporarily unable to process",
                );
            }
        }
    }
    (
        StatusCode::OK,
        Json(json!({ "ok": true, "outcomes": outcomes })),
    )
}
