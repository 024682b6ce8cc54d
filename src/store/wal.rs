//! SQLite's write-ahead log is checkpointed beside the commit path, not in it: a connection
//! would otherwise copy the log into the database (and sync it) inside whichever commit crossed
//! the threshold, settlement's batches included. `checkpoint_loop` checkpoints every second on
//! a connection of its own (PASSIVE: it never waits on readers or the writer); the automatic
//! checkpoint stays as a safety net, set far above what a second of traffic writes.

use super::{Backend, Store, StoreError};
use std::time::Duration;
use tokio::sync::watch;

/// Pages the log may hold before a commit checkpoints it itself (about 40 MB).
pub const AUTOCHECKPOINT_PAGES: u32 = 10_000;

/// How often the log is checkpointed in the background.
const EVERY: Duration = Duration::from_secs(1);

/// Copies what the log holds into the database, as far as readers allow (SQLite only).
pub async fn checkpoint(store: &Store) -> Result<(), StoreError> {
    if store.backend() == Backend::Sqlite {
        sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(store.pool())
            .await?;
    }
    Ok(())
}

/// Checkpoints every second until `stop` (nothing to do on PostgreSQL).
pub async fn checkpoint_loop(store: Store, mut stop: watch::Receiver<bool>) {
    if store.backend() != Backend::Sqlite {
        return;
    }
    loop {
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            _ = stop.changed() => return,
        }
        if let Err(e) = checkpoint(&store).await {
            tracing::warn!(error = %e, "WAL checkpoint failed; the next one tries again");
        }
    }
}
