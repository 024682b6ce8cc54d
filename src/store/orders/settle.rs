//! What settlement reads and writes of orders: every order a batch concerns with its product in
//! one query, and the batch's moves in one compare-and-set statement.

use super::{COLUMNS, Order, from_row};
use crate::domain::OrderStatus;
use crate::domain::product::ProductKind;
use crate::store::bundle::Bundle;
use crate::store::ipn_events::IpnOutcome;
use crate::store::marks::Marks;
use crate::store::{Backend, Conn, StoreError, now};
use sqlx::Row;

/// An order with what settling it needs from its product.
#[derive(Debug, Clone)]
pub struct SettlementRow {
    pub order: Order,
    pub title: String,
    pub kind: ProductKind,
    pub file_id: String,
    pub text: Option<String>,
    /// The unique item reserved by (or sold to) this order.
    pub item: Option<String>,
    /// The chat an access product opens.
    pub access_chat: Option<i64>,
    /// Who referred the buyer, and how long after their arrival the order was made (seconds).
    pub referral: Option<(i64, i64)>,
    /// Which of the digests asked about name a notification kept in the inbox that applied to
    /// this order's payment.
    pub applied: Vec<String>,
    /// Whether the seller has set a payout wallet (a sale's note reminds them when not).
    pub seller_has_wallet: bool,
}

/// Loads, in one query, the orders carrying these payment ids and the orders with these ids
/// (one whose create call timed out has no payment attached; one with another payment is a
/// mismatch the caller reports), each with which of `digests` name a notification that applied
/// to its payment. `opening` goes in front of the query (a folded transaction's `BEGIN`, see
/// `WriteTx::opening`).
pub async fn load_for_settlement(
    conn: &mut Conn,
    opening: &str,
    payment_ids: &[&str],
    order_ids: &[i64],
    digests: &[&str],
) -> Result<Vec<SettlementRow>, StoreError> {
    if payment_ids.is_empty() && order_ids.is_empty() {
        if !opening.is_empty() {
            sqlx::query(opening).execute(&mut *conn).await?;
        }
        return Ok(Vec::new());
    }
    let columns: Vec<String> = COLUMNS
        .split(',')
        .map(|c| format!("o.{}", c.trim()))
        .collect();
    let backend = Backend::of(conn);
    // Marks in text order: the digests (in the select list) before the ids (in the filter).
    let mut marks = Marks::new(backend, 1);
    let applied = if digests.is_empty() {
        "NULL".to_string()
    } else {
        let list = marks.list(digests.len());
        let concat = match backend {
            Backend::Sqlite => "group_concat(e.digest, ',')",
            Backend::Postgres => "string_agg(e.digest, ',')",
        };
        format!(
            "(SELECT {concat} FROM ipn_events e WHERE e.payment_id = o.payment_id \
             AND e.outcome = '{}' AND e.digest IN {list})",
            IpnOutcome::Applied.as_str()
        )
    };
    let mut conditions = Vec::new();
    if !payment_ids.is_empty() {
        conditions.push(format!("o.payment_id IN {}", marks.list(payment_ids.len())));
    }
    if !order_ids.is_empty() {
        conditions.push(format!("o.id IN {}", marks.list(order_ids.len())));
    }
    let sql = format!(
        "{opening}SELECT {}, {applied} AS applied_digests, p.title AS product_title, p.kind AS product_kind, p.file_id AS product_file_id, \
         p.text_content AS product_text, p.access_chat_id AS product_access_chat, (SELECT s.content FROM stock_items s WHERE s.order_id = o.id \
         AND s.status IN ('reserved', 'sold')) AS item, u.referred_by AS buyer_referrer, \
         o.created_at - u.referred_at AS referred_before, CAST(CASE WHEN EXISTS (SELECT 1 FROM wallets w \
         WHERE w.seller_id = o.seller_id) THEN 1 ELSE 0 END AS BIGINT) AS seller_has_wallet FROM orders o \
         JOIN products p ON p.id = o.product_id LEFT JOIN users u ON u.id = o.buyer_id WHERE {}",
        columns.join(", "),
        conditions.join(" OR ")
    );
    let mut query = sqlx::query(&sql);
    for digest in digests {
        query = query.bind(*digest);
    }
    for id in payment_ids {
        query = query.bind(*id);
    }
    for id in order_ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("product_kind")?;
            Ok(SettlementRow {
                order: from_row(r)?,
                title: r.try_get("product_title")?,
                kind: ProductKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("product kind {kind}")))?,
                file_id: r.try_get("product_file_id")?,
                text: r.try_get("product_text")?,
                item: r.try_get("item")?,
                access_chat: r.try_get("product_access_chat")?,
                referral: match (
                    r.try_get::<Option<i64>, _>("buyer_referrer")?,
                    r.try_get::<Option<i64>, _>("referred_before")?,
                ) {
                    (Some(referrer), Some(after)) => Some((referrer, after)),
                    _ => None,
                },
                applied: r
                    .try_get::<Option<String>, _>("applied_digests")?
                    .map(|list| list.split(',').map(str::to_string).collect())
                    .unwrap_or_default(),
                seller_has_wallet: r.try_get::<i64, _>("seller_has_wallet")? == 1,
            })
        })
        .collect()
}

/// One order's move, for `transition_many`.
#[derive(Debug, Clone, Copy)]
pub struct Move<'a> {
    pub order_id: i64,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub payment_id: &'a str,
    pub actually_paid: Option<&'a str>,
}

/// An order a batch moved, with the id of its payment message as it is after the move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    pub order_id: i64,
    pub payment_message_id: Option<i64>,
}

/// Moves several orders in one statement (settlement's batches), each only if it is still in
/// its `from` (compare-and-set), recording what was paid and adopting the payment id when the
/// order had none. Returns the orders that moved; fewer than `moves` means another process
/// changed one of them.
pub async fn transition_many(
    conn: &mut Conn,
    moves: &[Move<'_>],
) -> Result<Vec<Moved>, StoreError> {
    if moves.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{} RETURNING orders.id, orders.payment_message_id",
        moves_sql(&mut Marks::new(Backend::of(conn), 1), moves.len())
    );
    let mut query = sqlx::query(&sql).bind(now());
    for m in moves {
        query = query
            .bind(m.order_id)
            .bind(m.to.as_str())
            .bind(m.actually_paid)
            .bind(m.payment_id)
            .bind(m.from.as_str());
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(Moved {
                order_id: r.try_get(0)?,
                payment_message_id: r.try_get(1)?,
            })
        })
        .collect()
}

/// `transition_many` as one statement of a bundle, for a SQLite transaction begun with
/// `BEGIN IMMEDIATE` before its orders were read: no other writer can have changed them since,
/// so every move applies (the compare-and-set stays, as a guard) and nothing needs returning.
pub fn transition_many_into<'q>(
    bundle: &mut Bundle<'q>,
    moves: &'q [Move<'q>],
) -> Result<(), StoreError> {
    if moves.is_empty() {
        return Ok(());
    }
    let mut params = bundle.statement(|marks| moves_sql(marks, moves.len()));
    params.add(now())?;
    for m in moves {
        params.add(m.order_id)?;
        params.add(m.to.as_str())?;
        params.add(m.actually_paid)?;
        params.add(m.payment_id)?;
        params.add(m.from.as_str())?;
    }
    Ok(())
}

/// The compare-and-set of several orders: the time first, then five parameters a move.
fn moves_sql(marks: &mut Marks, moves: usize) -> String {
    let time = marks.one();
    format!(
        "UPDATE orders SET status = v.column2, actually_paid = COALESCE(v.column3, orders.actually_paid), \
         payment_id = COALESCE(orders.payment_id, v.column4), updated_at = {time} \
         FROM (VALUES {}) AS v WHERE orders.id = v.column1 AND orders.status = v.column5",
        marks.rows(moves, 5)
    )
}
