//! Write transactions: sqlx's, or settlement's on SQLite, whose `BEGIN IMMEDIATE` and `COMMIT`
//! ride in the batch's first and last round trips to the connection's thread (issue 18).

use super::settling::Kept;
use super::{Conn, StoreError, Tx};
use std::sync::Arc;
use tokio::sync::{Notify, OwnedMutexGuard};

/// A write transaction; on SQLite it also holds this process's write lane until it ends.
pub struct WriteTx {
    held: Held,
    _lane: Option<OwnedMutexGuard<()>>,
    outbox_queued: Arc<Notify>,
    queued: bool,
    admins: Arc<[i64]>,
}

enum Held {
    Tx(Tx),
    Folded(Folded),
}

/// A SQLite transaction begun and committed by statements souk sends itself, in front of the
/// first statement and after the last, instead of round trips of their own, on settlement's
/// kept connection. Until its `COMMIT` ran, dropping it closes the connection, which rolls the
/// transaction back (the next batch opens another).
struct Folded {
    conn: Kept,
    state: FoldedState,
}

impl Folded {
    fn conn(&mut self) -> &mut Conn {
        // Filled by `Settling::kept`, emptied only when a `Folded` is dropped unfinished.
        self.conn
            .as_mut()
            .expect("the kept connection is there while it is held")
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FoldedState {
    /// Nothing sent yet: the first statement carries the `BEGIN IMMEDIATE`.
    Unopened,
    Open,
    /// Its `COMMIT` went with the caller's last statement: committed if that statement ran.
    Closing,
    Committed,
}

const BEGIN: &str = "BEGIN IMMEDIATE;\n";

impl WriteTx {
    pub(super) fn new(
        tx: Tx,
        lane: Option<OwnedMutexGuard<()>>,
        outbox_queued: Arc<Notify>,
        admins: Arc<[i64]>,
    ) -> WriteTx {
        WriteTx::with(Held::Tx(tx), lane, outbox_queued, admins)
    }

    /// Settlement's transaction on SQLite: begun by the text `opening` gives its first
    /// statement, committed by `closing`'s (or by `commit`).
    pub(super) fn new_folded(
        conn: Kept,
        lane: OwnedMutexGuard<()>,
        outbox_queued: Arc<Notify>,
        admins: Arc<[i64]>,
    ) -> WriteTx {
        let folded = Folded {
            conn,
            state: FoldedState::Unopened,
        };
        WriteTx::with(Held::Folded(folded), Some(lane), outbox_queued, admins)
    }

    fn with(
        held: Held,
        lane: Option<OwnedMutexGuard<()>>,
        outbox_queued: Arc<Notify>,
        admins: Arc<[i64]>,
    ) -> WriteTx {
        WriteTx {
            held,
            _lane: lane,
            outbox_queued,
            queued: false,
            admins,
        }
    }

    /// Whether `BEGIN` and `COMMIT` go with the transaction's statements (settlement's, on
    /// SQLite): from its first statement on, it holds the database's write lock.
    pub fn is_folded(&self) -> bool {
        matches!(self.held, Held::Folded(_))
    }

    /// The text to put in front of the transaction's first statement, which must then run
    /// before any other: `BEGIN IMMEDIATE` for a folded transaction not begun yet, else nothing.
    pub fn opening(&mut self) -> &'static str {
        match &mut self.held {
            Held::Folded(f) if f.state == FoldedState::Unopened => {
                f.state = FoldedState::Open;
                BEGIN
            }
            _ => "",
        }
    }

    /// The statement that ends a folded transaction, to run last in the caller's final round
    /// trip, after which `commit` only confirms it; `None` when `commit` commits.
    pub fn closing(&mut self) -> Option<&'static str> {
        match &mut self.held {
            Held::Folded(f) if f.state == FoldedState::Open => {
                f.state = FoldedState::Closing;
                Some("COMMIT")
            }
            _ => None,
        }
    }

    /// Commits; the delivery worker is woken when the transaction queued messages. A folded
    /// transaction whose `closing` statement ran is committed already.
    pub async fn commit(self) -> Result<(), StoreError> {
        let WriteTx {
            held,
            queued,
            outbox_queued,
            ..
        } = self;
        match held {
            Held::Tx(tx) => tx.commit().await?,
            Held::Folded(mut f) => {
                if f.state == FoldedState::Open {
                    sqlx::query("COMMIT").execute(f.conn()).await?;
                }
                f.state = FoldedState::Committed;
            }
        }
        if queued {
            outbox_queued.notify_one();
        }
        Ok(())
    }

    /// Marks the transaction as queuing outbox messages (see `outbox::enqueue`); the admins'
    /// chats are who `Recipient::Admins` names.
    pub(crate) fn queues_messages(&mut self) -> Arc<[i64]> {
        self.queued = true;
        self.admins.clone()
    }
}

impl Drop for Folded {
    fn drop(&mut self) {
        if matches!(self.state, FoldedState::Open | FoldedState::Closing) {
            // Dropped, the connection closes on its thread, rolling back what it began.
            drop(self.conn.take());
        }
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        match &self.held {
            Held::Tx(tx) => tx,
            Held::Folded(f) => f
                .conn
                .as_ref()
                .expect("the kept connection is there while it is held"),
        }
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
        match &mut self.held {
            Held::Tx(tx) => tx,
            Held::Folded(f) => {
                // Its first statement must carry its `BEGIN` (`opening`), or run after `open`.
                debug_assert!(f.state != FoldedState::Unopened, "a statement before BEGIN");
                f.conn()
            }
        }
    }
}
