//! Settlement's group commit: its own connections, whose commits do not wait for the disk, and
//! the one flush that makes every commit before it durable, made before anything is answered
//! while the next batch is settled. SQLite syncs its log file; PostgreSQL flushes its WAL with a
//! synchronous commit.

use super::{Conn, StoreError, wal};
use sqlx::AnyPool;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Settlement's own connections, and what makes their commits durable.
#[derive(Debug)]
pub(super) struct Settling {
    pub(super) pool: AnyPool,
    pub(super) log: Log,
    /// SQLite: the connection batches settle on, kept between them (`kept`).
    kept: Arc<Mutex<Option<Conn>>>,
}

/// The settling connection, held by one batch at a time; always there while held, until a
/// batch that fails half-way takes it away to close it (`WriteTx`).
pub(super) type Kept = OwnedMutexGuard<Option<Conn>>;

/// How commits made without waiting for the disk are made durable.
#[derive(Debug)]
pub(super) enum Log {
    /// SQLite: syncing the log file (`<db>-wal`).
    File(PathBuf),
    /// PostgreSQL: a synchronous commit on this pool flushes the WAL through every commit
    /// before it (the WAL is one sequence).
    Wal(WalFlush),
}

impl Settling {
    pub(super) fn new(pool: AnyPool, log: Log) -> Settling {
        Settling {
            pool,
            log,
            kept: Arc::new(Mutex::new(None)),
        }
    }

    /// The settling connection, opened at the first batch (or after one that failed) and kept:
    /// a connection handed back to sqlx's pool is pinged first, a round trip to SQLite's thread
    /// that held the next batch up (about 45 µs a batch, issue 18).
    pub(super) async fn kept(&self) -> Result<Kept, StoreError> {
        let mut kept = self.kept.clone().lock_owned().await;
        if kept.is_none() {
            *kept = Some(self.pool.acquire().await?.detach());
        }
        Ok(kept)
    }

    /// Makes every commit made on `pool` before the call durable.
    pub(super) async fn flush(&self) -> Result<(), StoreError> {
        match &self.log {
            Log::File(path) => wal::sync_log(path).await,
            Log::Wal(flush) => flush.flush().await,
        }
    }
}

/// PostgreSQL's WAL flushes, one at a time, each covering every caller that asked before it
/// began: callers that ask while a flush runs share the next one.
#[derive(Debug)]
pub(super) struct WalFlush {
    /// The pool a synchronous commit is made on (any connection of the server will do).
    pool: AnyPool,
    /// Tickets handed out, one per call.
    asked: AtomicU64,
    /// The highest ticket a finished flush covers.
    covered: Mutex<u64>,
}

impl WalFlush {
    pub(super) fn new(pool: AnyPool) -> WalFlush {
        WalFlush {
            pool,
            asked: AtomicU64::new(0),
            covered: Mutex::new(0),
        }
    }

    async fn flush(&self) -> Result<(), StoreError> {
        // Taken after the caller's commit returned: a flush begun later covers that commit.
        let ticket = self.asked.fetch_add(1, Ordering::SeqCst) + 1;
        let mut covered = self.covered.lock().await;
        if *covered >= ticket {
            return Ok(());
        }
        let covers = self.asked.load(Ordering::SeqCst);
        // A transaction that wrote to the WAL (here a transactional message, which any role may
        // write and no table keeps) commits synchronously: it returns once the WAL is flushed
        // through its commit record, so through every commit before it. (One that only took a
        // transaction id writes no WAL and is not flushed.)
        sqlx::query("SELECT pg_logical_emit_message(true, 'souk', 'flush')::text")
            .execute(&self.pool)
            .await?;
        *covered = covers;
        Ok(())
    }
}
