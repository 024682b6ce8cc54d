//! The IPN signature: HMAC-SHA512 over the body re-serialised as compact JSON with keys sorted
//! recursively, numbers kept exactly as sent.

use hmac::{Hmac, Mac};
use serde_json::value::RawValue;
use sha2::Sha512;
use std::collections::BTreeMap;

/// The body could not be read as JSON.
#[derive(Debug, thiserror::Error)]
#[error("body is not valid JSON: {0}")]
pub struct NotJson(#[from] serde_json::Error);

/// Re-serialises JSON text compactly with every object's keys sorted, keeping each number's
/// original text (`0.09853637216235617` stays as is, `6` stays `6`) as NOWPayments' JavaScript does.
pub fn canonical_json(body: &str) -> Result<String, NotJson> {
    let raw: &RawValue = serde_json::from_str(body)?;
    let mut out = String::with_capacity(body.len());
    write_canonical(raw, &mut out)?;
    Ok(out)
}

fn write_canonical(raw: &RawValue, out: &mut String) -> Result<(), NotJson> {
    let text = raw.get().trim();
    match text.as_bytes().first() {
        Some(b'{') => {
            let map: BTreeMap<String, &RawValue> = serde_json::from_str(text)?;
            out.push('{');
            for (i, (key, value)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(key)?);
                out.push(':');
                write_canonical(value, out)?;
            }
            out.push('}');
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text)?;
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out)?;
            }
            out.push(']');
        }
        Some(b'"') => {
            let s: String = serde_json::from_str(text)?;
            out.push_str(&serde_json::to_string(&s)?);
        }
        // Numbers, true, false, null: their text is already compact.
        _ => out.push_str(text),
    }
    Ok(())
}

/// Hex HMAC-SHA512 of the canonical body, keyed with the trimmed secret.
pub fn sign(secret: &str, body: &str) -> Result<String, NotJson> {
    Ok(hex::encode(
        mac(secret, &canonical_json(body)?).finalize().into_bytes(),
    ))
}

/// Checks `signature` (hex) in constant time. Any malformed input is simply "not valid".
pub fn verify(secret: &str, body: &str, signature: &str) -> bool {
    let Ok(expected) = hex::decode(signature.trim()) else {
        return false;
    };
    let Ok(canonical) = canonical_json(body) else {
        return false;
    };
    mac(secret, &canonical).verify_slice(&expected).is_ok()
}

fn mac(secret: &str, canonical: &str) -> Hmac<Sha512> {
    let mut mac = Hmac::<Sha512>::new_from_slice(secret.trim().as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(canonical.as_bytes());
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const VECTOR_BODY: &str = r#"{"payment_id":123456789,"parent_payment_id":987654321,"invoice_id":null,"payment_status":"finished","pay_address":"address","payin_extra_id":null,"price_amount":1,"price_currency":"usd","pay_amount":15,"actually_paid":15,"actually_paid_at_fiat":0,"pay_currency":"trx","order_id":null,"order_description":null,"purchase_id":"123456789","outcome_amount":14.8106,"outcome_currency":"trx","payment_extra_ids":null,"fee":{"currency":"btc","depositFee":0.09853637216235617,"withdrawalFee":0,"serviceFee":0}}"#;
    const VECTOR_SIG: &str = "1c2c89dc00e6e37ada5a4c73ce6de55ad34d29cf2f5263f14777eb35e60197f3cc447c07f3f40f14e7c3ea7d2cdbd3edff8d069b7345c251b97f623ee6a021a3";

    #[test]
    fn the_documented_test_vector_verifies() {
        assert_eq!(sign("test-ipn-secret", VECTOR_BODY).unwrap(), VECTOR_SIG);
        assert!(verify("test-ipn-secret", VECTOR_BODY, VECTOR_SIG));
        assert!(
            verify(" test-ipn-secret\n", VECTOR_BODY, VECTOR_SIG),
            "secret is trimmed"
        );
    }

    #[test]
    fn key_order_and_whitespace_do_not_matter_but_content_does() {
        let pretty = "{ \"fee\": {\"serviceFee\":0, \"withdrawalFee\":0,\"depositFee\":0.09853637216235617,\"currency\":\"btc\"},\n\"payment_id\":123456789,\"parent_payment_id\":987654321,\"invoice_id\":null,\"payment_status\":\"finished\",\"pay_address\":\"address\",\"payin_extra_id\":null,\"price_amount\":1,\"price_currency\":\"usd\",\"pay_amount\":15,\"actually_paid\":15,\"actually_paid_at_fiat\":0,\"pay_currency\":\"trx\",\"order_id\":null,\"order_description\":null,\"purchase_id\":\"123456789\",\"outcome_amount\":14.8106,\"outcome_currency\":\"trx\",\"payment_extra_ids\":null}";
        assert!(verify("test-ipn-secret", pretty, VECTOR_SIG));
        let tampered = VECTOR_BODY.replace("\"actually_paid\":15", "\"actually_paid\":16");
        assert!(!verify("test-ipn-secret", &tampered, VECTOR_SIG));
        assert!(!verify("other-secret", VECTOR_BODY, VECTOR_SIG));
        assert!(!verify("test-ipn-secret", VECTOR_BODY, "not-hex"));
        assert!(!verify("test-ipn-secret", "not json", VECTOR_SIG));
    }

    #[test]
    fn canonical_form_keeps_numbers_and_unicode_as_sent() {
        let c = canonical_json(r#"{"b":[1.50,{"z":1e-7,"a":"café/é"}],"a":6}"#).unwrap();
        assert_eq!(c, r#"{"a":6,"b":[1.50,{"a":"café/é","z":1e-7}]}"#);
    }
}
