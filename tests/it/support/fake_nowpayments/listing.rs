//! `GET /v1/payment/` (JWT): the payment list NOWPayments keeps, paged and filtered by
//! creation date, and what a test plants in it: money souk never heard of, a payment
//! NOWPayments no longer knows, a price that differs.

use super::api::payment_json;
use super::*;

impl FakeNowPayments {
    /// The list: `limit` 1 to 500 (10 by default), `page` from 0, `dateFrom`/`dateTo` (ISO
    /// dates or times) on `created_at`, oldest first.
    pub(super) fn list_payments(
        &self,
        query: &HashMap<String, String>,
    ) -> Result<Response, NpError> {
        let number = |key: &str, default: usize| match query.get(key) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .map_err(|_| invalid_params(format!("{key} must be a number"))),
        };
        let limit = number("limit", 10)?;
        if !(1..=500).contains(&limit) {
            return Err(invalid_params("limit must be between 1 and 500"));
        }
        let page = number("page", 0)?;
        let bound = |key: &str| -> Result<Option<i64>, NpError> {
            let Some(v) = query.get(key) else {
                return Ok(None);
            };
            let at = chrono::DateTime::parse_from_rfc3339(v)
                .map(|t| t.timestamp())
                .or_else(|_| {
                    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").map(|d| {
                        d.and_hms_opt(0, 0, 0)
                            .expect("midnight")
                            .and_utc()
                            .timestamp()
                    })
                })
                .map_err(|_| invalid_params(format!("{key} must be a date")))?;
            Ok(Some(at))
        };
        let (from, to) = (bound("dateFrom")?, bound("dateTo")?);
        let state = self.state();
        let created = |p: &FakePayment| {
            chrono::DateTime::parse_from_rfc3339(&p.created_at)
                .map(|t| t.timestamp())
                .unwrap_or_default()
        };
        let listed: Vec<&FakePayment> = state
            .payments
            .iter()
            .filter(|p| !state.forgotten.contains(&p.payment_id))
            .filter(|p| from.is_none_or(|f| created(p) >= f) && to.is_none_or(|t| created(p) <= t))
            .collect();
        let total = listed.len();
        let items: Vec<String> = listed
            .iter()
            .skip(page * limit)
            .take(limit)
            .map(|p| payment_json(p))
            .collect();
        let body = format!(
            r#"{{"data":[{}],"limit":{limit},"page":{page},"pagesCount":{},"total":{total}}}"#,
            items.join(","),
            total.div_ceil(limit)
        );
        Ok(json_response(200, body))
    }

    /// Money souk never heard of: a finished payment for `price` USD under `order_id`.
    pub fn plant_payment(&self, order_id: &str, price: &str) -> String {
        let body = format!(
            r#"{{"price_amount":{price},"price_currency":"usd","pay_currency":"btc","order_id":"{order_id}"}}"#
        );
        assert!(
            self.create_payment(body.as_bytes()).is_ok(),
            "a planted payment is valid"
        );
        let id = self
            .payments()
            .last()
            .expect("just created")
            .payment_id
            .clone();
        let amount = self
            .payments()
            .last()
            .expect("just created")
            .pay_amount
            .clone();
        self.set_status(&id, "finished", &amount);
        id
    }

    /// NOWPayments no longer lists this payment.
    pub fn forget_payment(&self, payment_id: &str) {
        self.state().forgotten.insert(payment_id.to_owned());
    }

    /// NOWPayments lists this payment with another price.
    pub fn set_price(&self, payment_id: &str, price: &str) {
        let mut state = self.state();
        let payment = state
            .payments
            .iter_mut()
            .find(|p| p.payment_id == payment_id)
            .expect("a known payment");
        payment.price_amount = price.to_owned();
    }
}
