//! The growth settings: when buyers are invited to review (`REVIEW_INVITE_MINUTES`), what a
//! referral earns (`REFERRAL_DAYS`, `REFERRAL_SHARE_PERCENT`), and how long an ended
//! subscription's member stays in its chat (`ACCESS_GRACE_HOURS`).

use super::{ConfigError, err};
use crate::domain::money::CommissionRate;

#[derive(Debug, Clone, Copy)]
pub struct GrowthConfig {
    /// Minutes after a delivery before its buyer is invited to review it.
    pub review_invite_minutes: u32,
    /// Days after a referred user's arrival during which their purchases earn their referrer.
    pub referral_days: u32,
    /// The referrer's share of the platform's commission on those purchases.
    pub referral_share: CommissionRate,
    /// Hours a member stays in a sold chat after their access ended, while a renewal paid in
    /// crypto is still being confirmed.
    pub access_grace_hours: u32,
}

/// A whole number from 0 to `max`, or `default` when unset.
fn whole(
    get: &dyn Fn(&str) -> Option<String>,
    var: &'static str,
    default: u32,
    max: u32,
    unit: &str,
) -> Result<u32, ConfigError> {
    match get(var) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| {
                err(
                    var,
                    format!("must be a whole number of {unit} from 0 to {max}"),
                )
            }),
    }
}

pub(super) fn growth_config(
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<GrowthConfig, ConfigError> {
    let share = get("REFERRAL_SHARE_PERCENT").unwrap_or_else(|| "20".into());
    Ok(GrowthConfig {
        review_invite_minutes: whole(get, "REVIEW_INVITE_MINUTES", 60, 43_200, "minutes")?,
        referral_days: whole(get, "REFERRAL_DAYS", 90, 3_650, "days")?,
        access_grace_hours: whole(get, "ACCESS_GRACE_HOURS", 24, 720, "hours")?,
        referral_share: CommissionRate::parse(&share).ok_or_else(|| {
            err(
                "REFERRAL_SHARE_PERCENT",
                "must be a percentage between 0 and 100",
            )
        })?,
    })
}
