//! The NexPay settings (`NEXPAY_*`): Wave and Orange Money through an operator's NexPay instance.

use super::{ConfigError, err};
use rust_decimal::Decimal;
use secrecy::SecretString;

/// The NexPay settings (`NEXPAY_*`).
#[derive(Debug, Clone)]
pub struct NexpayConfig {
    pub url: String,
    pub write_key: SecretString,
    pub project_id: String,
    pub webhook_secret: SecretString,
    /// The header NexPay puts the secret in.
    pub webhook_header: String,
    /// Units of `currency` per USD.
    pub usd_rate: Decimal,
    /// Upper-case ISO code, e.g. "XOF".
    pub currency: String,
}

/// `NEXPAY_URL`, `NEXPAY_WRITE_KEY`, `NEXPAY_PROJECT_ID` and `NEXPAY_WEBHOOK_SECRET` turn mobile
/// money on (all four or none), with `NEXPAY_USD_RATE` to price in `NEXPAY_CURRENCY`.
pub(super) fn nexpay_config(
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<NexpayConfig>, ConfigError> {
    const NEEDED: [&str; 4] = [
        "NEXPAY_URL",
        "NEXPAY_WRITE_KEY",
        "NEXPAY_PROJECT_ID",
        "NEXPAY_WEBHOOK_SECRET",
    ];
    let given: Vec<Option<String>> = NEEDED.iter().map(|n| get(n)).collect();
    if given.iter().all(Option::is_none) {
        return Ok(None);
    }
    if let Some(i) = given.iter().position(Option::is_none) {
        return Err(err(
            NEEDED[i],
            "is needed with the other NEXPAY_ settings (URL, WRITE_KEY, PROJECT_ID, WEBHOOK_SECRET)",
        ));
    }
    let [url, write_key, project_id, webhook_secret] =
        <[Option<String>; 4]>::try_from(given).map_err(|_| err("NEXPAY_URL", "is unreadable"))?;
    let url = url.unwrap_or_default();
    match url::Url::parse(&url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        _ => return Err(err("NEXPAY_URL", "is not an http(s) URL")),
    }
    let usd_rate = get("NEXPAY_USD_RATE")
        .ok_or_else(|| {
            err(
                "NEXPAY_USD_RATE",
                "is needed with NEXPAY_URL (e.g. 605 XOF per USD)",
            )
        })?
        .parse::<rust_decimal::Decimal>()
        .ok()
        .filter(|d| *d > rust_decimal::Decimal::ZERO && *d < rust_decimal::Decimal::from(1_000_000))
        .ok_or_else(|| err("NEXPAY_USD_RATE", "must be a positive number such as 605"))?;
    let currency = get("NEXPAY_CURRENCY")
        .unwrap_or_else(|| "XOF".into())
        .to_ascii_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(err(
            "NEXPAY_CURRENCY",
            "must be a three-letter code such as XOF",
        ));
    }
    let webhook_header = get("NEXPAY_WEBHOOK_HEADER")
        .unwrap_or_else(|| "x-webhook-secret".into())
        .to_ascii_lowercase();
    if axum::http::HeaderName::from_bytes(webhook_header.as_bytes()).is_err() {
        return Err(err("NEXPAY_WEBHOOK_HEADER", "is not a valid header name"));
    }
    Ok(Some(NexpayConfig {
        url,
        write_key: SecretString::from(write_key.unwrap_or_default()),
        project_id: project_id.unwrap_or_default(),
        webhook_secret: SecretString::from(webhook_secret.unwrap_or_default()),
        webhook_header,
        usd_rate,
        currency,
    }))
}
