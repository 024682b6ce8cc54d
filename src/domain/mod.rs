//! Pure marketplace rules: money, commission, the order and payout state machines. No I/O here.

pub mod access;
pub mod coupon;
pub mod dispute;
pub mod ledger;
pub mod money;
pub mod order;
pub mod payout;
pub mod phone;
pub mod price;
pub mod product;
pub mod report;
pub mod review;
pub mod stats;

pub use money::UsdCents;
pub use order::OrderStatus;

/// The values of a status, listed: SQL that picks rows by status derives its list from the
/// domain's predicates (`store::status_in`), so each fact is written once.
pub trait Statuses: Copy + 'static {
    const ALL: &'static [Self];
    fn name(self) -> &'static str;
}

impl Statuses for OrderStatus {
    const ALL: &'static [Self] = &OrderStatus::ALL;
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Statuses for payout::PayoutStatus {
    const ALL: &'static [Self] = &payout::PayoutStatus::ALL;
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Statuses for payout::BatchStatus {
    const ALL: &'static [Self] = &payout::BatchStatus::ALL;
    fn name(self) -> &'static str {
        self.as_str()
    }
}
