//! The connection pools. Everything shares one pool; settlement also has connections of its own
//! whose commits do not wait for the disk (SQLite's `synchronous = NORMAL`, PostgreSQL's
//! `synchronous_commit = off`): the settler makes them durable itself (`store::settling`) before
//! it answers anything, while the next batch is already being settled (group commit; see
//! `services::settlement::settler`).

use super::{Backend, StoreError, wal};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

/// How a connection's commits reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Durability {
    /// At every commit (`FULL`): what it commits survives a power cut when the commit returns.
    AtCommit,
    /// Not at commit (SQLite's `NORMAL`, PostgreSQL's `synchronous_commit = off`): only once
    /// its writer has made them durable itself.
    ByWriter,
}

/// A pool of `max` connections that sync as `durability` says; on SQLite each runs in WAL mode.
pub(super) async fn open(
    backend: Backend,
    options: AnyConnectOptions,
    max: u32,
    durability: Durability,
) -> Result<AnyPool, StoreError> {
    let synchronous = match durability {
        Durability::AtCommit => "FULL",
        Durability::ByWriter => "NORMAL",
    };
    let pool = AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(10))
        // A SQLite file needs no ping before each use (it would cost a round trip to the
        // connection's thread on every transaction); a server connection may have dropped.
        .test_before_acquire(backend == Backend::Postgres)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // WAL lets readers run beside the one writer. The log is synced at each
                    // commit, or by the writer itself (`Durability`): either way an IPN answered 200
                    // (never sent again) survives a power cut.
                    conn.execute(
                        format!(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; \
                             PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; \
                             PRAGMA wal_autocheckpoint = {};",
                            wal::AUTOCHECKPOINT_PAGES
                        )
                        .as_str(),
                    )
                    .await?;
                } else if durability == Durability::ByWriter {
                    conn.execute("SET synchronous_commit = off").await?;
                }
                Ok(())
            })
        });
    Ok(match durability {
        Durability::AtCommit => pool.connect_with(options).await?,
        // Settlement's connection opens at its first batch: the commands that never settle
        // (`migrate`, `healthcheck`, `app-link`…) never open it.
        Durability::ByWriter => pool.connect_lazy_with(options),
    })
}
