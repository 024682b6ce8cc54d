//! The earnings ledger table: append-only entries, each unique by its reference; balances are sums.

use super::{Conn, Store, StoreError, now, placeholders};
use crate::domain::UsdCents;
use crate::domain::ledger::{Balances, EntryKind};
use sqlx::Row;
use std::collections::HashMap;

/// An entry to append. `reference` (e.g. `sale:<order>`) makes it happen at most once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub seller_id: i64,
    pub kind: EntryKind,
    /// Positive; the kind gives the sign.
    pub amount: UsdCents,
    pub order_id: Option<i64>,
    pub reference: String,
}

/// A recorded entry, for /earnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    pub amount: UsdCents,
    pub order_id: Option<i64>,
    pub created_at: i64,
}

/// Appends entries; one whose reference exists already is skipped (a repeat changes nothing).
pub async fn append(conn: &mut Conn, entries: &[NewEntry]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO ledger_entries (seller_id, kind, amount_cents, order_id, reference, created_at) VALUES {} \
         ON CONFLICT (reference) DO NOTHING",
        placeholders(1, entries.len(), 6)
    );
    let t = now();
    let mut query = sqlx::query(&sql);
    for e in entries {
        query = query
            .bind(e.seller_id)
            .bind(e.kind.as_str())
            .bind(e.kind.signed(e.amount).0)
            .bind(e.order_id)
            .bind(&e.reference)
            .bind(t);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// Available balances (sum of all entries) of several sellers, inside a transaction.
pub async fn available_in(
    conn: &mut Conn,
    sellers: &[i64],
) -> Result<HashMap<i64, UsdCents>, StoreError> {
    if sellers.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT seller_id, CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) AS total FROM ledger_entries WHERE seller_id IN {} GROUP BY seller_id",
        placeholders(1, 1, sellers.len())
    );
    let mut query = sqlx::query(&sql);
    for s in sellers {
        query = query.bind(*s);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let mut out: HashMap<i64, UsdCents> = sellers.iter().map(|s| (*s, UsdCents(0))).collect();
    for r in rows {
        out.insert(r.try_get("seller_id")?, UsdCents(r.try_get("total")?));
    }
    Ok(out)
}

/// A seller's balances, derived from the entries.
pub async fn balances(store: &Store, seller_id: i64) -> Result<Balances, StoreError> {
    let rows = sqlx::query("SELECT kind, CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) AS total FROM ledger_entries WHERE seller_id = $1 GROUP BY kind")
        .bind(seller_id)
        .fetch_all(store.pool())
        .await?;
    let mut sums = Vec::new();
    for r in rows {
        let kind: String = r.try_get("kind")?;
        let kind = EntryKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("ledger kind {kind}")))?;
        sums.push((kind, UsdCents(r.try_get("total")?)));
    }
    Ok(Balances::from_entries(sums))
}

/// The seller's latest entries, newest first.
pub async fn recent(store: &Store, seller_id: i64, limit: i64) -> Result<Vec<Entry>, StoreError> {
    let rows = sqlx::query(
        "SELECT kind, amount_cents, order_id, created_at FROM ledger_entries WHERE seller_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(seller_id)
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(Entry {
                kind: EntryKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("ledger kind {kind}")))?,
                amount: UsdCents(r.try_get("amount_cents")?),
                order_id: r.try_get("order_id")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// What the seller's paid orders not yet finished will bring (money seen, not settled).
pub async fn pending(store: &Store, seller_id: i64) -> Result<UsdCents, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT CAST(COALESCE(SUM(price_cents), 0) AS BIGINT) AS total FROM orders WHERE seller_id = $1 \
         AND {}",
        super::status_in("status", crate::domain::OrderStatus::is_money_on_the_way)
    ))
    .bind(seller_id)
    .fetch_one(store.pool())
    .await?;
    Ok(UsdCents(row.try_get("total")?))
}
