//! A per-user token bucket on commands and button presses (per process: abuse control, not accounting).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    capacity: u32,
    refill_every: Duration,
    buckets: Mutex<HashMap<i64, Bucket>>,
}

struct Bucket {
    tokens: u32,
    refilled_at: Instant,
    warned_at: Option<Instant>,
}

/// What to do with an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Over the limit: tell the user once.
    Warn,
    /// Over the limit and already told.
    Drop,
}

impl RateLimiter {
    /// `capacity` actions at once, one more every `refill_every`.
    pub fn new(capacity: u32, refill_every: Duration) -> RateLimiter {
        RateLimiter {
            capacity,
            refill_every,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn check(&self, user: i64) -> Verdict {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > 100_000 {
            let idle = self.refill_every.saturating_mul(self.capacity);
            buckets.retain(|_, b| now.duration_since(b.refilled_at) < idle);
        }
        let b = buckets.entry(user).or_insert(Bucket {
            tokens: self.capacity,
            refilled_at: now,
            warned_at: None,
        });
        let earned = (now.duration_since(b.refilled_at).as_millis()
            / self.refill_every.as_millis().max(1)) as u32;
        if earned > 0 {
            b.tokens = b.tokens.saturating_add(earned).min(self.capacity);
            b.refilled_at = now;
        }
        if b.tokens > 0 {
            b.tokens -= 1;
            b.warned_at = None;
            return Verdict::Allow;
        }
        match b.warned_at {
            Some(at) if now.duration_since(at) < Duration::from_secs(10) => Verdict::Drop,
            _ => {
                b.warned_at = Some(now);
                Verdict::Warn
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_warned_once() {
        let rl = RateLimiter::new(3, Duration::from_secs(60));
        assert_eq!(
            (rl.check(1), rl.check(1), rl.check(1)),
            (Verdict::Allow, Verdict::Allow, Verdict::Allow)
        );
        assert_eq!(rl.check(1), Verdict::Warn);
        assert_eq!(rl.check(1), Verdict::Drop);
        assert_eq!(rl.check(2), Verdict::Allow, "other users are not affected");
    }

    #[test]
    fn a_large_bucket_refilled_does_not_overflow() {
        let rl = RateLimiter::new(u32::MAX, Duration::from_millis(1));
        assert_eq!(rl.check(1), Verdict::Allow);
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(rl.check(1), Verdict::Allow);
        assert_eq!(rl.check(1), Verdict::Allow);
    }
}
