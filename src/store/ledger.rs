//! The earnings ledger table: append-only entries, each unique by its reference; balances are
//! sums. An entry counts towards what can be paid out once it clears (`clears_at`): a sale after
//! the refund window, everything else at once.

use super::bundle::Bundle;
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
    /// When it may be paid out (a sale held for the refund window); `None`: at once. A refund
    /// of a sale still held clears with the sale whatever this says.
    pub clears_at: Option<i64>,
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
    let mut bundle = Bundle::new(super::Backend::of(conn));
    append_into(&mut bundle, entries)?;
    bundle.execute(conn).await
}

/// `append`, as a statement of a bundle.
pub fn append_into<'q>(bundle: &mut Bundle<'q>, entries: &'q [NewEntry]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut params = bundle.statement(|marks| {
        format!(
            "INSERT INTO ledger_entries (seller_id, kind, amount_cents, order_id, reference, created_at, clears_at) \
             VALUES {} ON CONFLICT (reference) DO NOTHING",
            marks.rows(entries.len(), 7)
        )
    });
    let t = now();
    for e in entries {
        params.add(e.seller_id)?;
        params.add(e.kind.as_str())?;
        params.add(e.kind.signed(e.amount).0)?;
        params.add(e.order_id)?;
        params.add(e.reference.as_str())?;
        params.add(t)?;
        params.add(e.clears_at)?;
    }
    Ok(())
}

/// Gives each refund of a sale still held the sale's `clears_at`: the two cancel out in the
/// held money, and what can be paid out does not move. A refund of a sale that cleared counts
/// at once.
pub async fn hold_refunds(conn: &mut Conn, entries: &mut [NewEntry]) -> Result<(), StoreError> {
    let t = now();
    for e in entries.iter_mut().filter(|e| e.kind == EntryKind::Refund) {
        let Some(order) = e.order_id else { continue };
        let sale = format!("{}:{order}", EntryKind::Sale.as_str());
        let clears: Option<i64> = sqlx::query_scalar(
            "SELECT clears_at FROM ledger_entries WHERE reference = $1 AND clears_at > $2",
        )
        .bind(sale)
        .bind(t)
        .fetch_optional(&mut *conn)
        .await?
        .flatten();
        e.clears_at = clears;
    }
    Ok(())
}

/// The SQL test of an entry that counts now (`$n` is the current time).
pub(super) fn cleared(n: usize) -> String {
    format!("(clears_at IS NULL OR clears_at <= ${n})")
}

/// The available balance of several sellers (the sum of the entries that cleared, none
/// frozen), inside a transaction, in one query. It reads every cleared entry of each seller:
/// settlement asks only for the sellers whose note shows it (a sale cleared at once).
pub async fn available_in(
    conn: &mut Conn,
    sellers: &[i64],
) -> Result<HashMap<i64, UsdCents>, StoreError> {
    if sellers.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT seller_id, CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) AS available \
         FROM ledger_entries WHERE seller_id IN {} AND {} AND {} GROUP BY seller_id",
        placeholders(2, 1, sellers.len()),
        cleared(1),
        super::disputes::not_frozen("ledger_entries"),
    );
    let mut query = sqlx::query(&sql).bind(now());
    for s in sellers {
        query = query.bind(*s);
    }
    let mut out: HashMap<i64, UsdCents> = sellers.iter().map(|s| (*s, UsdCents(0))).collect();
    for r in query.fetch_all(&mut *conn).await? {
        out.insert(r.try_get("seller_id")?, UsdCents(r.try_get("available")?));
    }
    Ok(out)
}

/// A seller's balances, derived from the entries: what cleared, what is held for the refund
/// window, and what an open dispute freezes.
pub async fn balances(store: &Store, seller_id: i64) -> Result<Balances, StoreError> {
    let frozen = format!("NOT {}", super::disputes::not_frozen("ledger_entries"));
    let sql = format!(
        "SELECT kind, \
         CAST(COALESCE(SUM(CASE WHEN {frozen} THEN 0 WHEN clears_at IS NULL OR clears_at <= $1 THEN amount_cents ELSE 0 END), 0) AS BIGINT) AS cleared, \
         CAST(COALESCE(SUM(CASE WHEN {frozen} THEN 0 WHEN clears_at > $2 THEN amount_cents ELSE 0 END), 0) AS BIGINT) AS held, \
         CAST(COALESCE(SUM(CASE WHEN {frozen} THEN amount_cents ELSE 0 END), 0) AS BIGINT) AS frozen, \
         CAST(MAX(CASE WHEN {frozen} THEN NULL WHEN clears_at > $3 THEN clears_at END) AS BIGINT) AS held_until \
         FROM ledger_entries WHERE seller_id = $4 GROUP BY kind"
    );
    let t = now();
    let rows = sqlx::query(&sql)
        .bind(t)
        .bind(t)
        .bind(t)
        .bind(seller_id)
        .fetch_all(store.pool())
        .await?;
    let mut sums = Vec::new();
    let (mut held, mut frozen, mut held_until) = (0, 0, None::<i64>);
    for r in rows {
        let kind: String = r.try_get("kind")?;
        let kind = EntryKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("ledger kind {kind}")))?;
        sums.push((kind, UsdCents(r.try_get("cleared")?)));
        held += r.try_get::<i64, _>("held")?;
        frozen += r.try_get::<i64, _>("frozen")?;
        held_until = held_until.max(r.try_get::<Option<i64>, _>("held_until")?);
    }
    Ok(Balances {
        held: UsdCents(held),
        held_until: held_until.filter(|_| held != 0),
        frozen: UsdCents(frozen),
        ..Balances::from_entries(sums)
    })
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

/// What a product brought its seller since `since`: its sales less their refunds.
pub async fn product_income_since(
    store: &Store,
    seller_id: i64,
    product_id: i64,
    since: i64,
) -> Result<UsdCents, StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN l.kind = 'sale' THEN l.amount_cents \
         WHEN l.kind = 'refund' THEN -l.amount_cents ELSE 0 END), 0) AS BIGINT) AS total \
         FROM ledger_entries l JOIN orders o ON o.id = l.order_id \
         WHERE l.seller_id = $1 AND o.product_id = $2 AND l.created_at >= $3",
    )
    .bind(seller_id)
    .bind(product_id)
    .bind(since)
    .fetch_one(store.pool())
    .await?;
    Ok(UsdCents(row.try_get("total")?))
}
