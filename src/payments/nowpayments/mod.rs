//! NOWPayments: the HTTP client, the IPN signature and the wire types.

pub mod client;
pub mod signature;
pub mod wire;

pub use client::NowPaymentsClient;
