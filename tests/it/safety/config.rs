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

fn config(pairs: &[(&str, &str)]) -> Result<Config, souk::config::ConfigError> {
    let vars: HashMap<String, String> = [("TELOXIDE_TOKEN", "123:abc")]
        .iter()
        .chain(pairs)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_vars(&vars)
}

#[test]
fn sandbox_mode_is_on_only_without_any_real_rail_or_when_asked() {
    assert!(config(&[]).unwrap().sandbox(), "only a token: sandbox");
    let stars = config(&[("STARS_PER_USD", "75")]).unwrap();
    assert!(
        !stars.sandbox() && !stars.crypto(),
        "Stars are real: no simulator"
    );
    let asked = config(&[("STARS_PER_USD", "75"), ("SANDBOX", "true")]).unwrap();
    assert!(asked.sandbox() && asked.crypto());
    let e = config(&[("SANDBOX", "false")]).unwrap_err().to_string();
    assert!(e.starts_with("SANDBOX: "), "{e}");
    let e = config(&[
        ("SANDBOX", "true"),
        ("NOWPAYMENTS_API_KEY", "k"),
        ("NOWPAYMENTS_IPN_SECRET", "s"),
        ("NOWPAYMENTS_EMAIL", "a@b.c"),
        ("NOWPAYMENTS_PASSWORD", "p"),
        ("NOWPAYMENTS_2FA_SECRET", "JBSWY3DPEHPK3PXP"),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with("SANDBOX: ") && e.contains("cannot pay"),
        "{e}"
    );
}
