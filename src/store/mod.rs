//! The database: one `Store` over SQLite or PostgreSQL through sqlx's Any driver, one module per aggregate.
//!
//! Transactions: a function taking a `Conn` runs inside the caller's transaction and commits
//! nothing; one taking the `Store` commits what it does. The `_in` suffix marks the `Conn` form
//! of a step that also exists on its own, or whose name would not say it (`cancel_in`,
//! `release_in`, `available_in`).

pub mod accesses;
pub mod books;
pub mod broadcasts;
pub mod bundle;
pub mod categories;
pub mod conversions;
pub mod coupons;
pub mod cursors;
pub mod dialogues;
pub mod disputes;
pub mod exports;
pub mod ipn_events;
pub mod job_runs;
pub mod lease;
pub mod ledger;
pub mod marks;
pub mod memberships;
pub mod orders;
pub mod outbox;
pub mod payouts;
mod pools;
pub mod products;
pub mod referrals;
pub mod reports;
pub mod restock_alerts;
pub mod retention;
pub mod reviews;
pub mod send_slots;
mod settling;
pub mod star_refunds;
pub mod stock;
pub mod users;
pub mod wal;
pub mod wallets;
mod write_tx;

use sqlx::AnyPool;
use sqlx::any::AnyConnectOptions;
use sqlx::migrate::Migrator;
use std::str::FromStr;
use std::sync::Arc;
use tokio::sync::{Mutex, Notify};

pub use sqlx::AnyConnection as Conn;
pub use write_tx::WriteTx;

/// Which database engine a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The engine a connection talks to.
    pub fn of(conn: &Conn) -> Backend {
        if conn.backend_name().eq_ignore_ascii_case("sqlite") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }
}

/// A handle to the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    /// Settlement's own connections, whose commits the settler makes durable itself.
    settling: Arc<settling::Settling>,
    backend: Backend,
    /// SQLite has one writer at a time: writers of this process queue here, in order, instead of
    /// polling SQLite's busy handler (which sleeps up to 100 ms a turn under contention).
    write_lane: Arc<Mutex<()>>,
    /// Woken when a commit queued messages in the outbox (this process's delivery worker waits
    /// on it; other replicas' workers find them at their next poll).
    outbox_queued: Arc<Notify>,
    /// The admins' chats: a message queued for `Recipient::Admins` goes to each of them.
    admins: Arc<[i64]>,
    /// Seconds a sale's credit is held before it can be paid out (the refund window).
    sale_hold: i64,
    /// Seconds after a delivery before its buyer is invited to review it.
    review_delay: i64,
    /// How referrals earn: for how long after the referred user arrived, and what share of
    /// the commission.
    referrals: Referrals,
    /// Seconds a member stays in a sold chat after their access ended (`ACCESS_GRACE_HOURS`).
    access_grace: i64,
}

/// What a referral earns its referrer (`REFERRAL_DAYS`, `REFERRAL_SHARE_PERCENT`).
#[derive(Debug, Clone, Copy)]
pub struct Referrals {
    /// Seconds after the referred user's arrival during which their purchases count.
    pub window: i64,
    pub share: crate::domain::money::CommissionRate,
}

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row holds what souk never writes (an unknown kind or status, a row that must exist).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// A row kept changing under souk while it tried to write it: try again later.
    #[error("too much contention: {0}")]
    Contention(String),
    /// What souk meant to store could not be encoded.
    #[error("cannot encode: {0}")]
    Encode(String),
    /// This backend cannot do it.
    #[error("not supported here: {0}")]
    Unsupported(&'static str),
    /// The task that writes it has stopped (the process is shutting down).
    #[error("stopped: {0}")]
    Stopped(&'static str),
    /// The database's files could not be synced to disk.
    #[error("disk: {0}")]
    Io(String),
}

/// Each backend's migrations, every file of its folder embedded in the binary in order (a
/// file added to the folder is applied without being listed anywhere).
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// The migrations of `backend`.
pub fn migrator(backend: Backend) -> &'static Migrator {
    match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    }
}

impl Store {
    /// Connects; a missing SQLite file is created, and SQLite runs in WAL mode.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let max = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        let pool = pools::open(backend, options.clone(), max, pools::Durability::AtCommit).await?;
        let settling = match backend {
            Backend::Sqlite => settling::Settling::new(
                pools::open(backend, options, 1, pools::Durability::ByWriter).await?,
                settling::Log::File(wal::log_path(&url)?),
            ),
            // Several connections: `settlement::apply_many` may be called side by side.
            Backend::Postgres => settling::Settling::new(
                pools::open(backend, options, 4, pools::Durability::ByWriter).await?,
                settling::Log::Wal(settling::WalFlush::new(pool.clone())),
            ),
        };
        Ok(Store {
            pool,
            settling: Arc::new(settling),
            backend,
            write_lane: Arc::new(Mutex::new(())),
            outbox_queued: Arc::new(Notify::new()),
            admins: Arc::from([]),
            sale_hold: 0,
            review_delay: 0,
            access_grace: 0,
            referrals: Referrals {
                window: 0,
                share: crate::domain::money::CommissionRate::parse("0").expect("0 is a rate"),
            },
        })
    }

    /// The same store, whose messages for `Recipient::Admins` go to these chats.
    pub fn with_admins(self, admins: &[i64]) -> Store {
        Store {
            admins: Arc::from(admins),
            ..self
        }
    }

    /// The admins' chats.
    pub fn admins(&self) -> &[i64] {
        &self.admins
    }

    /// The same store, whose sales' credits are held `days` before they can be paid out.
    pub fn with_sale_hold(self, days: u32) -> Store {
        Store {
            sale_hold: i64::from(days) * 86_400,
            ..self
        }
    }

    /// Seconds a sale's credit is held before it can be paid out.
    pub fn sale_hold(&self) -> i64 {
        self.sale_hold
    }

    /// The same store, whose buyers are invited to review `minutes` after a delivery.
    pub fn with_review_delay(self, minutes: u32) -> Store {
        Store {
            review_delay: i64::from(minutes) * 60,
            ..self
        }
    }

    /// Seconds after a delivery before its buyer is invited to review it.
    pub fn review_delay(&self) -> i64 {
        self.review_delay
    }

    /// The same store, whose members of sold chats stay `hours` after their access ended.
    pub fn with_access_grace(self, hours: u32) -> Store {
        Store {
            access_grace: i64::from(hours) * 3600,
            ..self
        }
    }

    /// Seconds a member stays in a sold chat after their access ended.
    pub fn access_grace(&self) -> i64 {
        self.access_grace
    }

    /// The same store, whose referred buyers' purchases earn their referrer `share` of the
    /// commission for `days` after they arrived.
    pub fn with_referrals(self, days: u32, share: crate::domain::money::CommissionRate) -> Store {
        Store {
            referrals: Referrals {
                window: i64::from(days) * 86_400,
                share,
            },
            ..self
        }
    }

    pub fn referrals(&self) -> Referrals {
        self.referrals
    }

    /// Notified after each commit that queued outbox messages.
    pub fn outbox_queued(&self) -> Arc<Notify> {
        self.outbox_queued.clone()
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        migrator(self.backend).run(&self.pool).await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that will write. On SQLite it takes the write lock at once (BEGIN IMMEDIATE),
    /// so two writers queue on busy_timeout instead of failing when a read turns into a write.
    pub async fn write(&self) -> Result<WriteTx, StoreError> {
        self.write_on(&self.pool).await
    }

    /// Settlement's write transaction: its commit does not wait for the disk, so nothing it
    /// wrote may be acknowledged before `sync_log` (group commit: `store::settling`).
    /// On SQLite its `BEGIN IMMEDIATE` and `COMMIT` go with its first and last statements
    /// (`WriteTx::opening`, `WriteTx::closing`): two round trips fewer a batch.
    pub async fn write_unsynced(&self) -> Result<WriteTx, StoreError> {
        if self.backend == Backend::Postgres {
            return self.write_on(&self.settling.pool).await;
        }
        let lane = self.write_lane.clone().lock_owned().await;
        let conn = self.settling.kept().await?;
        let (queued, admins) = (self.outbox_queued.clone(), self.admins.clone());
        Ok(WriteTx::new_folded(conn, lane, queued, admins))
    }

    /// Makes every commit so far durable, what `write_unsynced` committed included: syncs
    /// SQLite's log, or flushes PostgreSQL's WAL with a synchronous commit.
    pub async fn sync_log(&self) -> Result<(), StoreError> {
        self.settling.flush().await
    }

    async fn write_on(&self, pool: &AnyPool) -> Result<WriteTx, StoreError> {
        let (tx, lane) = match self.backend {
            Backend::Sqlite => {
                let lane = self.write_lane.clone().lock_owned().await;
                (pool.begin_with("BEGIN IMMEDIATE").await?, Some(lane))
            }
            Backend::Postgres => (pool.begin().await?, None),
        };
        let (queued, admins) = (self.outbox_queued.clone(), self.admins.clone());
        Ok(WriteTx::new(tx, lane, queued, admins))
    }

    /// Writes a consistent copy of a SQLite database to `path` (`VACUUM INTO`), readers and
    /// writers carrying on meanwhile.
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Unsupported(
                "VACUUM INTO is SQLite only; use pg_dump",
            ));
        }
        let target = path.to_string_lossy().to_string();
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A cheap round trip, for /healthz.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Whether an error is a unique-constraint violation (the database said "already there").
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// `<column> IN ('a', 'b', …)` for the statuses where `which` holds: SQL that picks rows by
/// status derives its list from the domain's rule, written once.
pub(crate) fn status_in<S: crate::domain::Statuses>(column: &str, which: fn(S) -> bool) -> String {
    let list: Vec<String> = S::ALL
        .iter()
        .filter(|s| which(**s))
        .map(|s| format!("'{}'", s.name()))
        .collect();
    format!("{column} IN ({})", list.join(", "))
}

/// `($1, $2), ($3, $4)`: numbered placeholders for `rows` rows of `cols` values, from `$start`
/// (`marks::Marks` for a batch's statements on SQLite).
pub fn placeholders(start: usize, rows: usize, cols: usize) -> String {
    marks::Marks::new(Backend::Postgres, start).rows(rows, cols)
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_rows_and_columns() {
        assert_eq!(super::placeholders(1, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::placeholders(3, 2, 1), "($3), ($4)");
    }

    #[test]
    fn status_lists_come_from_the_domain_rules() {
        use crate::domain::OrderStatus;
        use crate::domain::payout::{BatchStatus, PayoutStatus};
        assert_eq!(
            super::status_in("status", OrderStatus::is_open),
            "status IN ('created', 'waiting')"
        );
        assert_eq!(
            super::status_in("p.status", PayoutStatus::is_in_flight),
            "p.status IN ('creating', 'waiting', 'processing', 'sending')"
        );
        assert_eq!(
            super::status_in("status", BatchStatus::is_open),
            "status IN ('planned', 'created')"
        );
    }
}
