//! Telegram's rules for Stars invoices.

use super::*;

/// Telegram's rules for an invoice in Stars: one price line, no provider token, and a title,
/// description and payload within their lengths.
pub(super) fn check_stars_invoice(p: &Map<String, Value>) -> Result<(), ApiError> {
    if p.get("currency").and_then(Value::as_str) != Some("XTR") {
        return Ok(());
    }
    let text = |key: &str| p.get(key).and_then(Value::as_str).unwrap_or_default();
    if !text("provider_token").is_empty() {
        return Err(bad_request(
            "provider_token must be empty for payments in Telegram Stars",
        ));
    }
    let lines = p
        .get("prices")
        .map(json_value)
        .and_then(|prices| prices.as_array().map(Vec::len))
        .unwrap_or(0);
    if lines != 1 {
        return Err(bad_request("Stars invoices must have exactly one price"));
    }
    for (key, max) in [("title", 32), ("description", 255), ("payload", 128)] {
        let n = text(key).chars().count();
        if n == 0 || n > max {
            return Err(bad_request(&format!("{key} must be 1 to {max} characters")));
        }
    }
    Ok(())
}
