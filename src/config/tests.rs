//! The configuration's rules, variable by variable.

use super::*;

fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn only_a_token_gives_sandbox_defaults() {
    let c = Config::from_vars(&vars(&[("TELOXIDE_TOKEN", "1:abc")])).unwrap();
    assert!(c.sandbox());
    assert_eq!(c.database_url, "sqlite://souk.db");
    assert_eq!(c.port, 8080);
    assert_eq!(c.minimum_price, UsdCents(1000));
    assert_eq!(
        c.accepted_currencies,
        ["btc", "eth", "usdttrc20", "sol", "ton", "ltc"]
    );
    assert_eq!(c.ipn_secret.expose_secret().len(), 64);
}

#[test]
fn every_secret_is_listed_for_the_log_scrubber() {
    let c = Config::from_vars(&vars(&[
        ("TELOXIDE_TOKEN", "1:token-value"),
        (
            "DATABASE_URL",
            "postgres://souk:db-pass%40word@db:5432/souk",
        ),
        ("NOWPAYMENTS_API_KEY", "np-api-key"),
        ("NOWPAYMENTS_IPN_SECRET", "ipn-secret-value"),
        ("METRICS_TOKEN", "metrics-token"),
        ("S3_BUCKET", "b"),
        ("S3_ACCESS_KEY_ID", "id"),
        ("S3_SECRET_ACCESS_KEY", "s3-secret"),
    ]))
    .unwrap();
    let secrets = c.secrets();
    for s in [
        "1:token-value",
        "db-pass%40word",
        "np-api-key",
        "ipn-secret-value",
        "metrics-token",
        "s3-secret",
    ] {
        assert!(secrets.contains(&s), "{s} missing from {}", secrets.len());
    }
}

#[test]
fn a_database_password_is_found_in_its_url() {
    assert_eq!(
        database_password("postgres://u:p%2Fw@h:5432/d?sslmode=require"),
        Some("p%2Fw")
    );
    assert_eq!(database_password("postgresql://u@h/d"), None);
    assert_eq!(database_password("sqlite://souk.db"), None);
    assert_eq!(database_password("postgres://u:@h/d"), None);
}

#[test]
fn s3_needs_its_credentials() {
    let e =
        Config::from_vars(&vars(&[("TELOXIDE_TOKEN", "1:abc"), ("S3_BUCKET", "b")])).unwrap_err();
    assert_eq!(e.var, "S3_ACCESS_KEY_ID");
    let c = Config::from_vars(&vars(&[
        ("TELOXIDE_TOKEN", "1:abc"),
        ("S3_BUCKET", "b"),
        ("S3_ACCESS_KEY_ID", "id"),
        ("S3_SECRET_ACCESS_KEY", "very-secret-s3"),
    ]))
    .unwrap();
    assert_eq!(c.s3.as_ref().unwrap().region, "us-east-1");
    assert!(!format!("{c:?}").contains("very-secret-s3"));
}

#[test]
fn nexpay_settings_come_all_four_together_with_a_rate() {
    let base = [("TELOXIDE_TOKEN", "1:abc")];
    let with = |extra: &[(&str, &str)]| {
        let mut all = base.to_vec();
        all.extend_from_slice(extra);
        Config::from_vars(&vars(&all))
    };
    assert!(with(&[]).unwrap().nexpay.is_none());
    let e = with(&[("NEXPAY_URL", "https://nexpay.example")]).unwrap_err();
    assert_eq!(e.var, "NEXPAY_WRITE_KEY");
    let four = [
        ("NEXPAY_URL", "https://nexpay.example"),
        ("NEXPAY_WRITE_KEY", "wk-secret-value"),
        ("NEXPAY_PROJECT_ID", "p1"),
        ("NEXPAY_WEBHOOK_SECRET", "wh-secret-value"),
    ];
    let e = with(&four).unwrap_err();
    assert_eq!(e.var, "NEXPAY_USD_RATE");
    assert!(!e.to_string().contains("secret-value"));
    let mut all = four.to_vec();
    all.push(("NEXPAY_USD_RATE", "605.5"));
    let c = with(&all).unwrap();
    let n = c.nexpay.as_ref().unwrap();
    assert_eq!(
        (n.currency.as_str(), n.webhook_header.as_str()),
        ("XOF", "x-webhook-secret")
    );
    assert!(!format!("{c:?}").contains("secret-value"));
    all.push(("NEXPAY_CURRENCY", "francs"));
    assert_eq!(with(&all).unwrap_err().var, "NEXPAY_CURRENCY");
}

#[test]
fn errors_name_the_variable_and_hide_secrets() {
    let e = Config::from_vars(&vars(&[])).unwrap_err();
    assert_eq!(e.var, "TELOXIDE_TOKEN");
    let e =
        Config::from_vars(&vars(&[("TELOXIDE_TOKEN", "1:abc"), ("PORT", "eighty")])).unwrap_err();
    assert!(e.to_string().starts_with("PORT:"), "{e}");
    let e = Config::from_vars(&vars(&[
        ("TELOXIDE_TOKEN", "1:abc"),
        ("NOWPAYMENTS_API_KEY", "k-secret"),
    ]))
    .unwrap_err();
    assert_eq!(e.var, "NOWPAYMENTS_IPN_SECRET");
    assert!(!e.to_string().contains("k-secret"));
    let e =
        Config::from_vars(&vars(&[("TELOXIDE_TOKEN", "1:abc"), ("ADMIN_IDS", "1,x")])).unwrap_err();
    assert_eq!(e.var, "ADMIN_IDS");
    let c = Config::from_vars(&vars(&[("TELOXIDE_TOKEN", "1:very-secret-token")])).unwrap();
    assert!(!format!("{c:?}").contains("very-secret-token"));
}

#[test]
fn payouts_need_the_whole_login_and_a_base32_secret() {
    let base = [
        ("TELOXIDE_TOKEN", "1:abc"),
        ("NOWPAYMENTS_API_KEY", "k"),
        ("NOWPAYMENTS_IPN_SECRET", "s"),
    ];
    let c = Config::from_vars(&vars(&base)).unwrap();
    assert!(c.custody.is_none() && !c.auto_convert);
    assert_eq!(c.payouts.minimum, UsdCents(5000));
    assert_eq!(c.payouts.cron, DEFAULT_PAYOUT_CRON);
    let mut v = vars(&base);
    v.insert("NOWPAYMENTS_EMAIL".into(), "ops@example.com".into());
    assert_eq!(
        Config::from_vars(&v).unwrap_err().var,
        "NOWPAYMENTS_PASSWORD"
    );
    v.insert("NOWPAYMENTS_PASSWORD".into(), "hunter2-secret".into());
    v.insert("NOWPAYMENTS_2FA_SECRET".into(), "not*base32".into());
    let e = Config::from_vars(&v).unwrap_err();
    assert_eq!(e.var, "NOWPAYMENTS_2FA_SECRET");
    assert!(!e.to_string().contains("not*base32"));
    v.insert("NOWPAYMENTS_2FA_SECRET".into(), "JBSWY3DPEHPK3PXP".into());
    v.insert("AUTO_CONVERT".into(), "true".into());
    let c = Config::from_vars(&v).unwrap();
    assert!(c.custody.is_some() && c.auto_convert);
    assert!(!format!("{c:?}").contains("hunter2-secret"));
    assert!(!format!("{c:?}").contains("JBSWY3DPEHPK3PXP"));
    v.insert("PAYOUT_CRON".into(), "0 9 * * 1".into());
    assert_eq!(Config::from_vars(&v).unwrap_err().var, "PAYOUT_CRON");
    // Six fields are not enough: each must read as a time.
    for bad in ["0 0 25 * * Mon", "0 0 9 * * Someday", "a b c d e f"] {
        v.insert("PAYOUT_CRON".into(), bad.into());
        assert_eq!(
            Config::from_vars(&v).unwrap_err().var,
            "PAYOUT_CRON",
            "{bad}"
        );
    }
    v.insert("PAYOUT_CRON".into(), "0 30 8 * * Fri".into());
    assert_eq!(
        Config::from_vars(&v).unwrap().payouts.cron,
        "0 30 8 * * Fri"
    );
}

#[test]
fn sales_are_held_seven_days_unless_told_otherwise_and_up_to_a_year() {
    let with = |days: &str| {
        Config::from_vars(&vars(&[
            ("TELOXIDE_TOKEN", "1:abc"),
            ("SALE_HOLD_DAYS", days),
        ]))
    };
    let default = Config::from_vars(&vars(&[("TELOXIDE_TOKEN", "1:abc")])).unwrap();
    assert_eq!(default.payouts.sale_hold_days, 7);
    assert_eq!(with("0").unwrap().payouts.sale_hold_days, 0);
    assert_eq!(with(" 30 ").unwrap().payouts.sale_hold_days, 30);
    for bad in ["-1", "366", "7.5", "a week"] {
        let e = with(bad).unwrap_err();
        assert_eq!(e.var, "SALE_HOLD_DAYS", "{bad}");
    }
}
