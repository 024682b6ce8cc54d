//! Settings that would move the wrong amount of money are refused at start, naming the variable.

use souk::config::Config;
use std::collections::HashMap;

fn with_payout_currency(coin: &str) -> Result<Config, souk::config::ConfigError> {
    let vars: HashMap<String, String> = [
        ("TELOXIDE_TOKEN", "123:abc"),
        ("DATABASE_URL", "sqlite::memory:"),
        ("PAYOUT_CURRENCY", coin),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    Config::from_vars(&vars)
}

#[test]
fn a_payout_coin_that_is_not_a_dollar_stablecoin_is_refused_in_one_line() {
    for coin in ["trx", "btc", "eth"] {
        let e = with_payout_currency(coin).expect_err(coin).to_string();
        assert!(e.starts_with("PAYOUT_CURRENCY: "), "{e}");
        assert!(e.contains("dollar stablecoin") && !e.contains('\n'), "{e}");
    }
    for coin in ["usdttrc20", "usdterc20", "usdcsol"] {
        assert_eq!(
            with_payout_currency(coin).unwrap().payout_currency,
            coin,
            "{coin} pays dollars one for one"
        );
    }
}
