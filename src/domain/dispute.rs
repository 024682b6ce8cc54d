//! Disputes' rules: their states, the parties who write in a thread, and what a partial refund
//! may be (more than nothing, less than the price: a full refund is a refund).

use super::UsdCents;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisputeStatus {
    /// The thread is open; the order's sale credit is frozen.
    Open,
    /// Settled by refunding the order in full.
    Refunded,
    /// Settled by refunding part of the price (the buyer keeps the goods).
    PartlyRefunded,
    /// Settled in the seller's favour.
    Closed,
}

impl DisputeStatus {
    pub const ALL: [DisputeStatus; 4] = [
        DisputeStatus::Open,
        DisputeStatus::Refunded,
        DisputeStatus::PartlyRefunded,
        DisputeStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DisputeStatus::Open => "open",
            DisputeStatus::Refunded => "refunded",
            DisputeStatus::PartlyRefunded => "partly_refunded",
            DisputeStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<DisputeStatus> {
        DisputeStatus::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// Who wrote a message of a dispute's thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Buyer,
    Seller,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Buyer => "buyer",
            Role::Seller => "seller",
            Role::Admin => "admin",
        }
    }
}

/// Why a partial refund typed by an admin is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartError {
    NotAnAmount,
    /// Nothing, or the whole price or more (a full refund is "Refund in full").
    OutOfRange,
}

/// A partial refund of an order of `price`, from the dollars an admin typed.
pub fn partial_refund(text: &str, price: UsdCents) -> Result<UsdCents, PartError> {
    let amount = UsdCents::parse_dollars(text).map_err(|_| PartError::NotAnAmount)?;
    if amount.0 <= 0 || amount.0 >= price.0 {
        return Err(PartError::OutOfRange);
    }
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_refund_is_more_than_nothing_and_less_than_the_price() {
        let price = UsdCents(3000);
        assert_eq!(partial_refund("12.50", price), Ok(UsdCents(1250)));
        assert_eq!(partial_refund("$0.01", price), Ok(UsdCents(1)));
        assert_eq!(partial_refund("30", price), Err(PartError::OutOfRange));
        assert_eq!(partial_refund("0", price), Err(PartError::OutOfRange));
        assert_eq!(partial_refund("-5", price), Err(PartError::NotAnAmount));
        assert_eq!(partial_refund("12.505", price), Err(PartError::NotAnAmount));
        assert_eq!(partial_refund("half", price), Err(PartError::NotAnAmount));
    }

    #[test]
    fn statuses_round_trip() {
        for s in DisputeStatus::ALL {
            assert_eq!(DisputeStatus::parse(s.as_str()), Some(s));
        }
    }
}
