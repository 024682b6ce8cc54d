//! Expiry and reconciliation, every 5 minutes: orders souk has not heard about for a while are
//! checked with their payment rail (`GET /payment/{id}` for crypto, hourly; the NexPay session,
//! every 5 minutes), so a lost notification still delivers; orders still open past their expiry
//! are expired (buyer told once, reserved item back in stock). Both go through the same
//! settlement as IPNs.

use crate::payments::GatewayError;
use crate::payments::rails::Rails;
use crate::services::settlement::{RefreshError, Settler};
use crate::store::StoreError;
use crate::store::ipn_events::IpnOutcome;
use crate::store::orders::{self, Order};

/// Orders quiet for this long are checked with their rail.
pub const QUIET_FOR_SECS: i64 = 15 * 60;
/// No order is checked more often than this, whatever its rail asks (the job's own cadence).
pub const CHECK_AT_MOST_EVERY_SECS: i64 = 5 * 60;
/// Without an expiry date from the rail, a payment expires after 7 days with nothing sent.
pub const DEFAULT_EXPIRY_SECS: i64 = 7 * 24 * 3600;
/// An order never billed (a Stars invoice left unpaid) holds its item for an hour.
pub const UNBILLED_EXPIRY_SECS: i64 = 3600;
/// A partly paid order is given this long after its payment's expiry to be topped up; then it
/// expires, its item goes back, and the admins are told to refund what arrived.
pub const PARTIAL_GRACE_SECS: i64 = 24 * 3600;
/// Orders checked per run at most (rails are not to be hammered).
const MAX_PER_RUN: i64 = 500;

#[derive(Clone)]
pub struct Reconciler {
    pub settler: Settler,
    pub rails: Rails,
}

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    pub checked: usize,
    /// Orders moved by what their rail said (lost notifications).
    pub moved: usize,
    pub expired: usize,
    pub errors: usize,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "checked {}, moved {}, expired {}, errors {}",
            self.checked, self.moved, self.expired, self.errors
        )
    }
}

impl Reconciler {
    /// One run as of `now` (unix seconds).
    pub async fn run(&self, now: i64) -> Result<Report, StoreError> {
        let mut report = Report::default();
        let candidates = orders::quiet(
            self.settler.store(),
            now - QUIET_FOR_SECS,
            now - CHECK_AT_MOST_EVERY_SECS,
            MAX_PER_RUN,
        )
        .await?;
        for quiet in candidates {
            let order = quiet.order;
            let every = self
                .rails
                .for_code(&order.pay_currency)
                .map_or(CHECK_AT_MOST_EVERY_SECS, |rail| rail.check_every());
            // Asked at the rail's pace, and always once more before the order expires.
            let past_expiry = expired(&order, quiet.created_at, now);
            if quiet.checked_at.is_some_and(|at| at > now - every) && !past_expiry {
                continue;
            }
            orders::mark_checked(self.settler.store(), order.id, now).await?;
            report.checked += 1;
            let status = match self.settler.refresh(&self.rails, &order).await {
                Ok(Some(settled)) => {
                    if settled.outcome == IpnOutcome::Applied {
                        report.moved += 1;
                    }
                    settled.status.unwrap_or(order.status)
                }
                Ok(None) | Err(RefreshError::Provider(GatewayError::NotFound)) => order.status,
                Err(RefreshError::Provider(e)) => {
                    tracing::warn!(order_id = order.id, error = %e, "reconciliation check failed");
                    report.errors += 1;
                    continue;
                }
                Err(RefreshError::Store(e)) => return Err(e),
            };
            let expire = match status {
                s if s.is_open() => past_expiry,
                // Dust must not hold an item forever.
                crate::domain::OrderStatus::PartiallyPaid => {
                    expired(&order, quiet.created_at, now - PARTIAL_GRACE_SECS)
                }
                _ => false,
            };
            if expire {
                let settled = self
                    .settler
                    .settle_own(
                        &order,
                        crate::domain::OrderStatus::Expired,
                        None,
                        "souk-expiry",
                    )
                    .await?;
                if settled.outcome == IpnOutcome::Applied {
                    tracing::info!(order_id = order.id, "order expired");
                    report.expired += 1;
                }
            }
        }
        Ok(report)
    }
}

/// Whether an open order is past its expiry: the rail's expiry date when it gave one, else 7
/// days after the order, or an hour for an order never billed.
fn expired(order: &Order, created_at: i64, now: i64) -> bool {
    let fallback = match order.payment_id {
        Some(_) => DEFAULT_EXPIRY_SECS,
        None => UNBILLED_EXPIRY_SECS,
    };
    now > order.expiry().unwrap_or(created_at + fallback)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::PaymentReport;
    use crate::domain::{OrderStatus, UsdCents};

    fn order(expires_at: Option<&str>) -> Order {
        Order {
            id: 3,
            buyer_id: 1,
            product_id: 1,
            seller_id: 2,
            price: UsdCents(1000),
            commission: UsdCents(28),
            total: UsdCents(1028),
            pay_currency: "btc".into(),
            status: OrderStatus::Waiting,
            payment_id: Some("9".into()),
            pay_address: None,
            pay_amount: None,
            actually_paid: None,
            expires_at: expires_at.map(String::from),
            sandbox: false,
            payment_message_id: None,
        }
    }

    #[test]
    fn expiry_follows_nowpayments_date_else_seven_days() {
        let o = order(Some("2026-11-21T10:00:00.000Z"));
        let deadline = 1_795_255_200; // 2026-11-21T10:00:00Z
        assert!(!expired(&o, 0, deadline - 1));
        assert!(expired(&o, 0, deadline + 1));
        let o = order(None);
        assert!(!expired(&o, 1000, 1000 + DEFAULT_EXPIRY_SECS));
        assert!(expired(&o, 1000, 1001 + DEFAULT_EXPIRY_SECS));
    }

    #[test]
    fn an_order_never_billed_lapses_after_an_hour() {
        let mut o = order(None);
        o.payment_id = None;
        assert!(!expired(&o, 1000, 1000 + UNBILLED_EXPIRY_SECS));
        assert!(expired(&o, 1000, 1001 + UNBILLED_EXPIRY_SECS));
    }

    #[test]
    fn the_expiry_report_matches_its_order() {
        let o = order(None);
        let r = PaymentReport::own(o.id, "9", OrderStatus::Expired, None, "souk-expiry", None);
        assert_eq!((r.payment_id.as_str(), r.status.as_str()), ("9", "expired"));
        // souk's own report restates no price, so it can never fail the order's price check.
        assert_eq!((r.order_id, r.price), (Some(o.id), None));
        assert_eq!(o.total, UsdCents(1028));
        assert!(r.raw.contains("souk-expiry"));
    }
}
