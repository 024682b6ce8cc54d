//! The order state machine: which payment statuses may follow which, so that state only moves forward.

use std::fmt;
use std::str::FromStr;

/// Where an order stands. `Created` exists before its rail bills it; the rest are the payment
/// statuses every rail's reports are read into (NOWPayments' names), plus `Cancelled` (the buyer gave up before paying) and
/// `PaidSoldOut` (paid after its item was released, with none left: nothing delivered, nothing
/// credited, to refund, or to deliver when the seller restocks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    Created,
    Waiting,
    Confirming,
    Confirmed,
    Sending,
    PartiallyPaid,
    Finished,
    Failed,
    Expired,
    Refunded,
    Cancelled,
    PaidSoldOut,
}

use OrderStatus::*;

impl OrderStatus {
    pub const ALL: [OrderStatus; 12] = [
        Created,
        Waiting,
        Confirming,
        Confirmed,
        Sending,
        PartiallyPaid,
        Finished,
        Failed,
        Expired,
        Refunded,
        Cancelled,
        PaidSoldOut,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Created => "created",
            Waiting => "waiting",
            Confirming => "confirming",
            Confirmed => "confirmed",
            Sending => "sending",
            PartiallyPaid => "partially_paid",
            Finished => "finished",
            Failed => "failed",
            Expired => "expired",
            Refunded => "refunded",
            Cancelled => "cancelled",
            PaidSoldOut => "paid_sold_out",
        }
    }

    /// The buyer can still pay (or cancel) this order.
    pub fn is_open(self) -> bool {
        matches!(self, Created | Waiting)
    }

    /// Paid and kept by the platform: what an admin may give back with /refund.
    pub fn is_refundable(self) -> bool {
        matches!(self, Finished | PaidSoldOut)
    }

    /// Money was seen and the payment is still on its way: what a seller's pending earnings count.
    pub fn is_money_on_the_way(self) -> bool {
        self.means_money_seen() && self != Finished
    }

    /// The payment may still move without souk (a rail may report news): open, or money on its
    /// way. Reconciliation asks the rails about these when they go quiet.
    pub fn is_unsettled(self) -> bool {
        self.is_open() || self.is_money_on_the_way()
    }

    /// A status a payment reaches only once money arrived.
    pub fn means_money_seen(self) -> bool {
        matches!(
            self,
            Confirming | Confirmed | Sending | PartiallyPaid | Finished
        )
    }

    /// Whether an order in `self` may move to `next`. Anything else (a duplicate, an IPN that
    /// arrives after a later one) changes nothing.
    ///
    /// The path is waiting → confirming → confirmed → sending → finished, with partially_paid
    /// possible once money is seen, failed/expired ending an unpaid order, and refunded only after
    /// finished. Money that settles after the order was expired or cancelled locally still wins:
    /// the buyer paid, so the order goes on to delivery.
    /// Whether an order here can ever come to `target`, in any number of moves: a report of a
    /// status it can never reach is ignored for good, whatever happens to the order later.
    pub fn can_ever_reach(self, target: OrderStatus) -> bool {
        let mut seen = vec![self];
        let mut next = 0;
        while let Some(&at) = seen.get(next) {
            next += 1;
            for to in OrderStatus::ALL
                .into_iter()
                .filter(|to| at.can_move_to(*to))
            {
                if to == target {
                    return true;
                }
                if !seen.contains(&to) {
                    seen.push(to);
                }
            }
        }
        false
    }

    pub fn can_move_to(self, next: OrderStatus) -> bool {
        if self == next {
            return false;
        }
        match (self, next) {
            (_, Created) => false,
            // Only settlement puts an order there, when a late payment finds nothing left.
            (_, PaidSoldOut) => false,
            (PaidSoldOut, n) => matches!(n, Finished | Refunded),
            (Created, _) => next != Refunded,
            (Waiting, _) => next != Refunded,
            (Confirming, n) => matches!(n, Confirmed | Sending | PartiallyPaid | Finished | Failed),
            (Confirmed, n) => matches!(n, Sending | PartiallyPaid | Finished | Failed),
            (Sending, n) => matches!(n, Finished | Failed | PartiallyPaid),
            (PartiallyPaid, n) => {
                matches!(
                    n,
                    Confirming | Confirmed | Sending | Finished | Failed | Expired | Refunded
                )
            }
            (Finished, n) => n == Refunded,
            (Expired | Cancelled, n) => matches!(
                n,
                Confirming | Confirmed | Sending | PartiallyPaid | Finished
            ),
            (Failed | Refunded, _) => false,
        }
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown order status {0:?}")]
pub struct UnknownStatus(pub String);

impl FromStr for OrderStatus {
    type Err = UnknownStatus;

    /// Case-insensitive, as NOWPayments is not consistent about case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        OrderStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == lower)
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_an_order_can_never_reach_is_ignored_for_good() {
        use OrderStatus::*;
        assert!(!Finished.can_ever_reach(Confirming));
        assert!(Finished.can_ever_reach(Refunded));
        assert!(!Refunded.can_ever_reach(Finished));
        assert!(!Failed.can_ever_reach(Finished));
        assert!(Waiting.can_ever_reach(Refunded), "after it finishes");
        assert!(Expired.can_ever_reach(Expired), "through a partial payment");
        assert!(!Finished.can_ever_reach(Finished));
    }

    #[test]
    fn unsettled_orders_are_open_or_have_money_on_the_way() {
        let on_the_way: Vec<_> = OrderStatus::ALL
            .into_iter()
            .filter(|s| s.is_money_on_the_way())
            .collect();
        assert_eq!(on_the_way, [Confirming, Confirmed, Sending, PartiallyPaid]);
        let unsettled: Vec<_> = OrderStatus::ALL
            .into_iter()
            .filter(|s| s.is_unsettled())
            .collect();
        assert_eq!(
            unsettled,
            [
                Created,
                Waiting,
                Confirming,
                Confirmed,
                Sending,
                PartiallyPaid
            ]
        );
    }

    #[test]
    fn the_happy_path_moves_forward() {
        let path = [
            Created, Waiting, Confirming, Confirmed, Sending, Finished, Refunded,
        ];
        for pair in path.windows(2) {
            assert!(pair[0].can_move_to(pair[1]), "{} -> {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn nothing_moves_backwards_or_repeats() {
        assert!(!Finished.can_move_to(Confirming));
        assert!(!Finished.can_move_to(Waiting));
        assert!(!Confirmed.can_move_to(Confirming));
        assert!(!Sending.can_move_to(Confirmed));
        for s in OrderStatus::ALL {
            assert!(!s.can_move_to(s), "{s} repeats");
            assert!(!s.can_move_to(Created), "{s} -> created");
        }
    }

    #[test]
    fn final_states_are_final() {
        for s in OrderStatus::ALL {
            assert!(!Failed.can_move_to(s));
            assert!(!Refunded.can_move_to(s));
        }
        assert!(!Finished.can_move_to(Failed));
        assert!(!Finished.can_move_to(Expired));
    }

    #[test]
    fn refunded_only_follows_money() {
        assert!(!Waiting.can_move_to(Refunded));
        assert!(!Created.can_move_to(Refunded));
        assert!(Finished.can_move_to(Refunded));
        assert!(PartiallyPaid.can_move_to(Refunded));
    }

    #[test]
    fn money_that_arrives_late_still_settles() {
        assert!(Expired.can_move_to(Finished));
        assert!(Cancelled.can_move_to(Confirming));
        assert!(!Expired.can_move_to(Waiting));
        assert!(!Expired.can_move_to(Failed));
    }

    #[test]
    fn a_paid_order_with_nothing_left_is_refunded_or_delivered_later() {
        assert!(PaidSoldOut.can_move_to(Refunded));
        assert!(PaidSoldOut.can_move_to(Finished));
        for s in OrderStatus::ALL {
            assert!(!s.can_move_to(PaidSoldOut), "{s} -> paid_sold_out");
        }
        assert!(!PaidSoldOut.can_move_to(Expired));
        assert!(!PaidSoldOut.can_move_to(Confirming));
    }

    #[test]
    fn partially_paid_can_be_topped_up() {
        assert!(Waiting.can_move_to(PartiallyPaid));
        assert!(PartiallyPaid.can_move_to(Finished));
        assert!(!Finished.can_move_to(PartiallyPaid));
    }

    #[test]
    fn statuses_parse_case_insensitively() {
        assert_eq!("FINISHED".parse::<OrderStatus>(), Ok(Finished));
        assert_eq!("partially_paid".parse::<OrderStatus>(), Ok(PartiallyPaid));
        assert!("bogus".parse::<OrderStatus>().is_err());
        for s in OrderStatus::ALL {
            assert_eq!(s.as_str().parse::<OrderStatus>(), Ok(s));
        }
    }
}
