//! Pure marketplace rules: money, commission, the order state machine. No I/O here.

pub mod ledger;
pub mod money;
pub mod order;
pub mod price;
pub mod product;

pub use money::UsdCents;
pub use order::OrderStatus;
