//! Coupons' rules: what a code may look like, what a discount is (a percentage or a fixed
//! amount) and who pays for it (the seller, or the platform out of its commission), and when a
//! code may be used.

use super::UsdCents;

/// A discount: a percentage of the price (in basis points: 1000 = 10%) or a fixed amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    Percent(i64),
    Fixed(UsdCents),
}

impl Discount {
    /// What it takes off `amount`: a percentage rounded half up to the cent.
    pub fn of(self, amount: UsdCents) -> UsdCents {
        match self {
            Discount::Percent(bp) => UsdCents((amount.0 * bp + 5_000) / 10_000),
            Discount::Fixed(cents) => cents,
        }
    }

    /// "10%" (basis points 1 to 10000, at most two decimals) or a dollar amount ("5", "$2.50").
    pub fn parse(text: &str) -> Option<Discount> {
        let text = text.trim();
        if let Some(percent) = text.strip_suffix('%') {
            let cents = UsdCents::parse_dollars(percent).ok()?;
            return (1..=10_000)
                .contains(&cents.0)
                .then_some(Discount::Percent(cents.0));
        }
        let cents = UsdCents::parse_dollars(text).ok()?;
        (cents.0 > 0).then_some(Discount::Fixed(cents))
    }
}

/// Who pays for a discount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Funding {
    /// A seller's code: their price is lowered.
    Seller,
    /// The platform's code (an admin's): out of the commission.
    Platform,
}

/// A code as typed, made canonical (upper case): 3 to 32 letters, digits, `-` or `_`.
pub fn canonical_code(text: &str) -> Option<String> {
    let code = text.trim().to_ascii_uppercase();
    let valid = (3..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then_some(code)
}

/// Why a code cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    Unknown,
    Expired,
    UsedUp,
    /// Another seller's code, or one for another product.
    NotForThis,
    /// This buyer used it already.
    AlreadyUsed,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::CommissionRate;
    use crate::domain::price::Quote;

    #[test]
    fn discounts_parse_as_sellers_type_them() {
        assert_eq!(Discount::parse("10%"), Some(Discount::Percent(1000)));
        assert_eq!(Discount::parse("12.5%"), Some(Discount::Percent(1250)));
        assert_eq!(
            Discount::parse("$2.50"),
            Some(Discount::Fixed(UsdCents(250)))
        );
        assert_eq!(Discount::parse("0%"), None);
        assert_eq!(Discount::parse("101%"), None);
        assert_eq!(Discount::parse("free"), None);
        assert_eq!(canonical_code(" spring-24 ").as_deref(), Some("SPRING-24"));
        assert_eq!(canonical_code("a b"), None);
        assert_eq!(canonical_code("ab"), None);
    }

    #[test]
    fn a_sellers_code_lowers_the_price_and_the_commission_follows() {
        let rate = CommissionRate::parse("2.78").unwrap();
        let q = Quote::with_coupon(
            UsdCents(2500),
            rate,
            Discount::Percent(1000),
            Funding::Seller,
        );
        // $25.00 - 10% = $22.50; 2.78% of it = $0.63 (0.6255 rounded half up).
        assert_eq!(
            (q.price, q.commission, q.total, q.discount),
            (UsdCents(2250), UsdCents(63), UsdCents(2313), UsdCents(250))
        );
        let all = Quote::with_coupon(
            UsdCents(500),
            rate,
            Discount::Fixed(UsdCents(900)),
            Funding::Seller,
        );
        assert_eq!(
            (all.price, all.discount),
            (UsdCents(1), UsdCents(499)),
            "a cent is left"
        );
    }

    #[test]
    fn the_platforms_code_comes_out_of_the_commission_never_the_sellers_price() {
        let rate = CommissionRate::parse("10").unwrap();
        let q = Quote::with_coupon(
            UsdCents(2000),
            rate,
            Discount::Fixed(UsdCents(150)),
            Funding::Platform,
        );
        assert_eq!(
            (q.price, q.commission, q.total, q.discount),
            (UsdCents(2000), UsdCents(50), UsdCents(2050), UsdCents(150))
        );
        let big = Quote::with_coupon(
            UsdCents(2000),
            rate,
            Discount::Percent(5000),
            Funding::Platform,
        );
        assert_eq!(
            (big.price, big.commission, big.total),
            (UsdCents(2000), UsdCents(0), UsdCents(2000))
        );
    }
}
