//! The 2FA codes that verify payout batches: TOTP (SHA-1, 6 digits, 30 s) from the base32 secret
//! NOWPayments showed when 2FA was turned on.

use totp_rs::{Builder, Totp};

/// TOTP codes from `NOWPAYMENTS_2FA_SECRET`. Its `Debug` shows nothing of the secret.
pub struct TwoFactor {
    totp: Totp,
}

impl std::fmt::Debug for TwoFactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TwoFactor(..)")
    }
}

/// Seconds a code lives.
pub const STEP_SECONDS: u64 = 30;

#[derive(Debug, thiserror::Error)]
#[error("is not a base32 2FA secret")]
pub struct BadSecret;

impl TwoFactor {
    /// Reads a base32 secret; spaces, dashes, padding and case are forgiven (apps print
    /// "JBSW Y3DP EHPK 3PXP").
    pub fn from_base32(secret: &str) -> Result<TwoFactor, BadSecret> {
        let bytes = crate::config::two_factor_secret(secret).ok_or(BadSecret)?;
        // NOWPayments' secrets are 80 bits, under RFC 6238's recommended 128: build without that check.
        let totp = Builder::new()
            .with_secret(bytes)
            .with_digits(6)
            .with_step_duration(STEP_SECONDS)
            .build_noncompliant();
        Ok(TwoFactor { totp })
    }

    /// The time step a Unix time falls in.
    pub fn step(unix: u64) -> u64 {
        unix / STEP_SECONDS
    }

    /// The code of a time step.
    pub fn code(&self, step: u64) -> String {
        self.totp.generate(step * STEP_SECONDS).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_sha1_vectors() {
        // RFC 6238 appendix B: secret "12345678901234567890" (base32 below), 8 digits there;
        // the last 6 digits are the 6-digit codes.
        let tf = TwoFactor::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
        assert_eq!(tf.code(TwoFactor::step(59)), "287082");
        assert_eq!(tf.code(TwoFactor::step(1111111109)), "081804");
        assert_eq!(tf.code(TwoFactor::step(20000000000)), "353130");
        assert_eq!(
            TwoFactor::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")
                .unwrap()
                .code(1),
            tf.code(1)
        );
        assert!(TwoFactor::from_base32("not base32!").is_err());
        assert!(TwoFactor::from_base32("").is_err());
        assert!(!format!("{tf:?}").contains("GEZD"));
    }
}
