//! The Mini App (issue 17, in progress): its page at `/app`, and its API (`/api/app/…`),
//! every call of which is signed in by Telegram's
//! `initData` in an `Authorization: tma <initData>` header; the user comes from verified data
//! only, is refused when banned and rate-limited like in the bot. Bad or missing `initData` is
//! answered 401 and changes nothing.

mod catalog;
mod checkout;
mod orders;
pub mod page;

use super::HttpState;
use crate::bot::ratelimit::{RateLimiter, Verdict};
use crate::domain::money::CommissionRate;
use crate::miniapp::init_data;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::{get, post};
use secrecy::{ExposeSecret, SecretString};

/// What the API needs besides the store: the bot token `initData` is signed with, how old it
/// may be, each user's rate, and how prices are shown.
pub struct AppSettings {
    pub bot_token: SecretString,
    /// `MINIAPP_AUTH_MAX_AGE`, seconds.
    pub max_age: i64,
    pub limiter: RateLimiter,
    pub commission: CommissionRate,
    pub stars_per_usd: Option<rust_decimal::Decimal>,
    pub default_language: String,
    /// The chat's own checkout, on the same rails.
    pub checkout: crate::services::checkout::Checkout,
    /// `PUBLIC_URL`, for a Stars invoice's cover picture.
    pub public_url: Option<url::Url>,
    /// Stored copies of product files, for download links.
    pub files: std::sync::Arc<crate::files::FileStore>,
}

/// The signed-in user of one call.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: i64,
    pub first_name: String,
    /// The language the user picked in the bot, else their app's.
    pub lang: String,
}

/// A refused call: a status and a short reason (never the data sent).
pub type Refused = (StatusCode, &'static str);

/// A store failure, logged, as the caller sees it.
fn internal(e: crate::store::StoreError) -> Refused {
    tracing::error!(error = %e, "Mini App call failed");
    (StatusCode::INTERNAL_SERVER_ERROR, "try again shortly")
}

impl FromRequestParts<HttpState> for Session {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &HttpState) -> Result<Self, Refused> {
        let Some(app) = &state.app else {
            return Err((StatusCode::NOT_FOUND, "the Mini App is not served here"));
        };
        let given = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("tma "))
            .unwrap_or_default();
        let now = crate::store::now();
        let verified = init_data::verify(given, app.bot_token.expose_secret(), now, app.max_age)
            .map_err(|refusal| {
                tracing::info!(reason = refusal.as_str(), "Mini App call refused");
                (StatusCode::UNAUTHORIZED, refusal.as_str())
            })?;
        let user = verified.user;
        if app.limiter.check(user.id) != Verdict::Allow {
            return Err((
                StatusCode::TOO_MANY_REQUESTS,
                "too many requests, slow down",
            ));
        }
        let store = &state.core.store;
        if crate::store::users::is_banned(store, user.id)
            .await
            .map_err(internal)?
        {
            return Err((StatusCode::FORBIDDEN, "this account is banned"));
        }
        let app_language =
            crate::i18n::negotiate(user.language_code.as_deref(), &app.default_language);
        let lang = crate::store::users::seen(
            store,
            user.id,
            user.username.as_deref(),
            &user.first_name,
            &app_language,
        )
        .await
        .map_err(internal)?;
        Ok(Session {
            user_id: user.id,
            first_name: user.first_name,
            lang,
        })
    }
}

pub fn routes() -> Router<HttpState> {
    Router::new()
        .route("/app", get(page::index))
        .route("/app/app.js", get(page::script))
        .route("/app/app.css", get(page::style))
        .route("/api/app/me", get(catalog::me))
        .route("/api/app/ways", get(catalog::ways))
        .route("/api/app/catalog", get(catalog::home))
        .route("/api/app/search", get(catalog::search))
        .route("/api/app/products/{id}", get(catalog::product))
        .route("/api/app/purchases", get(orders::purchases))
        .route("/api/app/purchases/{id}/resend", post(orders::resend))
        .route("/api/app/purchases/{id}/link", get(orders::link))
        .route("/api/app/orders/{id}", get(orders::order))
        .route("/api/app/checkout", post(checkout::checkout))
}
