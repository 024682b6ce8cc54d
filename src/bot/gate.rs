//! The flood gate, in front of the dispatcher's queues: a user sending far more than a person
//! can (a bot, a stuck key) is dropped before their updates are queued, so one chat can never fill
//! its worker's queue and hold up every other chat. Payments (pre-checkout queries and
//! `successful_payment`) always pass; the friendlier per-user limit with its "too fast" answer
//! (`ratelimit`) still runs in the handlers.

use super::ratelimit::{RateLimiter, Verdict};
use futures::StreamExt;
use futures::stream::BoxStream;
use std::sync::Arc;
use std::time::Duration;
use teloxide::stop::StopToken;
use teloxide::types::{AllowedUpdate, Update, UpdateKind};
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};

/// Decides which updates reach the dispatcher.
pub struct UpdateGate {
    limiter: RateLimiter,
}

impl UpdateGate {
    /// `burst` updates per user at once, one more every `refill`.
    pub fn new(burst: u32, refill: Duration) -> UpdateGate {
        UpdateGate {
            limiter: RateLimiter::new(burst, refill),
        }
    }

    /// Whether `update` goes on to the dispatcher.
    pub fn admits(&self, update: &Update) -> bool {
        let user = match &update.kind {
            UpdateKind::PreCheckoutQuery(_) => return true,
            UpdateKind::Message(m) if m.successful_payment().is_some() => return true,
            UpdateKind::Message(m) => m.from.as_ref().map(|u| u.id),
            UpdateKind::EditedMessage(m) => m.from.as_ref().map(|u| u.id),
            UpdateKind::CallbackQuery(q) => Some(q.from.id),
            UpdateKind::InlineQuery(q) => Some(q.from.id),
            _ => None,
        };
        let Some(user) = user.and_then(|id| i64::try_from(id.0).ok()) else {
            return true;
        };
        match self.limiter.check(user) {
            Verdict::Allow => true,
            Verdict::Warn | Verdict::Drop => {
                crate::metrics::inc("souk_updates_dropped_total", &[("reason", "flood")]);
                tracing::debug!(user, "update dropped by the flood gate");
                false
            }
        }
    }
}

/// An update listener whose updates pass the gate first.
pub struct Gated<L> {
    inner: L,
    gate: Arc<UpdateGate>,
}

impl<L> Gated<L> {
    pub fn new(inner: L, gate: Arc<UpdateGate>) -> Gated<L> {
        Gated { inner, gate }
    }
}

impl<L> UpdateListener for Gated<L>
where
    L: UpdateListener,
    L::Err: Send + 'static,
{
    type Err = L::Err;

    fn stop_token(&mut self) -> StopToken {
        self.inner.stop_token()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.inner.hint_allowed_updates(hint);
    }
}

impl<'a, L> AsUpdateStream<'a> for Gated<L>
where
    L: UpdateListener,
    L::Err: Send + 'static,
{
    type StreamErr = L::Err;
    type Stream = BoxStream<'a, Result<Update, L::Err>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let gate = self.gate.clone();
        self.inner
            .as_stream()
            .filter(move |update| {
                let pass = match update {
                    Ok(u) => gate.admits(u),
                    Err(_) => true,
                };
                futures::future::ready(pass)
            })
            .boxed()
    }
}
