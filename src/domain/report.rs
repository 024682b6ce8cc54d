//! What a payment rail reports about a payment, in souk's own words. Each rail turns its wire
//! format (an IPN, a status answer, a webhook, a Stars charge) into a `PaymentReport` at its
//! edge; settlement reads nothing else.

use super::OrderStatus;
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// An exact amount in any unit (a coin, XOF, Stars): the text the provider sent and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    text: String,
    value: Decimal,
}

impl Amount {
    /// Reads decimal text, plain or scientific (`1e-7`); `None` when it is not a number.
    pub fn parse(text: &str) -> Option<Amount> {
        let text = text.trim();
        let value = Decimal::from_str(text)
            .or_else(|_| Decimal::from_scientific(text))
            .ok()?;
        Some(Amount {
            text: text.to_string(),
            value,
        })
    }

    pub fn from_decimal(value: Decimal) -> Amount {
        Amount {
            text: value.normalize().to_string(),
            value,
        }
    }

    pub fn value(&self) -> Decimal {
        self.value
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The status a report gives, as an order status when souk knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportedStatus {
    Known(OrderStatus),
    /// A status souk does not know (a rail added one): kept in the history, changes nothing.
    Unknown(String),
}

impl ReportedStatus {
    pub fn parse(text: &str) -> ReportedStatus {
        text.parse()
            .map(ReportedStatus::Known)
            .unwrap_or_else(|_| ReportedStatus::Unknown(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        match self {
            ReportedStatus::Known(s) => s.as_str(),
            ReportedStatus::Unknown(s) => s,
        }
    }
}

/// The order's price as a rail restates it (NOWPayments does in every report): settlement
/// checks it against the order, and flags a report whose price is not the order's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RestatedPrice {
    /// Lower or upper case; souk prices in "usd".
    pub currency: Option<String>,
    pub amount: Option<Amount>,
}

/// What one rail said about one payment.
#[derive(Debug, Clone)]
pub struct PaymentReport {
    /// The rail's id for the payment (a NOWPayments payment id, a Stars charge id…).
    pub payment_id: String,
    /// The souk order the rail names, when it names one.
    pub order_id: Option<i64>,
    pub status: ReportedStatus,
    /// `None` for a rail that does not restate the price.
    pub price: Option<RestatedPrice>,
    /// The unit the buyer pays in, when the rail says (checked against the order's).
    pub pay_currency: Option<String>,
    /// What arrived so far, in the pay currency.
    pub paid: Option<Amount>,
    /// What the shop receives of it after the rail's fee, in the same unit (NOWPayments'
    /// `outcome_amount`): the fee shown in /stats.
    pub outcome: Option<Amount>,
    /// Who wrote the report when it is not the rail's own notification ("souk-expiry",
    /// "souk-admin-refund:<admin>", "telegram-stars"…), shown in the order's history.
    pub source: Option<String>,
    /// What the rail sent, kept in the order's history as it came.
    pub raw: String,
    /// An answer to souk's own status check (not news the rail pushed): kept in the history
    /// only when it changed something, since checks repeat every few minutes.
    pub check: bool,
}

impl PaymentReport {
    /// News a rail pushed (an IPN, a webhook's report), not souk's own report nor the answer to
    /// its status check: the same body twice is the same news.
    pub fn is_notification(&self) -> bool {
        self.source.is_none() && !self.check
    }

    /// A report souk writes itself about an order under `payment_id`: an expiry, a refund, a
    /// delivery after a restock, or a rail's verdict once checked. `raw` is what it is based on
    /// (a rail's webhook), or `None` to keep a short record of the report itself.
    pub fn own(
        order_id: i64,
        payment_id: &str,
        status: OrderStatus,
        paid: Option<Amount>,
        source: &str,
        raw: Option<String>,
    ) -> PaymentReport {
        let raw = raw.unwrap_or_else(|| {
            serde_json::json!({
                "source": source,
                "payment_id": payment_id,
                "status": status.as_str(),
                "paid": paid.as_ref().map(Amount::as_str),
                "order_id": order_id,
            })
            .to_string()
        });
        PaymentReport {
            payment_id: payment_id.to_string(),
            order_id: Some(order_id),
            status: ReportedStatus::Known(status),
            price: None,
            pay_currency: None,
            paid,
            outcome: None,
            source: Some(source.to_string()),
            raw,
            check: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_the_text_sent_and_read_scientific_notation() {
        let a = Amount::parse(" 0.00051400 ").unwrap();
        assert_eq!(a.as_str(), "0.00051400");
        assert_eq!(a.value(), Decimal::new(514, 6));
        assert_eq!(Amount::parse("1e-7").unwrap().value(), Decimal::new(1, 7));
        assert!(Amount::parse("abc").is_none());
    }

    #[test]
    fn statuses_souk_does_not_know_are_kept_as_said() {
        assert_eq!(
            ReportedStatus::parse("finished"),
            ReportedStatus::Known(OrderStatus::Finished)
        );
        let odd = ReportedStatus::parse("wrong_asset_confirmed");
        assert_eq!(odd.as_str(), "wrong_asset_confirmed");
        assert!(matches!(odd, ReportedStatus::Unknown(_)));
    }

    #[test]
    fn an_own_report_names_its_writer_and_keeps_a_record() {
        let r = PaymentReport::own(7, "555", OrderStatus::Expired, None, "souk-expiry", None);
        assert_eq!(r.order_id, Some(7));
        assert_eq!(r.source.as_deref(), Some("souk-expiry"));
        let record: serde_json::Value = serde_json::from_str(&r.raw).unwrap();
        assert_eq!(record["status"], "expired");
        assert_eq!(record["payment_id"], "555");
    }
}
