//! Payment rails behind one trait (`rail::Rail`): crypto through NOWPayments (real, or
//! simulated by `sandbox`), Telegram Stars, and mobile money through NexPay.

pub mod address;
pub mod crypto;
pub mod currencies;
pub mod nexpay;
pub mod nowpayments;
pub mod rail;
pub mod rails;
pub mod sandbox;
pub mod stars;
pub mod uri;

pub use crate::domain::report::{Amount, PaymentReport};
use async_trait::async_trait;
pub use nowpayments::wire::PaymentStatusBody;

/// What souk asks the rail to create for an order.
#[derive(Debug, Clone)]
pub struct PaymentRequest {
    pub order_id: i64,
    /// Price plus commission, in US dollars (exact decimal).
    pub price_amount: rust_decimal::Decimal,
    /// Lower-case ticker, e.g. "btc".
    pub pay_currency: String,
    pub description: String,
    pub ipn_callback_url: Option<String>,
}

/// The payment the rail created: where and how much the buyer pays.
#[derive(Debug, Clone)]
pub struct CreatedPayment {
    pub payment_id: String,
    pub pay_address: String,
    pub pay_amount: Amount,
    pub expires_at: Option<String>,
}

/// The smallest payment the rail accepts in a coin, in US dollars.
#[derive(Debug, Clone)]
pub struct MinAmount {
    pub usd: Option<Amount>,
}

/// The answer to an address check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressCheck {
    Valid,
    /// Refused, with the provider's reason.
    Invalid(String),
}

/// Why a call to the payment rail did not give an answer souk can use. Never holds a secret.
#[derive(Debug, Clone, thiserror::Error)]
pub enum GatewayError {
    /// Network error, timeout, 5xx or 429: the rail is unavailable right now.
    #[error("payment provider unavailable: {0}")]
    Unavailable(String),
    /// The rail refused the request (4xx), with its code and message.
    #[error("payment provider refused ({status} {code}): {message}")]
    Rejected {
        status: u16,
        code: String,
        message: String,
    },
    #[error("payment not found")]
    NotFound,
    #[error("unexpected answer from payment provider: {0}")]
    BadResponse(String),
    /// A call that needs settings souk was not given (e.g. payouts without NOWPAYMENTS_EMAIL).
    #[error("not configured: {0}")]
    NotConfigured(&'static str),
}

/// NOWPayments' API (or its simulator), which the crypto rail, payouts and jobs use.

#[async_trait]
pub trait PaymentGateway: Send + Sync {
    /// Coins the rail can take right now (`GET /currencies`).
    async fn currencies(&self) -> Result<Vec<String>, GatewayError>;
    /// `GET /min-amount` for a coin, in USD.
    async fn min_amount(&self, pay_currency: &str) -> Result<MinAmount, GatewayError>;
    /// `POST /payment`. Never retried blindly: a retry could create a second payment.
    async fn create_payment(
        &self,
        request: &PaymentRequest,
    ) -> Result<CreatedPayment, GatewayError>;
    /// `POST /payout/validate-address`: whether NOWPayments would pay out to this address.
    async fn validate_address(
        &self,
        currency: &str,
        address: &str,
    ) -> Result<AddressCheck, GatewayError>;
    /// `GET /status`: whether the rail answers at all.
    async fn status(&self) -> Result<(), GatewayError>;
    /// `GET /payment/{id}`, read as the answer to a status check.
    async fn payment_status(&self, payment_id: &str) -> Result<PaymentReport, GatewayError>;
}
