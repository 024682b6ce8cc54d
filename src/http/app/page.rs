//! The Mini App's page (`/app`) and its script and style, embedded in the binary: small (no
//! framework, no build step), themed by Telegram's colours, and served under a strict
//! Content-Security-Policy (souk's own files and Telegram's web-app script only).

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderName};
use axum::response::IntoResponse;

const INDEX: &str = include_str!("../../miniapp/assets/index.html");
const SCRIPT: &str = include_str!("../../miniapp/assets/app.js");
const STYLE: &str = include_str!("../../miniapp/assets/app.css");

/// What the page may load and who may frame it (Telegram's clients).
pub const CSP: &str = "default-src 'none'; script-src 'self' https://telegram.org; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
    form-action 'none'; frame-ancestors 'self' https://web.telegram.org https://*.telegram.org";

/// Bytes of a first load: the page, its script and its style.
pub fn first_load_bytes() -> usize {
    INDEX.len() + SCRIPT.len() + STYLE.len()
}

fn headers(content_type: &'static str) -> [(HeaderName, &'static str); 5] {
    [
        (CONTENT_TYPE, content_type),
        (HeaderName::from_static("content-security-policy"), CSP),
        (HeaderName::from_static("x-content-type-options"), "nosniff"),
        (HeaderName::from_static("referrer-policy"), "no-referrer"),
        (CACHE_CONTROL, "no-cache"),
    ]
}

pub async fn index() -> impl IntoResponse {
    (headers("text/html; charset=utf-8"), INDEX)
}

pub async fn script() -> impl IntoResponse {
    (headers("text/javascript; charset=utf-8"), SCRIPT)
}

pub async fn style() -> impl IntoResponse {
    (headers("text/css; charset=utf-8"), STYLE)
}
