//! The earnings ledger's rules: what each entry kind means and how balances derive from entries.

use super::UsdCents;

/// Why a seller's balance moved. Credits are positive amounts, debits negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// A finished order credits its seller the product price (the commission stays with the platform).
    Sale,
    /// Money sent to the seller's wallet (debit).
    Payout,
    /// A payout that failed gives its amount back (credit).
    PayoutReversal,
    /// A refunded order takes its price back (debit).
    Refund,
    /// A referred buyer's purchase earns their referrer a share of the commission.
    Referral,
    /// That share taken back when the purchase is refunded.
    ReferralReversal,
}

impl EntryKind {
    pub const ALL: [EntryKind; 6] = [
        EntryKind::Sale,
        EntryKind::Payout,
        EntryKind::PayoutReversal,
        EntryKind::Refund,
        EntryKind::Referral,
        EntryKind::ReferralReversal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Sale => "sale",
            EntryKind::Payout => "payout",
            EntryKind::PayoutReversal => "payout_reversal",
            EntryKind::Refund => "refund",
            EntryKind::Referral => "referral",
            EntryKind::ReferralReversal => "referral_reversal",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The signed amount an entry of this kind records for `amount` (given positive).
    pub fn signed(self, amount: UsdCents) -> UsdCents {
        match self {
            EntryKind::Sale | EntryKind::PayoutReversal | EntryKind::Referral => {
                UsdCents(amount.0.abs())
            }
            EntryKind::Payout | EntryKind::Refund | EntryKind::ReferralReversal => {
                UsdCents(-amount.0.abs())
            }
        }
    }
}

/// A seller's money as the ledger says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Balances {
    /// What can be paid out: the sum of every entry that cleared (negative when a refund came
    /// after a payout: later sales repay it first).
    pub available: UsdCents,
    /// What has left for the seller's wallet: payouts less the ones that failed and came back.
    pub paid_out: UsdCents,
    /// Sales still in the refund window (less their refunds).
    pub held: UsdCents,
    /// When the last of the held money clears.
    pub held_until: Option<i64>,
    /// Sales an open dispute freezes, whatever their window.
    pub frozen: UsdCents,
}

impl Balances {
    /// Folds entries (kind, signed amount) into balances.
    pub fn from_entries(entries: impl IntoIterator<Item = (EntryKind, UsdCents)>) -> Balances {
        entries
            .into_iter()
            .fold(Balances::default(), |b, (kind, amount)| Balances {
                held: b.held,
                held_until: b.held_until,
                frozen: b.frozen,
                available: UsdCents(b.available.0 + amount.0),
                paid_out: match kind {
                    EntryKind::Payout | EntryKind::PayoutReversal => {
                        UsdCents(b.paid_out.0 - amount.0)
                    }
                    _ => b.paid_out,
                },
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balances_are_sums_of_entries() {
        let entries = [
            (EntryKind::Sale, EntryKind::Sale.signed(UsdCents(2500))),
            (EntryKind::Sale, EntryKind::Sale.signed(UsdCents(1000))),
            (EntryKind::Refund, EntryKind::Refund.signed(UsdCents(1000))),
            (EntryKind::Payout, EntryKind::Payout.signed(UsdCents(2000))),
            (
                EntryKind::PayoutReversal,
                EntryKind::PayoutReversal.signed(UsdCents(2000)),
            ),
            (EntryKind::Payout, EntryKind::Payout.signed(UsdCents(2500))),
        ];
        let b = Balances::from_entries(entries);
        assert_eq!(b.available, UsdCents(0));
        assert_eq!(b.paid_out, UsdCents(2500));
    }

    #[test]
    fn kinds_round_trip_and_sign() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(EntryKind::Refund.signed(UsdCents(5)), UsdCents(-5));
        assert_eq!(EntryKind::Sale.signed(UsdCents(-5)), UsdCents(5));
    }
}
