//! Webhook mode: Telegram posts updates to souk's own HTTP server (teloxide's axum listener,
//! merged into souk's router on the same `PORT`), after a constant-time check of the
//! `X-Telegram-Bot-Api-Secret-Token` header.
//!
//! Several replicas behind a load balancer each set the same webhook at start and never delete
//! it on stop (one replica stopping must not cut the others off).

use crate::config::WebhookConfig;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use secrecy::{ExposeSecret, SecretString};
use std::convert::Infallible;
use subtle::ConstantTimeEq;
use teloxide::prelude::*;
use teloxide::types::AllowedUpdate;
use teloxide::update_listeners::UpdateListener;
use teloxide::update_listeners::webhooks::{Options, axum_no_setup};

const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Long polling starts by deleting the bot's webhook: with the production token on a laptop,
/// that would silently cut production off. Refused while a webhook is set, unless `take_over`.
pub async fn may_poll(bot: &Bot, take_over: bool) -> anyhow::Result<()> {
    let info = bot
        .get_webhook_info()
        .await
        .map_err(|e| anyhow::anyhow!("could not ask Telegram whether a webhook is set ({e})"))?;
    let Some(url) = info.url else {
        return Ok(());
    };
    if take_over {
        tracing::warn!(
            host = url.host_str().unwrap_or("?"),
            "taking over from the bot's webhook: long polling deletes it"
        );
        return Ok(());
    }
    // The host only: a webhook's path may hold a secret.
    anyhow::bail!(
        "this bot has a webhook at {} (another souk, probably production): long polling would \
         cut it off. Set TELEGRAM_WEBHOOK_URL to run in webhook mode, use another bot token, \
         or set TELEGRAM_TAKE_OVER_WEBHOOK=true to take the bot over",
        url.host_str().unwrap_or("another host")
    )
}

/// Registers the webhook with Telegram and returns the update listener and its route.
pub async fn setup(
    bot: &Bot,
    config: &WebhookConfig,
) -> anyhow::Result<(impl UpdateListener<Err = Infallible> + use<>, Router)> {
    bot.set_webhook(config.url.clone())
        .secret_token(config.secret.expose_secret().to_string())
        .allowed_updates(vec![
            AllowedUpdate::Message,
            AllowedUpdate::CallbackQuery,
            AllowedUpdate::InlineQuery,
            AllowedUpdate::PreCheckoutQuery,
            AllowedUpdate::ChatJoinRequest,
            AllowedUpdate::ChatMember,
        ])
        .await
        .map_err(|e| anyhow::anyhow!("TELEGRAM_WEBHOOK_URL: Telegram refused the webhook ({e})"))?;
    let options = Options::new(([0, 0, 0, 0], 0).into(), config.url.clone())
        .secret_token(config.secret.expose_secret().to_string());
    let (listener, _stopped, router) = axum_no_setup(options);
    let router = router.layer(middleware::from_fn_with_state(
        config.secret.clone(),
        check_secret,
    ));
    tracing::info!(path = config.url.path(), "Telegram updates come by webhook");
    Ok((listener, router))
}

/// Refuses a request without the right secret header, comparing in constant time.
async fn check_secret(
    State(secret): State<SecretString>,
    request: Request,
    next: Next,
) -> Response {
    let given = request
        .headers()
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if bool::from(given.ct_eq(secret.expose_secret().as_bytes())) {
        next.run(request).await
    } else {
        tracing::warn!("webhook request with a wrong secret token refused");
        (StatusCode::UNAUTHORIZED, "wrong secret token").into_response()
    }
}
