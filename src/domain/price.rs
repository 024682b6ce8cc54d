//! What a buyer pays for a product: the seller's price plus the platform commission.

use super::money::{CommissionRate, UsdCents};

/// The breakdown shown to the buyer and sent to NOWPayments as `price_amount`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    /// What the seller is credited.
    pub price: UsdCents,
    /// What the platform keeps.
    pub commission: UsdCents,
    pub total: UsdCents,
    /// What a coupon took off (0 without one).
    pub discount: UsdCents,
}

impl Quote {
    pub fn for_price(price: UsdCents, rate: CommissionRate) -> Quote {
        let commission = rate.commission_on(price);
        Quote {
            price,
            commission,
            total: UsdCents(price.0 + commission.0),
            discount: UsdCents(0),
        }
    }

    /// The quote with a coupon: a seller's code lowers the price (the commission is then taken
    /// on the lower price, and the seller is credited the lower price); the platform's code is
    /// paid out of the commission and never lowers what the seller is credited. A discount
    /// never takes the price (or the commission) below nothing: a seller's code leaves at least
    /// a cent to pay.
    pub fn with_coupon(
        price: UsdCents,
        rate: CommissionRate,
        discount: super::coupon::Discount,
        funding: super::coupon::Funding,
    ) -> Quote {
        use super::coupon::Funding;
        match funding {
            Funding::Seller => {
                let off = discount.of(price).0.min(price.0 - 1).max(0);
                Quote {
                    discount: UsdCents(off),
                    ..Quote::for_price(UsdCents(price.0 - off), rate)
                }
            }
            Funding::Platform => {
                let full = Quote::for_price(price, rate);
                let off = discount.of(full.total).0.min(full.commission.0).max(0);
                Quote {
                    price,
                    commission: UsdCents(full.commission.0 - off),
                    total: UsdCents(full.total.0 - off),
                    discount: UsdCents(off),
                }
            }
        }
    }
}

/// The Stars price of a total: dollars times the rate, rounded up to a whole Star.
pub fn stars_for(total: UsdCents, stars_per_usd: rust_decimal::Decimal) -> Option<u32> {
    whole_units_for(total, stars_per_usd).and_then(|s| u32::try_from(s).ok())
}

/// A total in a local currency's whole units (e.g. XOF for mobile money): USD × `rate`, rounded
/// up so that the seller is never short. `None` when it does not fit.
pub fn whole_units_for(total: UsdCents, rate: rust_decimal::Decimal) -> Option<i64> {
    let units = (total.to_decimal() * rate).ceil();
    i64::try_from(units.mantissa() / 10i128.pow(units.scale()))
        .ok()
        .filter(|u| *u > 0)
}

/// The largest product price accepted: keeps totals far from any overflow and from absurd listings.
pub const MAXIMUM_PRODUCT_PRICE: UsdCents = UsdCents(100_000_000);

/// Why a seller's price is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceError {
    NotANumber,
    TooManyDecimals,
    BelowMinimum,
    TooLarge,
}

/// Parses a seller's price and checks it against the marketplace bounds.
pub fn parse_product_price(text: &str, minimum: UsdCents) -> Result<UsdCents, PriceError> {
    use super::money::MoneyError;
    let price = UsdCents::parse_dollars(text).map_err(|e| match e {
        MoneyError::NotANumber => PriceError::NotANumber,
        MoneyError::TooManyDecimals => PriceError::TooManyDecimals,
        MoneyError::TooLarge => PriceError::TooLarge,
    })?;
    if price < minimum {
        return Err(PriceError::BelowMinimum);
    }
    if price > MAXIMUM_PRODUCT_PRICE {
        return Err(PriceError::TooLarge);
    }
    Ok(price)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_round_up_to_a_whole_star() {
        use std::str::FromStr;
        let rate = rust_decimal::Decimal::from_str("75").unwrap();
        assert_eq!(stars_for(UsdCents(2570), rate), Some(1928)); // 1927.5
        assert_eq!(stars_for(UsdCents(1000), rate), Some(750));
        let rate = rust_decimal::Decimal::from_str("66.67").unwrap();
        assert_eq!(stars_for(UsdCents(1), rate), Some(1)); // 0.6667
        assert_eq!(stars_for(UsdCents(0), rate), None);
    }

    #[test]
    fn local_prices_round_up_to_a_whole_unit() {
        use std::str::FromStr;
        let xof = rust_decimal::Decimal::from_str("605.5").unwrap();
        assert_eq!(whole_units_for(UsdCents(1028), xof), Some(6225)); // 6224.54
        assert_eq!(whole_units_for(UsdCents(1000), xof), Some(6055));
        assert_eq!(whole_units_for(UsdCents(0), xof), None);
    }

    #[test]
    fn a_25_dollar_product_costs_25_70_at_2_78_percent() {
        let q = Quote::for_price(UsdCents(2500), CommissionRate::parse("2.78").unwrap());
        assert_eq!(
            (q.price, q.commission, q.total),
            (UsdCents(2500), UsdCents(70), UsdCents(2570))
        );
    }

    #[test]
    fn price_bounds() {
        let min = UsdCents(1000);
        assert_eq!(parse_product_price("10", min), Ok(UsdCents(1000)));
        assert_eq!(
            parse_product_price("9.99", min),
            Err(PriceError::BelowMinimum)
        );
        assert_eq!(
            parse_product_price("1000000.01", min),
            Err(PriceError::TooLarge)
        );
        assert_eq!(
            parse_product_price("12.345", min),
            Err(PriceError::TooManyDecimals)
        );
        assert_eq!(
            parse_product_price("twelve", min),
            Err(PriceError::NotANumber)
        );
    }
}
