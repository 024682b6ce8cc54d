//! NOWPayments' JSON as it really arrives: ids and amounts as numbers or strings, exact decimals.

pub use crate::domain::report::Amount;
use crate::domain::report::{PaymentReport, ReportedStatus, RestatedPrice};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// The raw text of a JSON scalar: a string's content, a number's digits; `None` for null.
fn scalar_text(raw: &RawValue) -> Result<Option<String>, String> {
    let text = raw.get().trim();
    match text.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(text)
            .map(Some)
            .map_err(|e| e.to_string()),
        Some(b'n') if text == "null" => Ok(None),
        Some(b'{' | b'[' | b't' | b'f') | None => {
            Err(format!("expected a number or a string, got {text}"))
        }
        _ => Ok(Some(text.to_string())),
    }
}

/// An amount given as a number or a string; null or "" is `None`.
pub fn amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Amount>, D::Error> {
    let raw: Option<Box<RawValue>> = Option::deserialize(d)?;
    let Some(raw) = raw else { return Ok(None) };
    match scalar_text(&raw).map_err(serde::de::Error::custom)? {
        None => Ok(None),
        Some(t) if t.trim().is_empty() => Ok(None),
        Some(t) => Amount::parse(&t)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("{t:?} is not an amount"))),
    }
}

/// An id given as a number (`5745459419`) or a string (`"5745459419"`).
pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let raw: Box<RawValue> = Deserialize::deserialize(d)?;
    scalar_text(&raw)
        .map_err(serde::de::Error::custom)?
        .ok_or_else(|| serde::de::Error::custom("id is null"))
}

/// An optional id, number or string.
pub fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw: Option<Box<RawValue>> = Option::deserialize(d)?;
    match raw {
        None => Ok(None),
        Some(raw) => scalar_text(&raw).map_err(serde::de::Error::custom),
    }
}

/// A payment as NOWPayments describes it in an IPN or in `GET /payment/{id}`.
#[derive(Debug, Clone, Deserialize)]
pub struct PaymentStatusBody {
    #[serde(deserialize_with = "id")]
    pub payment_id: String,
    pub payment_status: String,
    #[serde(default)]
    pub pay_address: Option<String>,
    #[serde(default, deserialize_with = "amount")]
    pub price_amount: Option<Amount>,
    #[serde(default)]
    pub price_currency: Option<String>,
    #[serde(default, deserialize_with = "amount")]
    pub pay_amount: Option<Amount>,
    #[serde(default, deserialize_with = "amount")]
    pub actually_paid: Option<Amount>,
    #[serde(default)]
    pub pay_currency: Option<String>,
    #[serde(default, deserialize_with = "opt_id")]
    pub order_id: Option<String>,
    #[serde(default, deserialize_with = "amount")]
    pub outcome_amount: Option<Amount>,
    #[serde(default)]
    pub outcome_currency: Option<String>,
}

impl PaymentStatusBody {
    /// Reads an IPN body or a status answer (`raw`) as souk's payment report. `Err` says why
    /// it cannot be one: an `order_id` souk never sends (souk's order ids are numbers).
    pub fn read(raw: &str, check: bool) -> Result<PaymentReport, String> {
        let body: PaymentStatusBody = serde_json::from_str(raw).map_err(|e| e.to_string())?;
        body.into_report(raw.to_string(), check)
    }

    fn into_report(self, raw: String, check: bool) -> Result<PaymentReport, String> {
        let order_id = match self.order_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(
                text.parse::<i64>()
                    .map_err(|_| format!("order_id {text:?} is not a souk order"))?,
            ),
        };
        Ok(PaymentReport {
            payment_id: self.payment_id,
            order_id,
            status: ReportedStatus::parse(&self.payment_status),
            price: Some(RestatedPrice {
                currency: self.price_currency,
                amount: self.price_amount,
            }),
            pay_currency: self.pay_currency,
            paid: self.actually_paid,
            outcome: self.outcome_amount,
            source: None,
            raw,
            check,
        })
    }
}

/// `POST /payment`'s answer (payment_id is a string here).
#[derive(Debug, Clone, Deserialize)]
pub struct CreatedPaymentBody {
    #[serde(deserialize_with = "id")]
    pub payment_id: String,
    pub pay_address: String,
    #[serde(deserialize_with = "amount")]
    pub pay_amount: Option<Amount>,
    pub pay_currency: String,
    #[serde(default)]
    pub expiration_estimate_date: Option<String>,
    #[serde(default)]
    pub valid_until: Option<String>,
}

/// `{statusCode, code, message}`, NOWPayments' error shape.
#[derive(Debug, Clone, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CurrenciesBody {
    pub currencies: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MinAmountBody {
    /// The minimum in US dollars (`min_amount`, in the coin, is not needed: souk prices in USD).
    #[serde(default, deserialize_with = "amount")]
    pub fiat_equivalent: Option<Amount>,
}

/// NOWPayments answers some calls with the plain text `OK` (sometimes quoted).
pub fn is_plain_ok(text: &str) -> bool {
    text.trim().trim_matches('"').eq_ignore_ascii_case("ok")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    #[test]
    fn ids_and_amounts_arrive_as_numbers_or_strings() {
        let a: PaymentStatusBody = serde_json::from_str(
            r#"{"payment_id":5745459419,"payment_status":"finished","price_amount":25.7,"pay_amount":"0.00051400","actually_paid":0.000514,"order_id":"12"}"#,
        )
        .unwrap();
        assert_eq!(a.payment_id, "5745459419");
        assert_eq!(a.pay_amount.as_ref().unwrap().as_str(), "0.00051400");
        assert_eq!(
            a.actually_paid.unwrap().value(),
            Decimal::from_str("0.000514").unwrap()
        );
        assert_eq!(a.price_amount.unwrap().value(), Decimal::new(2570, 2));
        let b: CreatedPaymentBody = serde_json::from_str(
            r#"{"payment_id":"5745459419","pay_address":"bc1q","pay_amount":0.09853637216235617,"pay_currency":"btc"}"#,
        )
        .unwrap();
        assert_eq!(b.payment_id, "5745459419");
        assert_eq!(b.pay_amount.unwrap().as_str(), "0.09853637216235617");
    }

    #[test]
    fn scientific_and_null_amounts() {
        assert_eq!(
            Amount::parse("1e-7").unwrap().value(),
            Decimal::from_str("0.0000001").unwrap()
        );
        let a: PaymentStatusBody = serde_json::from_str(
            r#"{"payment_id":"1","payment_status":"waiting","actually_paid":null,"pay_amount":""}"#,
        )
        .unwrap();
        assert!(a.actually_paid.is_none() && a.pay_amount.is_none());
        assert!(
            serde_json::from_str::<PaymentStatusBody>(r#"{"payment_id":{},"payment_status":"x"}"#)
                .is_err()
        );
    }
}
