//! Every environment variable souk reads, parsed and validated once at start-up.

use crate::domain::UsdCents;
use crate::domain::money::CommissionRate;
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;

mod growth;
mod miniapp;
mod nexpay;
mod payouts;
mod s3;
pub use growth::GrowthConfig;
pub use miniapp::MiniAppConfig;
pub use nexpay::NexpayConfig;
use nexpay::nexpay_config;
pub use payouts::{DEFAULT_PAYOUT_CRON, PayoutConfig, two_factor_secret};
pub use s3::S3Config;

/// The whole configuration. Secrets are `SecretString`: their `Debug` prints nothing.
#[derive(Debug, Clone)]
pub struct Config {
    pub telegram_token: SecretString,
    /// teloxide's own `TELOXIDE_API_URL`, for a local Bot API server (or a test fake).
    pub telegram_api_url: Option<url::Url>,
    pub database_url: String,
    pub port: u16,
    /// `None` runs the built-in NOWPayments simulator (sandbox mode).
    pub nowpayments: Option<NowPaymentsConfig>,
    pub nowpayments_api_url: String,
    /// The IPN secret; in sandbox mode one is generated when not given.
    pub ipn_secret: SecretString,
    pub ipn_callback_url: Option<String>,
    /// `PUBLIC_URL`: where souk's HTTP server is reached from the internet (covers on Stars
    /// invoices are served from it); none when unset.
    pub public_url: Option<url::Url>,
    pub commission: CommissionRate,
    pub minimum_price: UsdCents,
    pub accepted_currencies: Vec<String>,
    /// The coin sellers are paid out in (their wallets are for this coin).
    pub payout_currency: String,
    pub admin_ids: Vec<i64>,
    pub default_language: String,
    /// Where copies of product files go: an S3-compatible bucket, else `files_dir`.
    pub s3: Option<S3Config>,
    pub files_dir: std::path::PathBuf,
    /// When and how sellers are paid.
    pub payouts: PayoutConfig,
    /// The NOWPayments login and 2FA secret that payouts and conversions need.
    pub custody: Option<CustodyConfig>,
    /// Convert other custody coins into `PAYOUT_CURRENCY` daily.
    pub auto_convert: bool,
    /// Bearer token /metrics asks for, when set.
    pub metrics_token: Option<SecretString>,
    /// Telegram updates by webhook instead of long polling.
    pub webhook: Option<WebhookConfig>,
    /// Long polling may remove a webhook set for the bot (`TELEGRAM_TAKE_OVER_WEBHOOK`); without
    /// it, souk refuses to start polling rather than cut a production webhook off.
    pub take_over_webhook: bool,
    /// What /terms shows (`TERMS_TEXT`, `\n` for a new line); a default text when unset.
    pub terms: Option<String>,
    /// Reviews and referrals (`config::growth`).
    pub growth: GrowthConfig,
    /// The storefront Mini App (`config::miniapp`).
    pub miniapp: MiniAppConfig,
    /// How many Telegram Stars one US dollar costs; Stars are offered when set.
    pub stars_per_usd: Option<rust_decimal::Decimal>,
    /// Wave and Orange Money through NexPay, when `NEXPAY_*` is set.
    pub nexpay: Option<NexpayConfig>,
    /// Crypto simulated, nothing credited: `SANDBOX=true`, or no real rail configured at all.
    pub sandbox: bool,
}

#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// The public URL Telegram posts to; its path is served on `PORT`.
    pub url: url::Url,
    /// Telegram sends it back in `X-Telegram-Bot-Api-Secret-Token`.
    pub secret: SecretString,
}

#[derive(Debug, Clone)]
pub struct NowPaymentsConfig {
    pub api_key: SecretString,
}

#[derive(Debug, Clone)]
pub struct CustodyConfig {
    pub email: String,
    pub password: SecretString,
    /// Base32, checked at start-up.
    pub two_factor_secret: SecretString,
}

/// A configuration problem, naming the variable. Never includes a secret's value.
#[derive(Debug, thiserror::Error)]
#[error("{var}: {problem}")]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

/// The password in `scheme://user:password@host/…`, as written (percent-encoded or not).
pub fn database_password(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    Some(password).filter(|p| !p.is_empty())
}

fn err(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        problem: problem.into(),
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_vars(&std::env::vars().collect())
    }

    /// Reads a given set of variables (tests pass their own).
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Config, ConfigError> {
        let get = |name: &str| {
            vars.get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let telegram_token = get("TELOXIDE_TOKEN").ok_or_else(|| {
            err(
                "TELOXIDE_TOKEN",
                "is required (the bot token from @BotFather)",
            )
        })?;
        if !telegram_token.contains(':') {
            return Err(err(
                "TELOXIDE_TOKEN",
                "does not look like a bot token (expected <id>:<secret>)",
            ));
        }
        let telegram_api_url = get("TELOXIDE_API_URL")
            .map(|u| {
                url::Url::parse(&u)
                    .map_err(|e| err("TELOXIDE_API_URL", format!("is not a URL ({e})")))
            })
            .transpose()?;

        let database_url = get("DATABASE_URL").unwrap_or_else(|| "sqlite://souk.db".to_string());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(err(
                "DATABASE_URL",
                "must start with sqlite: or postgres://",
            ));
        }

        let port = match get("PORT") {
            None => 8080,
            Some(p) => p
                .parse()
                .map_err(|_| err("PORT", format!("{p:?} is not a port number")))?,
        };

        let nowpayments_api_url = get("NOWPAYMENTS_API_URL")
            .unwrap_or_else(|| "https://api.nowpayments.io/v1".to_string())
            .trim_end_matches('/')
            .to_string();
        url::Url::parse(&nowpayments_api_url)
            .map_err(|e| err("NOWPAYMENTS_API_URL", format!("is not a URL ({e})")))?;

        let nowpayments = get("NOWPAYMENTS_API_KEY").map(|k| NowPaymentsConfig {
            api_key: SecretString::from(k),
        });
        let ipn_secret = match (get("NOWPAYMENTS_IPN_SECRET"), &nowpayments) {
            (Some(s), _) => SecretString::from(s),
            (None, Some(_)) => {
                return Err(err(
                    "NOWPAYMENTS_IPN_SECRET",
                    "is required with NOWPAYMENTS_API_KEY (IPNs cannot be verified without it)",
                ));
            }
            (None, None) => SecretString::from(random_hex(32).map_err(|e| {
                err(
                    "NOWPAYMENTS_IPN_SECRET",
                    format!("could not be drawn at random for sandbox mode: {e}"),
                )
            })?),
        };
        let ipn_callback_url = get("IPN_CALLBACK_URL");
        if let Some(u) = &ipn_callback_url {
            url::Url::parse(u)
                .map_err(|e| err("IPN_CALLBACK_URL", format!("is not a URL ({e})")))?;
        }
        let public_url = match get("PUBLIC_URL") {
            None => None,
            Some(u) => Some(
                url::Url::parse(u.trim_end_matches('/'))
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
                    .ok_or_else(|| {
                        err(
                            "PUBLIC_URL",
                            "must be an http(s) URL such as https://shop.example",
                        )
                    })?,
            ),
        };

        let commission_text =
            get("PLATFORM_COMMISSION_PERCENT").unwrap_or_else(|| "2.78".to_string());
        let commission = CommissionRate::parse(&commission_text).ok_or_else(|| {
            err(
                "PLATFORM_COMMISSION_PERCENT",
                "must be a percentage between 0 and 100",
            )
        })?;

        let minimum_price = UsdCents::parse_dollars(
            &get("MINIMUM_PRODUCT_PRICE_USD").unwrap_or_else(|| "10.00".into()),
        )
        .map_err(|_| {
            err(
                "MINIMUM_PRODUCT_PRICE_USD",
                "must be a dollar amount such as 10.00",
            )
        })?;

        let accepted_currencies: Vec<String> = get("ACCEPTED_CURRENCIES")
            .unwrap_or_else(|| "btc,eth,usdttrc20,sol,ton,ltc".to_string())
            .split(',')
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty())
            .collect();
        if accepted_currencies.is_empty()
            || accepted_currencies
                .iter()
                .any(|c| !c.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err(err(
                "ACCEPTED_CURRENCIES",
                "must be a comma-separated list of tickers such as btc,eth",
            ));
        }

        let payout_currency = get("PAYOUT_CURRENCY")
            .unwrap_or_else(|| "usdttrc20".to_string())
            .to_ascii_lowercase();
        if payout_currency.is_empty() || !payout_currency.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(err("PAYOUT_CURRENCY", "must be a ticker such as usdttrc20"));
        }
        if !crate::domain::payout::is_dollar_stablecoin(&payout_currency) {
            return Err(err(
                "PAYOUT_CURRENCY",
                format!(
                    "{payout_currency} is not a US dollar stablecoin: sellers are paid their dollar balance one for one, so use usdttrc20, usdterc20, usdtbsc, usdcsol or the like"
                ),
            ));
        }

        let admin_ids = get("ADMIN_IDS")
            .map(|ids| {
                ids.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        s.parse::<i64>().map_err(|_| {
                            err("ADMIN_IDS", format!("{s:?} is not a Telegram user id"))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default();

        let default_language = get("DEFAULT_LANGUAGE")
            .unwrap_or_else(|| "en".to_string())
            .to_ascii_lowercase();
        if !LANGUAGES.contains(&default_language.as_str()) {
            return Err(err(
                "DEFAULT_LANGUAGE",
                format!("{default_language:?} is not one of en, fr"),
            ));
        }

        let s3 = s3::s3_config(&get)?;
        let files_dir =
            std::path::PathBuf::from(get("FILES_DIR").unwrap_or_else(|| "./files".to_string()));

        let custody = match (
            get("NOWPAYMENTS_EMAIL"),
            get("NOWPAYMENTS_PASSWORD"),
            get("NOWPAYMENTS_2FA_SECRET"),
        ) {
            (None, None, None) => None,
            (email, password, secret) => {
                let missing = |var: &'static str| {
                    err(
                        var,
                        "is required for payouts (with NOWPAYMENTS_EMAIL, NOWPAYMENTS_PASSWORD and NOWPAYMENTS_2FA_SECRET)",
                    )
                };
                let email = email.ok_or_else(|| missing("NOWPAYMENTS_EMAIL"))?;
                let password = password.ok_or_else(|| missing("NOWPAYMENTS_PASSWORD"))?;
                let secret = secret.ok_or_else(|| missing("NOWPAYMENTS_2FA_SECRET"))?;
                two_factor_secret(&secret)
                    .ok_or_else(|| err("NOWPAYMENTS_2FA_SECRET", "is not a base32 2FA secret"))?;
                if nowpayments.is_none() {
                    return Err(err(
                        "NOWPAYMENTS_API_KEY",
                        "is required for payouts (sandbox mode cannot pay anyone)",
                    ));
                }
                Some(CustodyConfig {
                    email,
                    password: SecretString::from(password),
                    two_factor_secret: SecretString::from(secret),
                })
            }
        };
        let webhook = match get("TELEGRAM_WEBHOOK_URL") {
            None => None,
            Some(u) => {
                let url = url::Url::parse(&u)
                    .map_err(|e| err("TELEGRAM_WEBHOOK_URL", format!("is not a URL ({e})")))?;
                if url.scheme() != "https" {
                    return Err(err(
                        "TELEGRAM_WEBHOOK_URL",
                        "must be an https:// URL (Telegram's rule)",
                    ));
                }
                let secret = get("TELEGRAM_WEBHOOK_SECRET").ok_or_else(|| {
                    err(
                        "TELEGRAM_WEBHOOK_SECRET",
                        "is required with TELEGRAM_WEBHOOK_URL (the same on every replica)",
                    )
                })?;
                if secret.is_empty()
                    || secret.len() > 256
                    || !secret
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                {
                    return Err(err(
                        "TELEGRAM_WEBHOOK_SECRET",
                        "must be 1 to 256 characters: letters, digits, _ and -",
                    ));
                }
                Some(WebhookConfig {
                    url,
                    secret: SecretString::from(secret),
                })
            }
        };
        let stars_per_usd = match get("STARS_PER_USD") {
            None => None,
            Some(v) => Some(
                v.parse::<rust_decimal::Decimal>()
                    .ok()
                    .filter(|d| {
                        *d > rust_decimal::Decimal::ZERO
                            && *d < rust_decimal::Decimal::from(100_000)
                    })
                    .ok_or_else(|| err("STARS_PER_USD", "must be a positive number such as 75"))?,
            ),
        };
        let nexpay = nexpay_config(&get)?;
        let auto_convert = flag(&get, "AUTO_CONVERT")?;
        let no_real_rail = nowpayments.is_none() && stars_per_usd.is_none() && nexpay.is_none();
        let sandbox = match get("SANDBOX").map(|v| v.to_ascii_lowercase()).as_deref() {
            None => no_real_rail,
            Some("false" | "0" | "no" | "off") => {
                if no_real_rail {
                    return Err(err(
                        "SANDBOX",
                        "is false but no payment rail is configured (NOWPAYMENTS_API_KEY, STARS_PER_USD or NEXPAY_*)",
                    ));
                }
                false
            }
            Some("true" | "1" | "yes" | "on") => true,
            Some(_) => return Err(err("SANDBOX", "must be true or false")),
        };
        if sandbox && custody.is_some() {
            return Err(err(
                "SANDBOX",
                "sandbox mode cannot pay anyone: remove NOWPAYMENTS_EMAIL, NOWPAYMENTS_PASSWORD and NOWPAYMENTS_2FA_SECRET, or turn sandbox off",
            ));
        }
        if auto_convert && custody.is_none() {
            return Err(err(
                "AUTO_CONVERT",
                "needs NOWPAYMENTS_EMAIL, NOWPAYMENTS_PASSWORD and NOWPAYMENTS_2FA_SECRET",
            ));
        }

        Ok(Config {
            telegram_token: SecretString::from(telegram_token),
            telegram_api_url,
            database_url,
            port,
            nowpayments,
            nowpayments_api_url,
            ipn_secret,
            ipn_callback_url,
            public_url,
            growth: growth::growth_config(&get)?,
            miniapp: miniapp::miniapp_config(&get)?,
            commission,
            minimum_price,
            accepted_currencies,
            payout_currency,
            admin_ids,
            default_language,
            s3,
            files_dir,
            payouts: payouts::payout_config(&get)?,
            custody,
            auto_convert,
            metrics_token: get("METRICS_TOKEN").map(SecretString::from),
            webhook,
            take_over_webhook: flag(&get, "TELEGRAM_TAKE_OVER_WEBHOOK")?,
            terms: get("TERMS_TEXT").map(|t| t.replace("\\n", "\n")),
            stars_per_usd,
            nexpay,
            sandbox,
        })
    }

    /// Every secret the configuration holds (with the database password), for the log scrubber.
    pub fn secrets(&self) -> Vec<&str> {
        let mut all = vec![
            self.telegram_token.expose_secret(),
            self.ipn_secret.expose_secret(),
        ];
        let optional = [
            self.nowpayments.as_ref().map(|n| &n.api_key),
            self.metrics_token.as_ref(),
            self.webhook.as_ref().map(|w| &w.secret),
            self.custody.as_ref().map(|c| &c.password),
            self.custody.as_ref().map(|c| &c.two_factor_secret),
            self.s3.as_ref().map(|s| &s.secret_access_key),
            self.nexpay.as_ref().map(|n| &n.write_key),
            self.nexpay.as_ref().map(|n| &n.webhook_secret),
        ];
        all.extend(optional.into_iter().flatten().map(|s| s.expose_secret()));
        all.extend(database_password(&self.database_url));
        all
    }

    pub fn sandbox(&self) -> bool {
        self.sandbox
    }

    /// Whether coins are offered: through NOWPayments, or its simulator in sandbox mode.
    pub fn crypto(&self) -> bool {
        self.sandbox || self.nowpayments.is_some()
    }
}

/// The languages souk speaks (`locales/en`, `locales/fr`): `DEFAULT_LANGUAGE` must be one.
pub const LANGUAGES: [&str; 2] = ["en", "fr"];

/// A random hex string from the operating system's generator (for the sandbox IPN secret); an
/// error when the system has none, never a guessable fallback.
fn random_hex(bytes: usize) -> Result<String, getrandom::Error> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)?;
    Ok(hex::encode(buf))
}

/// A true/false variable, false when unset.
fn flag(get: &impl Fn(&str) -> Option<String>, name: &'static str) -> Result<bool, ConfigError> {
    match get(name).map(|v| v.to_ascii_lowercase()).as_deref() {
        None | Some("false" | "0" | "no" | "off") => Ok(false),
        Some("true" | "1" | "yes" | "on") => Ok(true),
        Some(_) => Err(err(name, "must be true or false")),
    }
}

#[cfg(test)]
mod tests;
