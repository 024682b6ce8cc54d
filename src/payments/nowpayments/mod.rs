//! NOWPayments: the HTTP client, custody (payouts, conversions), 2FA codes, the IPN signature
//! and the wire types.

mod auth;
pub mod client;
pub mod custody;
pub mod gateway;
pub mod signature;
pub mod transport;
pub mod two_factor;
pub mod wire;

pub use client::NowPaymentsClient;
pub use gateway::{AddressCheck, CreatedPayment, MinAmount, PaymentGateway, PaymentRequest};
