//! `GET /metrics`: Prometheus text format, behind `METRICS_TOKEN` (a bearer token) when set;
//! without one, only to this machine (a scraper on localhost, or a sidecar).

use std::net::SocketAddr;

use super::HttpState;
use crate::store::{orders, outbox};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use secrecy::ExposeSecret;
use subtle::ConstantTimeEq;

pub async fn metrics(State(state): State<HttpState>, request: Request) -> Response {
    let headers = request.headers();
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
    } else if !from_this_machine(&request) {
        let why =
            "metrics are served to localhost only; set METRICS_TOKEN to read them from elsewhere";
        return (StatusCode::FORBIDDEN, why).into_response();
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

/// Whether the request came from a loopback address (the server records who connected).
fn from_this_machine(request: &Request) -> bool {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(addr)| addr.ip().is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request_from(addr: Option<&str>) -> Request {
        let mut request = Request::new(axum::body::Body::empty());
        if let Some(addr) = addr {
            let addr: SocketAddr = addr.parse().unwrap();
            request.extensions_mut().insert(ConnectInfo(addr));
        }
        request
    }

    #[test]
    fn without_a_token_only_this_machine_reads_metrics() {
        assert!(from_this_machine(&request_from(Some("127.0.0.1:5000"))));
        assert!(from_this_machine(&request_from(Some("[::1]:5000"))));
        assert!(!from_this_machine(&request_from(Some("10.0.0.7:5000"))));
        assert!(!from_this_machine(&request_from(None)));
    }
}
