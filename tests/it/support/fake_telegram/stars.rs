//! Telegram's rules for Stars invoices, and the bot's Star ledger as a test changes it.

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

impl FakeTelegram {
    /// The bot's Star ledger no longer lists this charge (a difference to reconcile).
    pub fn forget_star_charge(&self, charge_id: &str) {
        self.state().star_ledger.retain(|t| t["id"] != charge_id);
    }

    /// The bot's Star ledger shows this charge for another number of Stars.
    pub fn set_star_amount(&self, charge_id: &str, stars: u32) {
        let mut state = self.state();
        let t = state
            .star_ledger
            .iter_mut()
            .find(|t| t["id"] == charge_id)
            .expect("a known charge");
        t["amount"] = json!(stars);
    }
}
