//! Use cases that tie the domain to the store and the payment rail: checkout, settlement,
//! payouts, moderation.

pub mod books;
pub mod broadcast;
pub mod checkout;
pub mod coupons;
pub mod disputes;
pub mod export;
pub mod moderation;
pub mod payouts;
pub mod redelivery;
pub mod restock;
pub mod reviews;
pub mod settlement;
pub mod sold_out;
pub mod stars;
