//! Repeats: a rail's notification that arrives again with the very same body changes nothing.
//! This process recognises the signed bodies it has settled in memory, before any parsing or
//! write (`Repeats::seen`); any other repeat (after a restart, on another replica) is recognised
//! by the inbox's unique digest inside the batch. Repeats are counted on the first one's row.

use crate::store::ipn_events::{self, Repeated};
use crate::store::{Store, StoreError, now};
use sha2::{Digest as _, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The first 16 bytes of a text's SHA-256.
pub type Digest = [u8; 16];

/// Signed bodies remembered per generation; two generations are kept (at most twice this many,
/// about 40 bytes each), the older dropped when the newer fills.
const GENERATION: usize = 32_768;

/// The digest of a text.
pub fn digest(text: &str) -> Digest {
    let full = Sha256::digest(text.as_bytes());
    let mut d = [0u8; 16];
    d.copy_from_slice(&full[..16]);
    d
}

/// A signed body, known by the digests of its text and of its signature (computed once per
/// request: checked with `seen`, then kept with `remember`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signed {
    body: Digest,
    signature: Digest,
}

impl Signed {
    pub fn of(body: &str, signature: &str) -> Signed {
        Signed {
            body: digest(body),
            signature: digest(signature),
        }
    }
}

/// A signed body settled before: its signature's digest, the payment and the order it concerned.
#[derive(Debug, Clone)]
struct Settled {
    signature: Digest,
    payment_id: Arc<str>,
    order_id: Option<i64>,
}

/// Repeats recognised in memory and not yet added to the inbox.
struct Tally {
    payment_id: Arc<str>,
    count: i64,
    last_at: i64,
}

#[derive(Default)]
struct Inner {
    recent: HashMap<Digest, Settled>,
    older: HashMap<Digest, Settled>,
    tally: HashMap<Digest, Tally>,
}

/// The signed bodies this process settled for good (applied, or ignored by an order that can
/// never reach their status), and the repeats of them counted since the inbox was last told.
#[derive(Default)]
pub struct Repeats {
    inner: Mutex<Inner>,
}

impl Repeats {
    /// When this process settled this very body under this very signature, counts the repeat
    /// and names the order it concerned (`Some(None)`: no order).
    pub fn seen(&self, signed: Signed) -> Option<Option<i64>> {
        let Signed {
            body: key,
            signature,
        } = signed;
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let known = inner
            .recent
            .get(&key)
            .or_else(|| inner.older.get(&key))
            .filter(|k| k.signature == signature)?;
        let (payment_id, order_id) = (known.payment_id.clone(), known.order_id);
        let tally = inner.tally.entry(key).or_insert(Tally {
            payment_id,
            count: 0,
            last_at: 0,
        });
        tally.count += 1;
        tally.last_at = now();
        Some(order_id)
    }

    /// Remembers a signed body whose settlement is committed and spent for good
    /// (`Settled::is_spent`): the same body again changes nothing.
    pub fn remember(&self, signed: Signed, payment_id: &str, order_id: Option<i64>) {
        let key = signed.body;
        let settled = Settled {
            signature: signed.signature,
            payment_id: Arc::from(payment_id),
            order_id,
        };
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.recent.len() >= GENERATION {
            inner.older = std::mem::take(&mut inner.recent);
        }
        inner.recent.insert(key, settled);
    }

    /// Adds the repeats counted in memory to the inbox's rows; kept for the next try when the
    /// database fails.
    pub async fn flush(&self, store: &Store) -> Result<(), StoreError> {
        let tally = {
            let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            std::mem::take(&mut inner.tally)
        };
        if tally.is_empty() {
            return Ok(());
        }
        let rows: Vec<Repeated> = tally
            .iter()
            .map(|(d, t)| Repeated {
                payment_id: t.payment_id.to_string(),
                digest: hex::encode(d),
                count: t.count,
                last_at: t.last_at,
            })
            .collect();
        let mut written = Ok(());
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            written = ipn_events::add_repeats(store, chunk).await;
            if written.is_err() {
                break;
            }
        }
        if written.is_err() {
            let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            for (d, t) in tally {
                let kept = inner.tally.entry(d).or_insert(Tally {
                    payment_id: t.payment_id.clone(),
                    count: 0,
                    last_at: 0,
                });
                kept.count += t.count;
                kept.last_at = kept.last_at.max(t.last_at);
            }
        }
        written
    }
}

/// Rows per statement when repeats are added (4 parameters each, well under the limits).
const ROWS_PER_STATEMENT: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeat_is_known_only_under_the_same_signature() {
        let repeats = Repeats::default();
        assert_eq!(repeats.seen(Signed::of("{\"a\":1}", "ab")), None);
        repeats.remember(Signed::of("{\"a\":1}", "ab"), "9", Some(7));
        assert_eq!(repeats.seen(Signed::of("{\"a\":1}", "ab")), Some(Some(7)));
        assert_eq!(
            repeats.seen(Signed::of("{\"a\":1}", "cd")),
            None,
            "another signature"
        );
        assert_eq!(
            repeats.seen(Signed::of("{\"a\": 1}", "ab")),
            None,
            "another body"
        );
        let inner = repeats.inner.lock().unwrap();
        assert_eq!(
            inner.tally.get(&digest("{\"a\":1}")).map(|t| t.count),
            Some(1)
        );
    }

    #[test]
    fn memory_stays_bounded_and_keeps_the_newer_generation() {
        let repeats = Repeats::default();
        for i in 0..(2 * GENERATION + 10) {
            repeats.remember(Signed::of(&i.to_string(), "s"), "9", None);
        }
        let inner = repeats.inner.lock().unwrap();
        assert!(inner.recent.len() + inner.older.len() <= 2 * GENERATION);
        drop(inner);
        assert!(
            repeats
                .seen(Signed::of(&(2 * GENERATION + 9).to_string(), "s"))
                .is_some()
        );
        assert!(repeats.seen(Signed::of("0", "s")).is_none());
    }

    #[test]
    fn digests_are_hex_of_sha256() {
        assert_eq!(
            hex::encode(digest("abc")),
            "ba7816bf8f01cfea414140de5dae2223"
        );
    }
}
