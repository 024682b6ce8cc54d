//! Payment URIs for QR codes: a wallet app scanning one gets the address and, where the scheme allows, the amount.

use rust_decimal::Decimal;

/// `bitcoin:<address>?amount=<amount>` and its kin; the bare address where no standard scheme exists.
pub fn payment_uri(pay_currency: &str, address: &str, amount: &str) -> String {
    let coin = pay_currency.to_ascii_lowercase();
    let amount = amount.trim();
    match coin.as_str() {
        // BIP-21 and the schemes that copy it take the amount in whole coins.
        "btc" => format!("bitcoin:{address}?amount={amount}"),
        "ltc" => format!("litecoin:{address}?amount={amount}"),
        "bch" => format!("bitcoincash:{address}?amount={amount}"),
        "doge" => format!("dogecoin:{address}?amount={amount}"),
        // Solana Pay: amount in SOL.
        "sol" => format!("solana:{address}?amount={amount}"),
        // EIP-681: value in wei; TON: amount in nanotons. Integers, computed exactly.
        "eth" => match in_units(amount, 18) {
            Some(wei) => format!("ethereum:{address}?value={wei}"),
            None => format!("ethereum:{address}"),
        },
        "ton" => match in_units(amount, 9) {
            Some(nano) => format!("ton://transfer/{address}?amount={nano}"),
            None => format!("ton://transfer/{address}"),
        },
        _ => address.to_string(),
    }
}

/// amount × 10^decimals as an integer, when exact.
fn in_units(amount: &str, decimals: u32) -> Option<String> {
    let d: Decimal = amount.parse().ok()?;
    let scaled = d.checked_mul(Decimal::from(10u64.checked_pow(decimals)?))?;
    (scaled.fract().is_zero()).then(|| scaled.trunc().normalize().to_string())
}

#[cfg(test)]
mod tests {
    use super::payment_uri;

    #[test]
    fn uris_per_coin() {
        assert_eq!(
            payment_uri("btc", "bc1qxy", "0.00051400"),
            "bitcoin:bc1qxy?amount=0.00051400"
        );
        assert_eq!(
            payment_uri("eth", "0xabc", "0.0103"),
            "ethereum:0xabc?value=10300000000000000"
        );
        assert_eq!(
            payment_uri("ton", "UQab", "5.5"),
            "ton://transfer/UQab?amount=5500000000"
        );
        assert_eq!(payment_uri("usdttrc20", "TXYZ", "25.7"), "TXYZ");
    }
}
