//! Phone numbers in international (E.164) format, as mobile-money providers want them.

use std::fmt;

/// `+` and 8 to 15 digits, the first not 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// A typed number: spaces, dots, dashes and brackets are ignored; it must start with `+` or
    /// `00` (a local number cannot be told from a foreign one).
    pub fn parse(text: &str) -> Option<PhoneNumber> {
        let compact: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
            .collect();
        let digits = compact
            .strip_prefix('+')
            .or_else(|| compact.strip_prefix("00"))?;
        Self::from_digits(digits)
    }

    /// A number Telegram shared from the user's account: international, sometimes without `+`.
    pub fn from_contact(text: &str) -> Option<PhoneNumber> {
        let text = text.trim();
        Self::from_digits(text.strip_prefix('+').unwrap_or(text))
    }

    fn from_digits(digits: &str) -> Option<PhoneNumber> {
        let ok = (8..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        ok.then(|| PhoneNumber(format!("+{digits}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn international_numbers_are_kept_in_e164() {
        assert_eq!(
            PhoneNumber::parse("+221 77 123 45 67").unwrap().as_str(),
            "+221771234567"
        );
        assert_eq!(
            PhoneNumber::parse("00225-07-12-34-56-78").unwrap().as_str(),
            "+2250712345678"
        );
        assert_eq!(
            PhoneNumber::from_contact("221771234567").unwrap().as_str(),
            "+221771234567"
        );
    }

    #[test]
    fn local_short_long_or_lettered_numbers_are_refused() {
        for bad in [
            "77 123 45 67",
            "+22177",
            "+2217712345678901",
            "+0221771234567",
            "+22177abc4567",
            "",
        ] {
            assert_eq!(PhoneNumber::parse(bad), None, "{bad}");
        }
    }
}
