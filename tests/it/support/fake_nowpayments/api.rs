//! The payment API the fake answers: currencies, minimum amounts, address checks, payments
//! and their status.

use super::*;

impl FakeNowPayments {
    pub(super) fn currencies(&self) -> Response {
        let mut state = self.state();
        state.currencies_calls += 1;
        let list = serde_json::to_string(&state.currencies).expect("strings serialise");
        json_response(200, JsonObject::new().raw("currencies", &list).finish())
    }

    pub(super) fn min_amount(&self, query: &HashMap<String, String>) -> Result<Response, NpError> {
        let coin = query
            .get("currency_from")
            .map(|coin| coin.to_ascii_lowercase())
            .unwrap_or_default();
        let to = query
            .get("currency_to")
            .map(|coin| coin.to_ascii_lowercase())
            .unwrap_or_else(|| coin.clone());
        let state = self.state();
        if !state
            .currencies
            .iter()
            .any(|known| known.eq_ignore_ascii_case(&coin))
        {
            return Err(invalid_params(format!("Currency {coin} was not found")));
        }
        let fiat = state
            .min_fiat
            .get(&coin)
            .cloned()
            .unwrap_or_else(|| DEFAULT_MIN_FIAT.to_owned());
        let min_coin = usd_to_coin(parse_units(&fiat).expect("checked by set_min_fiat"), &coin);
        let mut body = JsonObject::new()
            .str("currency_from", &coin)
            .str("currency_to", &to)
            .raw("min_amount", &format_units(min_coin));
        if query.contains_key("fiat_equivalent") {
            body = body.raw("fiat_equivalent", &fiat);
        }
        Ok(json_response(200, body.finish()))
    }

    /// `POST /payout/validate-address`: plain text `OK` (200) for a well-formed address, the
    /// JSON error NOWPayments gives (400) otherwise.
    pub(super) fn validate_address(&self, body: &[u8]) -> Result<Response, NpError> {
        let request: Value =
            serde_json::from_slice(body).map_err(|_| invalid_params("Invalid JSON body"))?;
        let address = request["address"]
            .as_str()
            .ok_or_else(|| invalid_params("address is required"))?;
        let currency = request["currency"]
            .as_str()
            .ok_or_else(|| invalid_params("currency is required"))?;
        let valid = match currency {
            "usdttrc20" | "trx" => {
                address.len() == 34
                    && address.starts_with('T')
                    && address.chars().all(|c| c.is_ascii_alphanumeric())
            }
            "eth" | "usdterc20" => {
                address.len() == 42
                    && address.starts_with("0x")
                    && address[2..].chars().all(|c| c.is_ascii_hexdigit())
            }
            _ => !address.is_empty(),
        };
        if valid {
            Ok((StatusCode::OK, "OK").into_response())
        } else {
            Err(np_error(
                400,
                "BAD_CREATE_WITHDRAWAL_REQUEST",
                format!("Invalid payout_address: {address}"),
            ))
        }
    }

    pub(super) fn create_payment(&self, body: &[u8]) -> Result<Response, NpError> {
        let request: Value =
            serde_json::from_slice(body).map_err(|_| invalid_params("Invalid JSON body"))?;
        let raw: HashMap<String, Box<RawValue>> = serde_json::from_slice(body)
            .map_err(|_| invalid_params("Body must be a JSON object"))?;
        let text = |key: &str| -> Option<String> {
            match request.get(key)? {
                Value::String(text) => Some(text.clone()),
                Value::Number(number) => Some(number.to_string()),
                _ => None,
            }
        };
        // Keep the price's number text exactly as sent.
        let price_amount = match request.get("price_amount") {
            Some(Value::Number(_)) => raw["price_amount"].get().to_owned(),
            Some(Value::String(text)) => text.clone(),
            _ => return Err(invalid_params("\"price_amount\" is required")),
        };
        let price_units = parse_units(&price_amount).filter(|units| *units > 0);
        let price_units = price_units
            .ok_or_else(|| invalid_params("\"price_amount\" must be a positive number"))?;
        let price_currency = text("price_currency")
            .ok_or_else(|| invalid_params("\"price_currency\" is required"))?
            .to_ascii_lowercase();
        let pay_currency = text("pay_currency")
            .ok_or_else(|| invalid_params("\"pay_currency\" is required"))?
            .to_ascii_lowercase();

        let mut state = self.state();
        if !state
            .currencies
            .iter()
            .any(|known| known.eq_ignore_ascii_case(&pay_currency))
        {
            return Err(invalid_params(format!(
                "Currency {pay_currency} was not found"
            )));
        }
        let min_fiat = state
            .min_fiat
            .get(&pay_currency)
            .map_or(DEFAULT_MIN_FIAT, String::as_str);
        if price_units < parse_units(min_fiat).expect("checked by set_min_fiat") {
            return Err(np_error(
                400,
                "AMOUNT_MINIMAL_ERROR",
                "amountTo is too small",
            ));
        }

        let id = FIRST_PAYMENT_ID + state.payments.len() as u64;
        let payment_id = id.to_string();
        let now = now_ms();
        let payment = FakePayment {
            request: request.clone(),
            payment_id: payment_id.clone(),
            order_id: text("order_id"),
            order_description: text("order_description"),
            ipn_callback_url: text("ipn_callback_url"),
            pay_amount: format_units(usd_to_coin(price_units, &pay_currency)),
            pay_address: address_for(&pay_currency, id),
            pay_currency: pay_currency.clone(),
            price_amount: price_amount.clone(),
            price_currency,
            status: "waiting".to_owned(),
            actually_paid: "0".to_owned(),
            created_at: iso(now),
            updated_at: iso(now),
            updated_at_ms: now,
        };
        let body = JsonObject::new()
            .str("payment_id", &payment_id)
            .str("payment_status", &payment.status)
            .str("pay_address", &payment.pay_address)
            .raw("price_amount", &payment.price_amount)
            .str("price_currency", &payment.price_currency)
            .raw("pay_amount", &payment.pay_amount)
            .str("pay_currency", &payment.pay_currency)
            .opt_str("order_id", payment.order_id.as_deref())
            .opt_str("order_description", payment.order_description.as_deref())
            .opt_str("ipn_callback_url", payment.ipn_callback_url.as_deref())
            .str("created_at", &payment.created_at)
            .str("updated_at", &payment.updated_at)
            .str("purchase_id", &purchase_id(&payment_id))
            .raw("amount_received", "null")
            .raw("payin_extra_id", "null")
            .str("smart_contract", "")
            .str("network", network(&pay_currency))
            .raw("network_precision", "8")
            .raw("time_limit", "null")
            .raw("burning_percent", "null")
            .str("expiration_estimate_date", &iso(now + 20 * 60 * 1000))
            .str("valid_until", &iso(now + 7 * 24 * 3600 * 1000))
            .str("type", "crypto2crypto")
            .finish();
        state.payments.push(payment);
        Ok(json_response(201, body))
    }

    pub(super) fn payment_status(&self, payment_id: &str) -> Result<Response, NpError> {
        let state = self.state();
        let payment = state
            .payments
            .iter()
            .find(|payment| payment.payment_id == payment_id);
        let payment =
            payment.ok_or_else(|| np_error(404, "PAYMENT_NOT_FOUND", "Payment not found"))?;
        Ok(json_response(200, payment_json(payment)))
    }
}

/// A payment as `GET /payment/{id}` (and each item of `GET /payment/`) shows it.
pub(super) fn payment_json(payment: &FakePayment) -> String {
    let paid = parse_units(&payment.actually_paid).expect("checked by set_status");
    JsonObject::new()
        .raw("payment_id", &payment.payment_id)
        .str("payment_status", &payment.status)
        .str("pay_address", &payment.pay_address)
        .raw("payin_extra_id", "null")
        .raw("price_amount", &payment.price_amount)
        .str("price_currency", &payment.price_currency)
        .raw("pay_amount", &payment.pay_amount)
        .raw("actually_paid", &format_units(paid))
        .str("pay_currency", &payment.pay_currency)
        .opt_str("order_id", payment.order_id.as_deref())
        .opt_str("order_description", payment.order_description.as_deref())
        .str("purchase_id", &purchase_id(&payment.payment_id))
        .raw("outcome_amount", &outcome(paid))
        .str("outcome_currency", &payment.pay_currency)
        .raw("payout_hash", "null")
        .raw("payin_hash", "null")
        .str("created_at", &payment.created_at)
        .str("updated_at", &payment.updated_at)
        .str("type", "crypto2crypto")
        .finish()
}

pub(super) fn purchase_id(payment_id: &str) -> String {
    let id: u64 = payment_id.parse().expect("fake payment ids are numbers");
    (id - FIRST_PAYMENT_ID + FIRST_PURCHASE_ID).to_string()
}

/// What reaches the merchant after NOWPayments' 0.5% fee.
pub(super) fn outcome(paid_units: u128) -> String {
    format_units(paid_units * 995 / 1000)
}
