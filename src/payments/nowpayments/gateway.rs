//! `PaymentGateway`: what souk asks of NOWPayments' payment API (or of its sandbox simulator),
//! and the requests and answers it speaks.

use super::super::{GatewayError, PaymentReport};
use super::wire::Amount;
use async_trait::async_trait;

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
