//! Payout batches and their withdrawals. A batch row marked open (planned or created) is unique,
//! so two runs can never reserve the same earnings at once, on SQLite or PostgreSQL.

use super::{Conn, Store, StoreError, is_unique_violation, now};
use crate::domain::UsdCents;
use crate::domain::payout::{BatchStatus, Candidate, PayoutStatus, PlannedPayout};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub id: i64,
    pub status: BatchStatus,
    pub currency: String,
    pub total: UsdCents,
    pub started_by: String,
    /// NOWPayments' batch id, once it answered.
    pub remote_id: Option<String>,
    pub verify_attempts: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payout {
    pub id: i64,
    pub batch_id: i64,
    pub seller_id: i64,
    pub amount: UsdCents,
    pub currency: String,
    pub address: String,
    pub status: PayoutStatus,
    pub withdrawal_id: Option<String>,
    pub hash: Option<String>,
    pub error: Option<String>,
}

impl Payout {
    /// The id NOWPayments keeps with the withdrawal, derived from the payout's own id.
    pub fn external_id(&self) -> String {
        format!("souk-payout-{}", self.id)
    }
}

const BATCH_COLUMNS: &str = "id, status, currency, total_cents, started_by, remote_id, verify_attempts, created_at, updated_at";
const PAYOUT_COLUMNS: &str =
    "id, batch_id, seller_id, amount_cents, currency, address, status, withdrawal_id, hash, error";
const NOT_FINAL: &str = "('planned', 'creating', 'waiting', 'processing', 'sending')";

fn batch_from(r: &AnyRow) -> Result<Batch, StoreError> {
    let status: String = r.try_get("status")?;
    Ok(Batch {
        id: r.try_get("id")?,
        status: BatchStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("batch status {status}")))?,
        currency: r.try_get("currency")?,
        total: UsdCents(r.try_get("total_cents")?),
        started_by: r.try_get("started_by")?,
        remote_id: r.try_get("remote_id")?,
        verify_attempts: r.try_get("verify_attempts")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn payout_from(r: &AnyRow) -> Result<Payout, StoreError> {
    let status: String = r.try_get("status")?;
    Ok(Payout {
        id: r.try_get("id")?,
        batch_id: r.try_get("batch_id")?,
        seller_id: r.try_get("seller_id")?,
        amount: UsdCents(r.try_get("amount_cents")?),
        currency: r.try_get("currency")?,
        address: r.try_get("address")?,
        status: PayoutStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("payout status {status}")))?,
        withdrawal_id: r.try_get("withdrawal_id")?,
        hash: r.try_get("hash")?,
        error: r.try_get("error")?,
    })
}

/// Sellers with a wallet, their available balance (the sum of their ledger entries that cleared:
/// sales still in the refund window wait) and whether they are banned.
pub async fn candidates_in(conn: &mut Conn) -> Result<Vec<Candidate>, StoreError> {
    let sql = format!(
        "SELECT w.seller_id, w.currency, w.address, \
         CAST(COALESCE((SELECT SUM(l.amount_cents) FROM ledger_entries l WHERE l.seller_id = w.seller_id \
         AND (l.clears_at IS NULL OR l.clears_at <= $1) AND {}), 0) AS BIGINT) AS available, \
         CAST(CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.id = w.seller_id AND u.banned_at IS NOT NULL) \
         THEN 1 ELSE 0 END AS BIGINT) AS banned \
         FROM wallets w ORDER BY w.seller_id",
        super::disputes::not_frozen("l")
    );
    let rows = sqlx::query(&sql)
        .bind(super::now())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Candidate {
                seller_id: r.try_get("seller_id")?,
                wallet_currency: r.try_get("currency")?,
                address: r.try_get("address")?,
                available: UsdCents(r.try_get("available")?),
                banned: r.try_get::<i64, _>("banned")? == 1,
            })
        })
        .collect()
}

/// The batch still planned or created, if any (there is at most one).
pub async fn open_batch(store: &Store) -> Result<Option<Batch>, StoreError> {
    let sql = format!("SELECT {BATCH_COLUMNS} FROM payout_batches WHERE open_marker = 1");
    sqlx::query(&sql)
        .fetch_optional(store.pool())
        .await?
        .as_ref()
        .map(batch_from)
        .transpose()
}

pub async fn batch(store: &Store, id: i64) -> Result<Option<Batch>, StoreError> {
    let sql = format!("SELECT {BATCH_COLUMNS} FROM payout_batches WHERE id = $1");
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(store.pool())
        .await?
        .as_ref()
        .map(batch_from)
        .transpose()
}

/// Opens a new batch first thing in a transaction; `None` when another is open. On PostgreSQL a
/// concurrent opener waits here until the first commits, then fails: it cannot reserve twice.
pub async fn open_in(
    conn: &mut Conn,
    currency: &str,
    started_by: &str,
) -> Result<Option<i64>, StoreError> {
    let t = now();
    let result = sqlx::query(
        "INSERT INTO payout_batches (status, open_marker, currency, total_cents, started_by, created_at, updated_at) \
         VALUES ('planned', 1, $1, 0, $2, $3, $3) RETURNING id",
    )
    .bind(currency)
    .bind(started_by)
    .bind(t)
    .fetch_one(&mut *conn)
    .await;
    match result {
        Ok(row) => Ok(Some(row.try_get("id")?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Records the planned payouts of a batch and its total.
pub async fn add_planned_in(
    conn: &mut Conn,
    batch_id: i64,
    currency: &str,
    plan: &[PlannedPayout],
) -> Result<Vec<Payout>, StoreError> {
    let t = now();
    let mut out = Vec::with_capacity(plan.len());
    for p in plan {
        let row = sqlx::query(
            "INSERT INTO payouts (batch_id, seller_id, amount_cents, currency, address, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'planned', $6, $6) RETURNING id",
        )
        .bind(batch_id)
        .bind(p.seller_id)
        .bind(p.amount.0)
        .bind(currency)
        .bind(&p.address)
        .bind(t)
        .fetch_one(&mut *conn)
        .await?;
        out.push(Payout {
            id: row.try_get("id")?,
            batch_id,
            seller_id: p.seller_id,
            amount: p.amount,
            currency: currency.to_string(),
            address: p.address.clone(),
            status: PayoutStatus::Planned,
            withdrawal_id: None,
            hash: None,
            error: None,
        });
    }
    let total = crate::domain::payout::total(plan);
    sqlx::query("UPDATE payout_batches SET total_cents = $1 WHERE id = $2")
        .bind(total.0)
        .bind(batch_id)
        .execute(&mut *conn)
        .await?;
    Ok(out)
}

pub async fn payouts_of(store: &Store, batch_id: i64) -> Result<Vec<Payout>, StoreError> {
    let sql = format!("SELECT {PAYOUT_COLUMNS} FROM payouts WHERE batch_id = $1 ORDER BY id");
    let rows = sqlx::query(&sql)
        .bind(batch_id)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(payout_from).collect()
}

/// Records the batch NOWPayments created and each withdrawal's id and status, if `holder` holds
/// the planned batch (false otherwise, and nothing is written).
pub async fn record_created_in(
    conn: &mut Conn,
    batch_id: i64,
    holder: &str,
    remote_id: &str,
    withdrawals: &[(i64, String, PayoutStatus)],
) -> Result<bool, StoreError> {
    let t = now();
    let done = sqlx::query(
        "UPDATE payout_batches SET status = 'created', remote_id = $1, updated_at = $2 \
         WHERE id = $3 AND status = 'planned' AND lease_holder = $4",
    )
    .bind(remote_id)
    .bind(t)
    .bind(batch_id)
    .bind(holder)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    for (payout_id, withdrawal_id, status) in withdrawals {
        sqlx::query(
            "UPDATE payouts SET withdrawal_id = $1, status = $2, updated_at = $3 WHERE id = $4 AND withdrawal_id IS NULL",
        )
        .bind(withdrawal_id)
        .bind(status.as_str())
        .bind(t)
        .bind(payout_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}

/// Takes TOTP time step `step` for a verification of this batch. False when a code of this
/// step (or a later one) was already sent, for any batch: a code is never used twice. False too
/// when `holder` no longer holds the batch.
pub async fn use_code_step(
    store: &Store,
    batch_id: i64,
    holder: &str,
    step: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE payout_batches SET last_code_step = $1, verify_attempts = verify_attempts + 1, updated_at = $2 \
         WHERE id = $3 AND lease_holder = $4 AND (last_code_step IS NULL OR last_code_step < $1) \
         AND NOT EXISTS (SELECT 1 FROM payout_batches o WHERE o.id <> $3 AND o.last_code_step >= $1)",
    )
    .bind(step)
    .bind(now())
    .bind(batch_id)
    .bind(holder)
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes a verified batch held by `holder`; true if this call closed it.
pub async fn mark_verified_in(
    conn: &mut Conn,
    batch_id: i64,
    holder: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(&format!(
        "UPDATE payout_batches SET status = 'verified', open_marker = NULL, lease_until = 0, updated_at = $1 \
         WHERE id = $2 AND {} AND lease_holder = $3",
        super::status_in("status", BatchStatus::is_open)
    ))
    .bind(now())
    .bind(batch_id)
    .bind(holder)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes a batch that will never be paid; returns its payouts that were still open, now
/// `rejected`. The caller gives their amounts back in the ledger, in the same transaction.
pub async fn release_in(
    conn: &mut Conn,
    batch_id: i64,
    holder: &str,
    reason: &str,
) -> Result<Vec<Payout>, StoreError> {
    let t = now();
    let closed = sqlx::query(&format!(
        "UPDATE payout_batches SET status = 'released', open_marker = NULL, lease_until = 0, error = $1, updated_at = $2 \
         WHERE id = $3 AND {} AND lease_holder = $4",
        super::status_in("status", BatchStatus::is_open)
    ))
    .bind(reason)
    .bind(t)
    .bind(batch_id)
    .bind(holder)
    .execute(&mut *conn)
    .await?;
    if closed.rows_affected() == 0 {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {PAYOUT_COLUMNS} FROM payouts WHERE batch_id = $1 AND status IN {NOT_FINAL} ORDER BY id"
    );
    let open: Vec<Payout> = sqlx::query(&sql)
        .bind(batch_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(payout_from)
        .collect::<Result<_, _>>()?;
    let sql = format!(
        "UPDATE payouts SET status = 'rejected', error = $1, updated_at = $2 WHERE batch_id = $3 AND status IN {NOT_FINAL}"
    );
    sqlx::query(&sql)
        .bind(reason)
        .bind(t)
        .bind(batch_id)
        .execute(&mut *conn)
        .await?;
    Ok(open)
}

pub async fn by_withdrawal_in(
    conn: &mut Conn,
    withdrawal_id: &str,
) -> Result<Option<Payout>, StoreError> {
    let sql = format!("SELECT {PAYOUT_COLUMNS} FROM payouts WHERE withdrawal_id = $1");
    sqlx::query(&sql)
        .bind(withdrawal_id)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(payout_from)
        .transpose()
}

/// Moves a payout from `from` to `to` (compare-and-set); false if it was not in `from` any more.
pub async fn transition_in(
    conn: &mut Conn,
    payout_id: i64,
    from: PayoutStatus,
    to: PayoutStatus,
    hash: Option<&str>,
    error: Option<&str>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE payouts SET status = $1, hash = COALESCE($2, hash), error = COALESCE($3, error), updated_at = $4 \
         WHERE id = $5 AND status = $6",
    )
    .bind(to.as_str())
    .bind(hash)
    .bind(error)
    .bind(now())
    .bind(payout_id)
    .bind(from.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// NOWPayments batch ids with a withdrawal sent but not final, quiet since `before`.
pub async fn stale_batches(store: &Store, before: i64) -> Result<Vec<String>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT DISTINCT b.remote_id FROM payouts p JOIN payout_batches b ON b.id = p.batch_id \
         WHERE b.status = 'verified' AND b.remote_id IS NOT NULL \
         AND {} AND p.updated_at < $1",
        super::status_in("p.status", PayoutStatus::is_in_flight)
    ))
    .bind(before)
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(|r| Ok(r.try_get("remote_id")?)).collect()
}

/// The latest batches, newest first.
pub async fn recent_batches(store: &Store, limit: i64) -> Result<Vec<Batch>, StoreError> {
    let sql = format!("SELECT {BATCH_COLUMNS} FROM payout_batches ORDER BY id DESC LIMIT $1");
    sqlx::query(&sql)
        .bind(limit)
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(batch_from)
        .collect()
}

/// The latest withdrawals, newest first.
pub async fn recent(store: &Store, limit: i64) -> Result<Vec<Payout>, StoreError> {
    let sql = format!("SELECT {PAYOUT_COLUMNS} FROM payouts ORDER BY id DESC LIMIT $1");
    sqlx::query(&sql)
        .bind(limit)
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(payout_from)
        .collect()
}

/// Payouts NOWPayments took (a withdrawal id) created in `[from, to)`, oldest first.
pub async fn with_withdrawals_between(
    store: &Store,
    from: i64,
    to: i64,
) -> Result<Vec<Payout>, StoreError> {
    let sql = format!(
        "SELECT {PAYOUT_COLUMNS} FROM payouts WHERE withdrawal_id IS NOT NULL \
         AND created_at >= $1 AND created_at < $2 ORDER BY id"
    );
    let rows = sqlx::query(&sql)
        .bind(from)
        .bind(to)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(payout_from).collect()
}
