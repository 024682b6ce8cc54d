//! Leases: a row (a payout batch, a broadcast) held by a named holder until a deadline that the
//! holder's heartbeat pushes on; another holder may take it only once the deadline has passed,
//! and every statement that moves the row forward requires the holder.

use super::{Conn, Store, StoreError, now};
use sqlx::Row;

/// A kind of leased row: its table and the columns that hold the lease.
#[derive(Debug, Clone, Copy)]
pub struct Leased {
    table: &'static str,
    holder: &'static str,
    until: &'static str,
    /// Extra condition a row must meet to be taken (e.g. a broadcast still sending).
    takeable: &'static str,
}

/// A payout batch, held by one payout run.
pub const PAYOUT_BATCH: Leased = Leased {
    table: "payout_batches",
    holder: "lease_holder",
    until: "lease_until",
    takeable: "open_marker = 1",
};

/// A broadcast being sent, held by one process.
pub const BROADCAST: Leased = Leased {
    table: "broadcasts",
    holder: "runner",
    until: "lease_until",
    takeable: "status = 'sending'",
};

/// An outbox message claimed by one replica's delivery worker.
pub const OUTBOX_ROW: Leased = Leased {
    table: "outbox",
    holder: "claimed_by",
    until: "claimed_until",
    takeable: "sent_at IS NULL AND failed_at IS NULL",
};

/// A holder name no other process or run shares: the role, the process id, a sequence number and
/// 64 random bits (replicas in containers often share a process id).
pub fn holder_name(role: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let mut noise = [0u8; 8];
    if getrandom::fill(&mut noise).is_err() {
        // No system generator: the time still tells two processes apart.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        noise = (nanos as u64).to_le_bytes();
    }
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    format!("{role}-{}-{seq}-{}", std::process::id(), hex::encode(noise))
}

/// Takes row `id` for `holder` for `seconds` (or keeps it, when it holds it already). False while
/// another holder's lease runs.
pub async fn take(
    store: &Store,
    kind: Leased,
    id: i64,
    holder: &str,
    seconds: i64,
) -> Result<bool, StoreError> {
    let t = now();
    let sql = format!(
        "UPDATE {} SET {holder_col} = $1, {until} = $2 WHERE id = $3 AND {} AND ({until} < $4 OR {holder_col} = $1)",
        kind.table,
        kind.takeable,
        holder_col = kind.holder,
        until = kind.until,
    );
    let done = sqlx::query(&sql)
        .bind(holder)
        .bind(t + seconds)
        .bind(id)
        .bind(t)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The heartbeat: pushes `holder`'s lease on row `id` to `seconds` from now. False when the row
/// is held by someone else now (the lease ran out and was taken), or is no longer to be worked
/// on (an outbox message sent, a batch closed): the holder must stop.
pub async fn renew(
    conn: &mut Conn,
    kind: Leased,
    id: i64,
    holder: &str,
    seconds: i64,
) -> Result<bool, StoreError> {
    let sql = format!(
        "UPDATE {} SET {until} = $1 WHERE id = $2 AND {holder_col} = $3 AND {}",
        kind.table,
        kind.takeable,
        holder_col = kind.holder,
        until = kind.until,
    );
    let done = sqlx::query(&sql)
        .bind(now() + seconds)
        .bind(id)
        .bind(holder)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// `renew` outside a transaction.
pub async fn renew_now(
    store: &Store,
    kind: Leased,
    id: i64,
    holder: &str,
    seconds: i64,
) -> Result<bool, StoreError> {
    let mut conn = store.pool().acquire().await?;
    renew(&mut conn, kind, id, holder, seconds).await
}

/// Lets go of row `id` at once, if `holder` still holds it.
pub async fn release(store: &Store, kind: Leased, id: i64, holder: &str) -> Result<(), StoreError> {
    let sql = format!(
        "UPDATE {} SET {until} = 0 WHERE id = $1 AND {holder_col} = $2",
        kind.table,
        holder_col = kind.holder,
        until = kind.until,
    );
    sqlx::query(&sql)
        .bind(id)
        .bind(holder)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// When the current lease on row `id` runs out (unix seconds), if the row exists.
pub async fn held_until(store: &Store, kind: Leased, id: i64) -> Result<Option<i64>, StoreError> {
    let sql = format!(
        "SELECT {} AS until FROM {} WHERE id = $1",
        kind.until, kind.table
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    Ok(match row {
        Some(r) => Some(r.try_get("until")?),
        None => None,
    })
}
