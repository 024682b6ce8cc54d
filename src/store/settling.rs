//! Settlement's group commit: its own connections, whose commits do not wait for the disk, and
//! the one flush that makes every commit before it durable, made before anything is answered
//! while the next batch is settled. SQLite syncs its log file; PostgreSQL flushes its WAL with a
//! synchronous commit.

use super::{StoreError, wal};
use sqlx::AnyPool;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::Mutex;

/// Settlement's own connections, and what makes their commits durable.
#[derive(Debug)]
pub(super) struct Settling {
    pub(super) pool: AnyPool,
    pub(super) log: Log,
}

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
