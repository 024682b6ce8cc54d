//! US dollars as integer cents, and the platform commission rounded half-up to the cent.

use rust_decimal::Decimal;
use std::fmt;

/// An amount of US dollars in whole cents. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UsdCents(pub i64);

impl std::iter::Sum for UsdCents {
    fn sum<I: Iterator<Item = UsdCents>>(amounts: I) -> UsdCents {
        UsdCents(amounts.map(|a| a.0).sum())
    }
}

impl UsdCents {
    pub fn cents(self) -> i64 {
        self.0
    }

    /// The exact decimal value in dollars, e.g. 2570 -> 25.70.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    pub fn checked_add(self, other: UsdCents) -> Option<UsdCents> {
        self.0.checked_add(other.0).map(UsdCents)
    }

    /// Parses a dollar amount with at most two decimals ("25", "25.7", "25.70").
    /// Only plain digits and one dot (or comma, as French users write it) are accepted.
    pub fn parse_dollars(text: &str) -> Result<UsdCents, MoneyError> {
        let text = text.trim().trim_start_matches('$').trim();
        let text = text.replace(',', ".");
        let (whole, frac) = match text.split_once('.') {
            Some((w, f)) => (w, f),
            None => (text.as_str(), ""),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || (!frac.is_empty() && !digits(frac)) || (text.ends_with('.')) {
            return Err(MoneyError::NotANumber);
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        if whole.len() > 12 {
            return Err(MoneyError::TooLarge);
        }
        let whole: i64 = whole.parse().map_err(|_| MoneyError::NotANumber)?;
        let mut cents: i64 = frac.parse::<i64>().unwrap_or(0);
        if frac.len() == 1 {
            cents *= 10;
        }
        whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(cents))
            .map(UsdCents)
            .ok_or(MoneyError::TooLarge)
    }
}

impl fmt::Display for UsdCents {
    /// "25.70": two decimals, no currency sign (the locale adds it).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not a number")]
    NotANumber,
    #[error("more than two decimals")]
    TooManyDecimals,
    #[error("too large")]
    TooLarge,
}

/// A commission rate in hundredths of a basis point, exact: 2.78% is `CommissionRate::parse("2.78")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommissionRate(Decimal);

impl CommissionRate {
    /// Parses a percentage between 0 and 100 ("2.78").
    pub fn parse(percent: &str) -> Option<CommissionRate> {
        let d: Decimal = percent.trim().parse().ok()?;
        (d >= Decimal::ZERO && d <= Decimal::ONE_HUNDRED).then_some(CommissionRate(d))
    }

    pub fn percent(self) -> Decimal {
        self.0
    }

    /// price × percent / 100, rounded half-up to the cent (25.00 at 2.78% -> 0.70).
    pub fn commission_on(self, price: UsdCents) -> UsdCents {
        let exact = Decimal::from(price.0) * self.0 / Decimal::ONE_HUNDRED;
        let rounded =
            exact.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        UsdCents(i64::try_from(rounded.mantissa()).unwrap_or(i64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dollars_with_up_to_two_decimals() {
        assert_eq!(UsdCents::parse_dollars("25"), Ok(UsdCents(2500)));
        assert_eq!(UsdCents::parse_dollars("25.7"), Ok(UsdCents(2570)));
        assert_eq!(UsdCents::parse_dollars(" $25.70 "), Ok(UsdCents(2570)));
        assert_eq!(UsdCents::parse_dollars("12,50"), Ok(UsdCents(1250)));
        assert_eq!(UsdCents::parse_dollars("0.05"), Ok(UsdCents(5)));
    }

    #[test]
    fn refuses_what_is_not_a_plain_amount() {
        for bad in [
            "", "abc", "1e3", "-5", "10.", ".5", "1.2.3", "NaN", "ten", "5 USD",
        ] {
            assert_eq!(
                UsdCents::parse_dollars(bad),
                Err(MoneyError::NotANumber),
                "{bad}"
            );
        }
        assert_eq!(
            UsdCents::parse_dollars("10.001"),
            Err(MoneyError::TooManyDecimals)
        );
        assert_eq!(
            UsdCents::parse_dollars("9999999999999"),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn displays_two_decimals() {
        assert_eq!(UsdCents(2570).to_string(), "25.70");
        assert_eq!(UsdCents(5).to_string(), "0.05");
        assert_eq!(UsdCents(-150).to_string(), "-1.50");
    }

    #[test]
    fn commission_rounds_half_up_to_the_cent() {
        let rate = CommissionRate::parse("2.78").unwrap();
        assert_eq!(rate.commission_on(UsdCents(2500)), UsdCents(70)); // 69.5 -> 70
        assert_eq!(rate.commission_on(UsdCents(1000)), UsdCents(28)); // 27.8 -> 28
        assert_eq!(rate.commission_on(UsdCents(1799)), UsdCents(50)); // 50.0122 -> 50
        let half = CommissionRate::parse("5").unwrap();
        assert_eq!(half.commission_on(UsdCents(1010)), UsdCents(51)); // 50.5 -> 51
        assert_eq!(
            CommissionRate::parse("0")
                .unwrap()
                .commission_on(UsdCents(999)),
            UsdCents(0)
        );
    }

    #[test]
    fn commission_rate_must_be_a_percentage() {
        assert!(CommissionRate::parse("-1").is_none());
        assert!(CommissionRate::parse("101").is_none());
        assert!(CommissionRate::parse("abc").is_none());
    }
}
