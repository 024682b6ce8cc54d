//! Address formats per coin, as the sandbox checks them (NOWPayments checks real ones itself).

const BASE58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

fn all_in(s: &str, alphabet: &str) -> bool {
    s.chars().all(|c| alphabet.contains(c))
}

fn bech32(s: &str, hrp: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    (s == lower || s == s.to_ascii_uppercase())
        && lower.strip_prefix(hrp).is_some_and(|rest| {
            rest.starts_with('1')
                && (14..=90).contains(&rest.len())
                && all_in(&rest[1..], "qpzry9x8gf2tvdw0s3jn54khce6mua7l")
        })
}

/// Why an address is not valid for a coin, or `None` when its format is right.
pub fn format_problem(coin: &str, address: &str) -> Option<&'static str> {
    let a = address.trim();
    let ok = match coin {
        "usdttrc20" | "trx" => a.len() == 34 && a.starts_with('T') && all_in(a, BASE58),
        "btc" => {
            bech32(a, "bc")
                || ((26..=35).contains(&a.len()) && a.starts_with(['1', '3']) && all_in(a, BASE58))
        }
        "ltc" => {
            bech32(a, "ltc")
                || ((26..=35).contains(&a.len())
                    && a.starts_with(['L', 'M', '3'])
                    && all_in(a, BASE58))
        }
        "eth" | "usdterc20" | "usdtbsc" | "usdc" | "bnbbsc" => {
            a.len() == 42 && a.starts_with("0x") && a[2..].chars().all(|c| c.is_ascii_hexdigit())
        }
        "sol" | "usdtsol" => (32..=44).contains(&a.len()) && all_in(a, BASE58),
        "ton" => {
            a.len() == 48
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }
        _ => !a.is_empty() && a.len() <= 128 && a.chars().all(|c| c.is_ascii_alphanumeric()),
    };
    (!ok).then_some("the address does not have the format of this coin")
}

#[cfg(test)]
mod tests {
    use super::format_problem;

    #[test]
    fn known_formats() {
        assert_eq!(
            format_problem("usdttrc20", "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf"),
            None
        );
        assert!(format_problem("usdttrc20", "TXYZ").is_some());
        assert!(
            format_problem("usdttrc20", "0x52908400098527886E0F7030069857D2E4169EE7").is_some()
        );
        assert_eq!(
            format_problem("btc", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
            None
        );
        assert_eq!(
            format_problem("btc", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"),
            None
        );
        assert!(format_problem("btc", "bc1qINVALID").is_some());
        assert_eq!(
            format_problem("eth", "0x52908400098527886E0F7030069857D2E4169EE7"),
            None
        );
        assert!(format_problem("eth", "0x5290").is_some());
    }
}
