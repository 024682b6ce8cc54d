//! Payout rules: who is paid and how much, the withdrawal state machine, the amount text sent.

use super::UsdCents;
use std::fmt;

/// A withdrawal's status. NOWPayments sends them in capitals; souk stores them in lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayoutStatus {
    /// Reserved in the ledger; not yet sent to NOWPayments.
    Planned,
    Creating,
    Waiting,
    Processing,
    Sending,
    Finished,
    Failed,
    Rejected,
    Cancelled,
}

impl PayoutStatus {
    pub const ALL: [PayoutStatus; 9] = [
        PayoutStatus::Planned,
        PayoutStatus::Creating,
        PayoutStatus::Waiting,
        PayoutStatus::Processing,
        PayoutStatus::Sending,
        PayoutStatus::Finished,
        PayoutStatus::Failed,
        PayoutStatus::Rejected,
        PayoutStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PayoutStatus::Planned => "planned",
            PayoutStatus::Creating => "creating",
            PayoutStatus::Waiting => "waiting",
            PayoutStatus::Processing => "processing",
            PayoutStatus::Sending => "sending",
            PayoutStatus::Finished => "finished",
            PayoutStatus::Failed => "failed",
            PayoutStatus::Rejected => "rejected",
            PayoutStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a status whatever its case ("FINISHED", "finished").
    pub fn parse(text: &str) -> Option<PayoutStatus> {
        let text = text.trim();
        PayoutStatus::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text))
    }

    pub fn is_final(self) -> bool {
        self.rank() == FINAL_RANK
    }

    /// Sent to NOWPayments and not final: the hourly poll asks about these when they go quiet.
    pub fn is_in_flight(self) -> bool {
        self != PayoutStatus::Planned && !self.is_final()
    }

    /// Whether the money never left: the amount goes back to the seller's balance.
    pub fn returns_money(self) -> bool {
        matches!(
            self,
            PayoutStatus::Failed | PayoutStatus::Rejected | PayoutStatus::Cancelled
        )
    }

    /// Whether NOWPayments has started paying it out (so its batch was verified).
    pub fn is_past_verification(self) -> bool {
        self.rank() >= PayoutStatus::Processing.rank() && !self.returns_money()
    }

    fn rank(self) -> u8 {
        match self {
            PayoutStatus::Planned => 0,
            PayoutStatus::Creating => 1,
            PayoutStatus::Waiting => 2,
            PayoutStatus::Processing => 3,
            PayoutStatus::Sending => 4,
            PayoutStatus::Finished
            | PayoutStatus::Failed
            | PayoutStatus::Rejected
            | PayoutStatus::Cancelled => FINAL_RANK,
        }
    }

    /// Statuses only move forward, and a final one never changes: a late or repeated
    /// notification changes nothing.
    pub fn can_move_to(self, next: PayoutStatus) -> bool {
        !self.is_final() && next.rank() > self.rank()
    }
}

const FINAL_RANK: u8 = 5;

impl fmt::Display for PayoutStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a batch (one `POST /payout`) is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchStatus {
    /// Amounts reserved; the batch may or may not exist at NOWPayments yet.
    Planned,
    /// NOWPayments created it (its id is recorded); not yet verified with 2FA.
    Created,
    Verified,
    /// Never paid: the amounts went back to the sellers' balances.
    Released,
}

impl BatchStatus {
    pub const ALL: [BatchStatus; 4] = [
        BatchStatus::Planned,
        BatchStatus::Created,
        BatchStatus::Verified,
        BatchStatus::Released,
    ];

    /// Not verified nor released yet: the run that holds it may still move it.
    pub fn is_open(self) -> bool {
        matches!(self, BatchStatus::Planned | BatchStatus::Created)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BatchStatus::Planned => "planned",
            BatchStatus::Created => "created",
            BatchStatus::Verified => "verified",
            BatchStatus::Released => "released",
        }
    }

    pub fn parse(text: &str) -> Option<BatchStatus> {
        BatchStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A seller who might be paid: their wallet (if any) and available balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub seller_id: i64,
    pub wallet_currency: String,
    pub address: String,
    pub available: UsdCents,
    /// A banned seller's money is held: never paid while the ban lasts.
    pub banned: bool,
}

/// One seller's share of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPayout {
    pub seller_id: i64,
    pub address: String,
    pub amount: UsdCents,
}

/// Who is paid: sellers not banned whose wallet is for the payout coin and whose whole available
/// balance reaches the minimum. Each is paid that whole balance.
pub fn plan(candidates: &[Candidate], currency: &str, minimum: UsdCents) -> Vec<PlannedPayout> {
    due(candidates, currency, minimum)
        .into_iter()
        .filter(|c| !c.banned)
        .map(|c| PlannedPayout {
            seller_id: c.seller_id,
            address: c.address.clone(),
            amount: c.available,
        })
        .collect()
}

/// Banned sellers who would be paid otherwise: their money is held until they are unbanned.
pub fn held<'a>(
    candidates: &'a [Candidate],
    currency: &str,
    minimum: UsdCents,
) -> Vec<&'a Candidate> {
    due(candidates, currency, minimum)
        .into_iter()
        .filter(|c| c.banned)
        .collect()
}

fn due<'a>(candidates: &'a [Candidate], currency: &str, minimum: UsdCents) -> Vec<&'a Candidate> {
    candidates
        .iter()
        .filter(|c| c.wallet_currency.eq_ignore_ascii_case(currency))
        .filter(|c| c.available >= minimum && c.available.0 > 0)
        .collect()
}

/// Whether a coin is a US dollar stablecoin (USDT, USDC or DAI on any network), the only kind a
/// dollar balance can be paid in one for one.
pub fn is_dollar_stablecoin(ticker: &str) -> bool {
    let t = ticker.to_ascii_lowercase();
    ["usdt", "usdc", "dai"].iter().any(|p| t.starts_with(p))
}

/// The amount NOWPayments is asked to send, in the payout stablecoin (1 USD = 1 USDT):
/// plain decimal text with two decimals, within the API's limit of six.
pub fn amount_text(amount: UsdCents) -> String {
    amount.to_string()
}

/// The total of a plan.
pub fn total(plan: &[PlannedPayout]) -> UsdCents {
    plan.iter().map(|p| p.amount).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(seller_id: i64, currency: &str, cents: i64) -> Candidate {
        Candidate {
            seller_id,
            wallet_currency: currency.into(),
            address: format!("T{seller_id}"),
            available: UsdCents(cents),
            banned: false,
        }
    }

    #[test]
    fn only_sellers_at_the_minimum_with_a_wallet_for_the_coin_are_paid_their_whole_balance() {
        let candidates = [
            c(1, "usdttrc20", 5000),
            c(2, "usdttrc20", 4999),
            c(3, "btc", 90000),
            c(4, "USDTTRC20", 123456),
        ];
        let plan = plan(&candidates, "usdttrc20", UsdCents(5000));
        let paid: Vec<(i64, i64)> = plan.iter().map(|p| (p.seller_id, p.amount.0)).collect();
        assert_eq!(paid, [(1, 5000), (4, 123456)]);
        assert_eq!(total(&plan), UsdCents(128456));
        assert!(super::plan(&[c(5, "usdttrc20", 0)], "usdttrc20", UsdCents(0)).is_empty());
    }

    #[test]
    fn statuses_parse_in_any_case_and_only_move_forward() {
        assert_eq!(
            PayoutStatus::parse("FINISHED"),
            Some(PayoutStatus::Finished)
        );
        assert_eq!(PayoutStatus::parse("Waiting"), Some(PayoutStatus::Waiting));
        assert_eq!(PayoutStatus::parse("paid"), None);
        assert!(PayoutStatus::Waiting.can_move_to(PayoutStatus::Processing));
        assert!(PayoutStatus::Planned.can_move_to(PayoutStatus::Rejected));
        assert!(!PayoutStatus::Sending.can_move_to(PayoutStatus::Processing));
        assert!(!PayoutStatus::Finished.can_move_to(PayoutStatus::Failed));
        assert!(!PayoutStatus::Failed.can_move_to(PayoutStatus::Finished));
        assert!(!PayoutStatus::Waiting.can_move_to(PayoutStatus::Waiting));
        assert!(PayoutStatus::Rejected.returns_money() && !PayoutStatus::Finished.returns_money());
        assert!(PayoutStatus::Sending.is_past_verification());
        assert!(!PayoutStatus::Waiting.is_past_verification());
        for s in PayoutStatus::ALL {
            assert_eq!(PayoutStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn amounts_are_exact_text() {
        assert_eq!(amount_text(UsdCents(5000)), "50.00");
        assert_eq!(amount_text(UsdCents(123456)), "1234.56");
        assert_eq!(amount_text(UsdCents(7)), "0.07");
    }

    #[test]
    fn a_banned_seller_is_held_not_paid() {
        let mut banned = c(7, "usdttrc20", 9000);
        banned.banned = true;
        let candidates = [c(1, "usdttrc20", 5000), banned, c(8, "usdttrc20", 10)];
        let paid: Vec<i64> = plan(&candidates, "usdttrc20", UsdCents(5000))
            .iter()
            .map(|p| p.seller_id)
            .collect();
        assert_eq!(paid, [1]);
        let held: Vec<i64> = held(&candidates, "usdttrc20", UsdCents(5000))
            .iter()
            .map(|c| c.seller_id)
            .collect();
        assert_eq!(held, [7]);
    }

    #[test]
    fn only_dollar_stablecoins_pay_dollars_one_for_one() {
        for coin in [
            "usdttrc20",
            "usdterc20",
            "USDTBSC",
            "usdcsol",
            "usdc",
            "dai",
        ] {
            assert!(is_dollar_stablecoin(coin), "{coin}");
        }
        for coin in ["trx", "btc", "eth", "sol", "ton", "xmr"] {
            assert!(!is_dollar_stablecoin(coin), "{coin}");
        }
    }
}
