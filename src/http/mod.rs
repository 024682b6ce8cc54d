//! The HTTP server (axum): NOWPayments payment and payout IPNs, other rails' webhooks
//! (`/ipn/{rail}`), the health check and metrics, products' covers, and the Mini App's API.

pub mod app;
pub mod covers;
pub mod health;
pub mod ipn;
pub mod metrics;
pub mod telegram;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use secrecy::SecretString;

/// IPN bodies are small; anything larger is refused with 413 before it is read in full.
pub const MAX_IPN_BODY: usize = 64 * 1024;

/// How long any request may take, and how many are served at once; past either, the server
/// answers 408 or 503 at once (NOWPayments and Telegram retry) instead of piling work up.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    pub timeout: std::time::Duration,
    pub max_in_flight: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            timeout: std::time::Duration::from_secs(10),
            max_in_flight: 1024,
        }
    }
}

/// The whole router (souk's routes and Telegram's webhook) behind the request timeout and the
/// concurrency limit, built once around the finished router so that every request counts
/// against the same limit.
pub fn harden(router: Router, limits: HttpLimits) -> Router {
    use axum::error_handling::HandleErrorLayer;
    use axum::http::StatusCode;
    use tower::ServiceBuilder;
    let limited = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(|_: tower::BoxError| async {
            crate::metrics::inc("souk_http_shed_total", &[]);
            (StatusCode::SERVICE_UNAVAILABLE, "busy, retry shortly")
        }))
        .load_shed()
        .concurrency_limit(limits.max_in_flight)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.timeout,
        ))
        .service(router);
    Router::new().fallback_service(limited)
}

#[derive(Clone)]
pub struct HttpState {
    /// The store, the rails (`/ipn/{rail}` webhooks), the admins told of failed payouts, and the
    /// settler that settles IPNs in batches, exactly once.
    pub core: crate::core::Core,
    pub ipn_secret: SecretString,
    /// `METRICS_TOKEN`: when set, /metrics wants it as a bearer token.
    pub metrics_token: Option<SecretString>,
    /// The bot covers are fetched with (none: `/covers` answers 404).
    pub bot: Option<teloxide::Bot>,
    /// The Mini App's API settings (none: `/api/app` answers 404).
    pub app: Option<std::sync::Arc<app::AppSettings>>,
}

pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(metrics::metrics))
        .route("/covers/{product}", get(covers::cover))
        .route(
            "/ipn/nowpayments",
            post(ipn::nowpayments).layer(DefaultBodyLimit::max(MAX_IPN_BODY)),
        )
        .route(
            "/ipn/payout",
            post(ipn::payout).layer(DefaultBodyLimit::max(MAX_IPN_BODY)),
        )
        .route(
            "/ipn/{rail}",
            post(ipn::rail).layer(DefaultBodyLimit::max(MAX_IPN_BODY)),
        )
        .merge(app::routes())
        .with_state(state)
}
