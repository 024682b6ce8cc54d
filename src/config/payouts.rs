//! The payout settings: when the weekly run starts (`PAYOUT_CRON`), the smallest balance paid
//! (`MIN_PAYOUT_USD`), where NOWPayments posts payout news (`IPN_PAYOUT_URL`) and how long a
//! sale's credit is held before it can be paid (`SALE_HOLD_DAYS`, the refund window).

use super::{ConfigError, err};
use crate::domain::UsdCents;

#[derive(Debug, Clone)]
pub struct PayoutConfig {
    /// Six-field cron (sec min hour day month weekday), UTC.
    pub cron: String,
    /// Sellers whose available balance is below this wait for a later run.
    pub minimum: UsdCents,
    /// Where NOWPayments posts payout status changes (`/ipn/payout` of this server).
    pub ipn_url: Option<String>,
    /// Days a sale's credit waits before it can be paid out (0: at once).
    pub sale_hold_days: u32,
}

/// The refund window when `SALE_HOLD_DAYS` is not set.
pub const DEFAULT_SALE_HOLD_DAYS: u32 = 7;
/// The longest refund window accepted.
pub const MAX_SALE_HOLD_DAYS: u32 = 365;

/// Monday 09:00 UTC.
pub const DEFAULT_PAYOUT_CRON: &str = "0 0 9 * * Mon";

pub(super) fn payout_config(
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<PayoutConfig, ConfigError> {
    let cron = get("PAYOUT_CRON").unwrap_or_else(|| DEFAULT_PAYOUT_CRON.to_string());
    if cron.split_whitespace().count() != 6 || !is_cron(&cron) {
        return Err(err(
            "PAYOUT_CRON",
            "must be a schedule of six cron fields: sec min hour day month weekday (e.g. \"0 0 9 * * Mon\")",
        ));
    }
    let minimum = UsdCents::parse_dollars(&get("MIN_PAYOUT_USD").unwrap_or_else(|| "50.00".into()))
        .map_err(|_| err("MIN_PAYOUT_USD", "must be a dollar amount such as 50.00"))?;
    let ipn_url = get("IPN_PAYOUT_URL");
    if let Some(u) = &ipn_url {
        url::Url::parse(u).map_err(|e| err("IPN_PAYOUT_URL", format!("is not a URL ({e})")))?;
    }
    let sale_hold_days = match get("SALE_HOLD_DAYS") {
        None => DEFAULT_SALE_HOLD_DAYS,
        Some(days) => days
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= MAX_SALE_HOLD_DAYS)
            .ok_or_else(|| {
                err(
                    "SALE_HOLD_DAYS",
                    format!("must be a whole number of days from 0 to {MAX_SALE_HOLD_DAYS}"),
                )
            })?,
    };
    Ok(PayoutConfig {
        cron,
        minimum,
        ipn_url,
        sale_hold_days,
    })
}

/// Whether the scheduler reads `pattern` (six fields, seconds first), as it will at start.
fn is_cron(pattern: &str) -> bool {
    croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Required)
        .build()
        .parse(pattern)
        .is_ok()
}

/// The bytes of a base32 2FA secret (`NOWPAYMENTS_2FA_SECRET`); spaces, dashes, padding and case
/// are forgiven (apps print "JBSW Y3DP EHPK 3PXP"). `None` unless it holds at least 80 bits.
pub fn two_factor_secret(secret: &str) -> Option<Vec<u8>> {
    let cleaned: String = secret
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = totp_rs::Secret::try_from_base32(&cleaned).ok()?;
    (bytes.as_ref().len() >= 10).then(|| bytes.as_ref().to_vec())
}
