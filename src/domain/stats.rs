//! Sales statistics over a period: revenue, counts, top sellers, coins, fees, and the series the
//! chart draws. Pure: the rows come from the store, exact to the cent.

use super::UsdCents;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The period `/stats` covers, ending now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
}

impl Period {
    pub fn parse(text: &str) -> Option<Period> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "week" | "semaine" => Some(Period::Week),
            "day" | "jour" => Some(Period::Day),
            "month" | "mois" => Some(Period::Month),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// The chart's buckets: hours for a day, days otherwise.
    pub fn buckets(self) -> (usize, i64) {
        match self {
            Period::Day => (24, 3600),
            Period::Week => (7, 86_400),
            Period::Month => (30, 86_400),
        }
    }

    /// The period's window `[start, end)` as of `now`, in whole UTC hours (day) or days: the
    /// last bucket is the current hour or today.
    pub fn window(self, now: i64) -> (i64, i64) {
        let (n, size) = self.buckets();
        let start = now - now.rem_euclid(size) - (n as i64 - 1) * size;
        (start, start + n as i64 * size)
    }
}

/// One finished sale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sale {
    pub sold_at: i64,
    pub seller_id: i64,
    pub seller_name: String,
    pub price: UsdCents,
    pub commission: UsdCents,
    pub total: UsdCents,
    pub currency: String,
    /// What NOWPayments kept, in US cents, when its report said (actually paid vs outcome).
    pub fee: Option<UsdCents>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerLine {
    pub seller_id: i64,
    pub name: String,
    pub sales: usize,
    pub earned: UsdCents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoinLine {
    pub currency: String,
    pub sales: usize,
    pub volume: UsdCents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub sales: usize,
    /// What buyers paid (price plus commission).
    pub gross: UsdCents,
    /// What the platform kept.
    pub commission: UsdCents,
    /// Gross over sales, half-up to the cent.
    pub average: UsdCents,
    pub top_sellers: Vec<SellerLine>,
    pub coins: Vec<CoinLine>,
    pub fees: UsdCents,
    /// Sales whose fee NOWPayments' reports do not tell.
    pub fees_unknown: usize,
    /// Gross volume per bucket, oldest first (the chart).
    pub series: Vec<UsdCents>,
}

/// Half-up division of cents.
fn div_half_up(sum: i64, n: i64) -> i64 {
    if n == 0 { 0 } else { (2 * sum + n) / (2 * n) }
}

/// A day argument (`2026-11-29`, UTC) as unix seconds at its start.
pub fn day_start(text: &str) -> Option<i64> {
    let day = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
}

/// An admin's `[from] [to]` (UTC days, both included) as `[start, end)` unix seconds: none given
/// is the last `default_days` up to `now`; one is from that day to `now`. `None` when a day
/// does not read or the days are in the wrong order.
pub fn days_between(args: &str, default_days: i64, now: i64) -> Option<(i64, i64)> {
    let words: Vec<&str> = args.split_whitespace().collect();
    match words.as_slice() {
        [] => Some((now - default_days * 86_400, now + 1)),
        [from] => Some((day_start(from)?, now + 1)),
        [from, to] => {
            let (from, to) = (day_start(from)?, day_start(to)?);
            (from <= to).then_some((from, to + 86_400))
        }
        _ => None,
    }
}
/// NOWPayments' fee for a sale, in cents: the share of the coin it kept, applied to the total.
pub fn fee_cents(total: UsdCents, actually_paid: Decimal, outcome: Decimal) -> Option<UsdCents> {
    if actually_paid <= Decimal::ZERO || outcome < Decimal::ZERO || outcome > actually_paid {
        return None;
    }
    let share = (actually_paid - outcome) / actually_paid;
    let cents = (total.to_decimal() * share * Decimal::from(100))
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(cents.mantissa() / 10i128.pow(cents.scale()))
        .ok()
        .map(UsdCents)
}

/// Folds the sales of the period's window starting at `start` into statistics.
pub fn compute(sales: &[Sale], period: Period, start: i64) -> Stats {
    let (n, size) = period.buckets();
    let end = start + n as i64 * size;
    let in_period: Vec<&Sale> = sales
        .iter()
        .filter(|s| s.sold_at >= start && s.sold_at < end)
        .collect();
    let gross: i64 = in_period.iter().map(|s| s.total.0).sum();
    let commission: i64 = in_period.iter().map(|s| s.commission.0).sum();

    let mut sellers: BTreeMap<i64, SellerLine> = BTreeMap::new();
    let mut coins: BTreeMap<String, CoinLine> = BTreeMap::new();
    let mut series = vec![UsdCents(0); n];
    let (mut fees, mut fees_unknown) = (0i64, 0usize);
    for s in &in_period {
        let line = sellers.entry(s.seller_id).or_insert_with(|| SellerLine {
            seller_id: s.seller_id,
            name: s.seller_name.clone(),
            sales: 0,
            earned: UsdCents(0),
        });
        line.sales += 1;
        line.earned.0 += s.price.0;
        let coin = coins.entry(s.currency.clone()).or_insert_with(|| CoinLine {
            currency: s.currency.clone(),
            sales: 0,
            volume: UsdCents(0),
        });
        coin.sales += 1;
        coin.volume.0 += s.total.0;
        let bucket = ((s.sold_at - start) / size) as usize;
        series[bucket.min(n - 1)].0 += s.total.0;
        match s.fee {
            Some(f) => fees += f.0,
            None => fees_unknown += 1,
        }
    }
    let mut top_sellers: Vec<SellerLine> = sellers.into_values().collect();
    top_sellers.sort_by(|a, b| b.earned.cmp(&a.earned).then(a.seller_id.cmp(&b.seller_id)));
    top_sellers.truncate(10);
    let mut coins: Vec<CoinLine> = coins.into_values().collect();
    coins.sort_by(|a, b| b.volume.cmp(&a.volume).then(a.currency.cmp(&b.currency)));
    Stats {
        sales: in_period.len(),
        gross: UsdCents(gross),
        commission: UsdCents(commission),
        average: UsdCents(div_half_up(gross, in_period.len() as i64)),
        top_sellers,
        coins,
        fees: UsdCents(fees),
        fees_unknown,
        series,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn admin_periods_are_utc_days_both_included() {
        let now = 1_795_219_200 + 3_600;
        assert_eq!(day_start("2026-11-21"), Some(1_795_219_200));
        assert_eq!(day_start("21/11/2026"), None);
        assert_eq!(days_between("", 7, now), Some((now - 7 * 86_400, now + 1)));
        assert_eq!(
            days_between("2026-11-20 2026-11-21", 7, now),
            Some((1_795_219_200 - 86_400, 1_795_219_200 + 86_400))
        );
        assert_eq!(days_between("2026-11-21 2026-11-20", 7, now), None);
        assert_eq!(days_between("a b c", 7, now), None);
    }

    use super::*;
    use std::str::FromStr;

    fn sale(at: i64, seller: i64, price: i64, currency: &str, fee: Option<i64>) -> Sale {
        let commission = price * 278 / 10_000;
        Sale {
            sold_at: at,
            seller_id: seller,
            seller_name: format!("s{seller}"),
            price: UsdCents(price),
            commission: UsdCents(commission),
            total: UsdCents(price + commission),
            currency: currency.into(),
            fee: fee.map(UsdCents),
        }
    }

    #[test]
    fn sums_averages_rankings_and_buckets_are_exact() {
        let end = 10 * 86_400;
        let (start, stop) = Period::Week.window(end - 1);
        assert_eq!((start, stop), (3 * 86_400, end));
        assert_eq!(Period::Day.window(3600 * 5 + 7), (-18 * 3600, 6 * 3600));
        let sales = [
            sale(end - 100, 1, 2500, "btc", Some(13)),
            sale(end - 86_400 - 5, 2, 1000, "eth", None),
            sale(end - 3 * 86_400, 1, 1001, "btc", Some(5)),
            sale(end - 8 * 86_400, 3, 9999, "btc", Some(1)), // outside the week
            sale(end, 3, 9999, "btc", Some(1)),              // the end is excluded
        ];
        let s = compute(&sales, Period::Week, start);
        assert_eq!(s.sales, 3);
        assert_eq!(s.gross, UsdCents(2569 + 1027 + 1028));
        assert_eq!(s.commission, UsdCents(69 + 27 + 27));
        assert_eq!(s.average, UsdCents(1541)); // 4624 / 3 = 1541.33
        assert_eq!(s.top_sellers[0].seller_id, 1);
        assert_eq!(s.top_sellers[0].earned, UsdCents(3501));
        assert_eq!(s.coins[0].currency, "btc");
        assert_eq!((s.fees, s.fees_unknown), (UsdCents(18), 1));
        assert_eq!(s.series.len(), 7);
        assert_eq!(s.series[6], UsdCents(2569));
        assert_eq!(s.series[5], UsdCents(1027));
        assert_eq!(s.series[4], UsdCents(1028));
        assert_eq!(s.series.iter().map(|c| c.0).sum::<i64>(), s.gross.0);
        assert_eq!(compute(&[], Period::Day, start).average, UsdCents(0));
        assert_eq!(Period::parse("MONTH"), Some(Period::Month));
        assert_eq!(Period::parse(""), Some(Period::Week));
        assert_eq!(Period::parse("year"), None);
    }

    #[test]
    fn fees_come_from_what_nowpayments_kept() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        // 0.5% kept of a $25.70 total: 12.85 cents, half-up to 13.
        assert_eq!(
            fee_cents(UsdCents(2570), d("1"), d("0.995")),
            Some(UsdCents(13))
        );
        assert_eq!(fee_cents(UsdCents(2570), d("0"), d("0")), None);
        assert_eq!(fee_cents(UsdCents(2570), d("1"), d("2")), None);
    }
}
