//! `GET /metrics`: Prometheus text format, behind `METRICS_TOKEN` (a bearer token) when set.

use super::HttpState;
use crate::store::{orders, outbox};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use secrecy::ExposeSecret;
use subtle::ConstantTimeEq;

pub async fn metrics(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    if let Some(token) = &state.metrics_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        let ok: bool = given
            .as_bytes()
            .ct_eq(token.expose_secret().as_bytes())
            .into();
        if !ok {
            return (StatusCode::UNAUTHORIZED, "metrics need the bearer token").into_response();
        }
    }
    let mut gauges = Vec::new();
    match orders::count_by_status(&state.core.store).await {
        Ok(counts) => gauges.extend(
            counts
                .into_iter()
                .map(|(status, n)| ("souk_orders", vec![("status", status)], n)),
        ),
        Err(e) => tracing::error!(error = %e, "metrics: cannot count orders"),
    }
    match outbox::pending_count(&state.core.store).await {
        Ok(n) => gauges.push(("souk_outbox_pending", Vec::new(), n)),
        Err(e) => tracing::error!(error = %e, "metrics: cannot count the outbox"),
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::render(&gauges),
    )
        .into_response()
}
