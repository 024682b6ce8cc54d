//! Pure marketplace rules: money, commission, the order and payout state machines. No I/O here.

pub mod ledger;
pub mod money;
pub mod order;
pub mod payout;
pub mod phone;
pub mod price;
pub mod product;
pub mod report;
pub mod stats;

pub use money::UsdCents;
pub use order::OrderStatus;
