//! SQLite's write-ahead log, kept off the commit path. Checkpoints: a connection would otherwise
//! copy the log into the database (and sync it) inside whichever commit crossed the threshold,
//! settlement's batches included; `checkpoint_loop` checkpoints five times a second on a
//! connection of its own (PASSIVE: it never waits on readers or the writer), the automatic
//! checkpoint staying as a safety net far above what a second of traffic writes. Often, so that
//! each checkpoint's sync of the database file has little to write: a second's worth held the
//! log's own syncs up for milliseconds (issue 18: p99 12 to 70 ms at 1 s, 8 to 10 ms at 200 ms).
//! Syncs: settlement commits on a connection that does not sync at commit and syncs the log
//! itself (`sync_log`) before it answers, while the next batch is settled; a sync of the log
//! makes every commit before it durable, as `synchronous = FULL` would have at each commit.

use super::{Backend, Store, StoreError};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::watch;

/// The log of the SQLite database at `url` (`<file>-wal`).
pub(super) fn log_path(url: &str) -> Result<PathBuf, StoreError> {
    use std::str::FromStr;
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
    let mut log = options.get_filename().as_os_str().to_owned();
    log.push("-wal");
    Ok(PathBuf::from(log))
}

/// Syncs the log to disk: every commit made before is then durable. The file is opened at each
/// sync, not kept: SQLite deletes the log when its last connection closes (idle connections
/// do) and starts a new file, which a kept descriptor would not reach.
pub(super) async fn sync_log(log: &Path) -> Result<(), StoreError> {
    let log = log.to_path_buf();
    let synced = tokio::task::spawn_blocking(move || std::fs::File::open(&log)?.sync_data())
        .await
        .map_err(|_| StoreError::Stopped("log sync"))?;
    synced.map_err(|e| StoreError::Io(format!("syncing the SQLite log: {e}")))
}

/// Pages the log may hold before a commit checkpoints it itself (about 40 MB).
pub const AUTOCHECKPOINT_PAGES: u32 = 10_000;

/// How often the log is checkpointed in the background.
const EVERY: Duration = Duration::from_millis(200);

/// Copies what the log holds into the database, as far as readers allow (SQLite only).
pub async fn checkpoint(store: &Store) -> Result<(), StoreError> {
    if store.backend() == Backend::Sqlite {
        sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(store.pool())
            .await?;
    }
    Ok(())
}

/// Checkpoints every `EVERY` until `stop` (nothing to do on PostgreSQL).
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
