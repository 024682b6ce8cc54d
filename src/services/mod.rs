//! Use cases that tie the domain to the store and the payment rail: checkout, settlement, payouts.

pub mod checkout;
pub mod payouts;
pub mod settlement;
