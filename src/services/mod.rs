//! Use cases that tie the domain to the store and the payment rail: checkout and settlement.

pub mod checkout;
pub mod settlement;
