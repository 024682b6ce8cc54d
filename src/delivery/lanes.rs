//! Chats side by side: claimed messages are sent by one lane per chat, several chats at once,
//! each chat's messages in order. A chat whose sends fail (teloxide waits 10 s after a Telegram
//! 5xx before it returns the error) or are slow holds up only its own lane.

use crate::store::outbox::OutboxItem;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Messages waiting for their chat's lane, by chat, and every message this worker holds (waiting
/// or being sent), so that a message claimed again while it waits is not queued twice.
#[derive(Clone, Default)]
pub struct Lanes {
    waiting: Arc<Mutex<HashMap<i64, VecDeque<OutboxItem>>>>,
    held: Arc<Mutex<HashSet<i64>>>,
    stopping: Arc<AtomicBool>,
}

impl Lanes {
    /// Queues `item` behind its chat's lane. True when the chat had no lane yet: the caller
    /// starts one (`next` then hands it the chat's messages until none is left). A message this
    /// worker holds already is dropped.
    pub fn push(&self, item: OutboxItem) -> bool {
        if !self.hold(item.id) {
            return false;
        }
        let mut waiting = self.waiting.lock().unwrap_or_else(|p| p.into_inner());
        match waiting.get_mut(&item.chat_id) {
            Some(queue) => {
                queue.push_back(item);
                false
            }
            None => {
                waiting.insert(item.chat_id, VecDeque::from([item]));
                true
            }
        }
    }

    /// The chat's next message, or `None` when its lane is done (and closed, under the same
    /// lock, so a message pushed afterwards starts a new lane) or the worker is stopping.
    pub fn next(&self, chat_id: i64) -> Option<OutboxItem> {
        let mut waiting = self.waiting.lock().unwrap_or_else(|p| p.into_inner());
        let item = waiting
            .get_mut(&chat_id)
            .filter(|_| !self.stopping.load(Ordering::SeqCst))
            .and_then(VecDeque::pop_front);
        if item.is_none() {
            waiting.remove(&chat_id);
        }
        item
    }

    /// The message is done with (sent, retried later or given up): it may be claimed again.
    pub fn release(&self, id: i64) {
        self.held
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
    }

    /// How many messages this worker holds.
    pub fn held(&self) -> usize {
        self.held.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Lanes finish the message in hand and take no other.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    fn hold(&self, id: i64) -> bool {
        self.held
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::outbox::OutboxMessage;

    fn item(id: i64, chat_id: i64) -> OutboxItem {
        OutboxItem {
            id,
            chat_id,
            message: OutboxMessage::text("welcome", &[]),
            attempts: 0,
            goods: false,
        }
    }

    #[test]
    fn one_lane_per_chat_in_order_and_a_closed_lane_starts_again() {
        let lanes = Lanes::default();
        assert!(lanes.push(item(1, 7)), "a new chat starts a lane");
        assert!(!lanes.push(item(2, 7)), "the lane takes it");
        assert!(
            !lanes.push(item(2, 7)),
            "a message claimed again is not queued twice"
        );
        assert!(lanes.push(item(3, 8)));
        assert_eq!(lanes.next(7).map(|i| i.id), Some(1));
        assert_eq!(lanes.next(7).map(|i| i.id), Some(2));
        assert!(lanes.next(7).is_none(), "the lane closes");
        assert!(lanes.push(item(4, 7)), "and a later message opens it again");
        assert_eq!(lanes.next(8).map(|i| i.id), Some(3));
        assert_eq!(lanes.held(), 4);
        lanes.release(1);
        assert_eq!(lanes.held(), 3);
        lanes.stop();
        assert!(
            lanes.next(7).is_none(),
            "a stopping worker takes no other message"
        );
    }
}
