//! The payment-rail abstraction: what checkout, the `/ipn/{rail}` endpoint and reconciliation ask
//! of any way to pay. A new rail is one module implementing `Rail`, added in `rails::Rails::from_config`.

use super::GatewayError;
use crate::domain::report::{Amount, PaymentReport};
use crate::domain::{OrderStatus, UsdCents};
use crate::store::orders::Order;
use async_trait::async_trait;

/// The `pay_currency` of Telegram Stars orders (XTR): no other rail may claim it.
pub const STARS: &str = "xtr";

/// How a choice is named on its button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// A locale key (e.g. "button-stars").
    Key(&'static str),
    /// Shown as is (a coin's ticker).
    Text(String),
}

/// One button of the "how do you pay" keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Stored as the order's `pay_currency`; unique across rails.
    pub code: String,
    pub label: Label,
    /// What the rail's amounts are counted in, as shown ("BTC", "XOF", "XTR").
    pub unit: String,
    /// The buyer gives a phone number before paying (mobile money).
    pub needs_phone: bool,
}

/// What a rail is asked to bill: an order just written (or reused).
#[derive(Debug, Clone)]
pub struct Bill<'a> {
    pub order_id: i64,
    /// Price plus commission.
    pub total: UsdCents,
    /// The chosen `Choice::code`.
    pub code: &'a str,
    pub title: &'a str,
    /// The buyer's Telegram name.
    pub buyer_name: &'a str,
    /// In international format, when the choice needs one.
    pub phone: Option<&'a str>,
}

/// What starting a payment gave.
#[derive(Debug, Clone)]
pub enum Started {
    /// Telegram bills the buyer inside the chat (Stars): nothing to record until it is paid.
    Invoice { stars: u32 },
    /// The rail created a payment, recorded on the order before the buyer sees it.
    Payment(NewPayment),
}

#[derive(Debug, Clone)]
pub struct NewPayment {
    /// The rail's id for the payment; unique across orders.
    pub payment_id: String,
    /// A crypto address, or the rail's checkout page.
    pub pay_to: String,
    /// Exact decimal text, in the rail's own unit (a coin, XOF…).
    pub amount: String,
    pub expires_at: Option<String>,
    /// A QR code image the rail made (else souk draws one).
    pub qr_png: Option<Vec<u8>>,
}

/// How the bot shows a started order to its buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presentation {
    /// An address, an amount and a QR code of the payment URI.
    Address,
    /// A Telegram invoice.
    Invoice,
    /// A link to the rail's checkout page, and a QR code of it.
    Link,
}

/// Why a total cannot be paid with a choice.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Refused {
    /// Below what the rail accepts (its minimum in USD, as text).
    #[error("below the minimum of {0} USD")]
    BelowMinimum(String),
    #[error(transparent)]
    Provider(#[from] GatewayError),
}

/// Why a webhook was not taken.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// Missing or wrong credentials: 401.
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// Not a notification souk understands: 400.
    #[error("bad request: {0}")]
    BadRequest(String),
}

/// A notification, read. Settlement does the checks and the settling (`settlement::apply_notice`).
#[derive(Debug, Clone)]
pub enum Notice {
    /// A report settled as it stands: it names its payment and restates the order's price
    /// (NOWPayments' IPNs and status answers).
    Report(Box<PaymentReport>),
    /// A rail's verdict on one of its orders. Settlement loads the order, checks that it is this
    /// rail's and, for a payment, that the amount is the order's, then settles it as a report.
    Status {
        order_id: i64,
        /// `Finished`, `Failed`, `Expired` or `Refunded`.
        status: OrderStatus,
        /// What the rail says was paid, in its own unit; checked against the order's amount.
        paid: Option<Amount>,
        /// Where it came from, in the order's history ("nexpay", "telegram-stars-resumed").
        source: &'static str,
        /// What the rail sent, kept in the history.
        raw: String,
    },
    /// The rail no longer knows the payment and gave no verdict (a webhook was lost): expired
    /// when past its deadline, else the admins are asked to look.
    Closed { order_id: i64 },
}

/// One way to pay: NOWPayments (crypto), Telegram Stars, NexPay (mobile money)…
#[async_trait]
pub trait Rail: Send + Sync {
    /// Its name in logs and in `/ipn/{name}`.
    fn name(&self) -> &'static str;
    fn presentation(&self) -> Presentation;
    /// The buttons it offers now, in the order shown.
    async fn choices(&self) -> Result<Vec<Choice>, GatewayError>;
    /// Whether an order's `pay_currency` is one of its choices.
    fn serves(&self, code: &str) -> bool;
    /// Payments here are simulated (sandbox mode): their orders deliver but credit no seller.
    fn simulated(&self) -> bool {
        false
    }
    /// Refuses a total the rail cannot take, before any order is written.
    async fn admits(&self, _code: &str, _total: UsdCents) -> Result<(), Refused> {
        Ok(())
    }
    /// Starts paying an order. Never retried blindly: a retry could bill twice.
    async fn start(&self, bill: &Bill<'_>) -> Result<Started, GatewayError>;
    /// Where a started order's payment stands, as a report to settle; `None` when the rail
    /// cannot tell (then only its webhook or the order's expiry moves it).
    async fn check(&self, order: &Order) -> Result<Option<Notice>, GatewayError>;
    /// How often reconciliation asks about one quiet order (seconds): often enough that a
    /// payment the rail closes is seen before the order expires.
    fn check_every(&self) -> i64 {
        3600
    }
    /// What an order of this rail is worth in the rail's unit, computed from its total: checks
    /// a Stars invoice before payment, and a payment whose order holds no amount (its start
    /// failed after the rail had billed it).
    fn amount_due(&self, _order: &Order) -> Option<rust_decimal::Decimal> {
        None
    }
    /// Reads a webhook posted to `/ipn/{name}`; rails without one refuse it.
    async fn webhook(
        &self,
        _headers: &axum::http::HeaderMap,
        _body: &[u8],
    ) -> Result<Vec<Notice>, WebhookError> {
        Err(WebhookError::BadRequest(
            "this rail takes no webhook".into(),
        ))
    }
}
