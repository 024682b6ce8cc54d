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
pub use nowpayments::wire::PaymentStatusBody;
pub use nowpayments::{AddressCheck, PaymentGateway};

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
