//! Memberships of sold chats: each buyer's access to a product's chat, until when (a lifetime
//! access never ends), extended once per paid period (one order each), and ended by expiry, a
//! refund or the seller.

use super::{Conn, Store, StoreError, now};
use crate::domain::access::{self, Standing};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub product_id: i64,
    pub buyer_id: i64,
    pub chat_id: i64,
    /// `None`: lifetime.
    pub ends_at: Option<i64>,
    /// In the chat through souk's link: let in, and not seen leaving since.
    pub joined: bool,
    /// Souk let them in (through its link) at some point: souk may remove them.
    pub let_in: bool,
    /// Souk banned them to remove them and has not unbanned them yet (a removal cut short).
    pub banning: bool,
    /// The last reminder sent before `ends_at`, in days (3, then 1).
    pub reminded: Option<i64>,
    pub ended: bool,
    /// The Stars subscription Telegram renews by itself (its first charge).
    pub star_charge: Option<String>,
}

const COLUMNS: &str = "product_id, buyer_id, chat_id, ends_at, joined_at, left_at, banned_at, \
    reminded, ended_at, star_charge";

fn from_row(r: &AnyRow) -> Result<Membership, StoreError> {
    let let_in = r.try_get::<Option<i64>, _>("joined_at")?.is_some();
    let left = r.try_get::<Option<i64>, _>("left_at")?.is_some();
    Ok(Membership {
        product_id: r.try_get("product_id")?,
        buyer_id: r.try_get("buyer_id")?,
        chat_id: r.try_get("chat_id")?,
        ends_at: r.try_get("ends_at")?,
        joined: let_in && !left,
        let_in,
        banning: r.try_get::<Option<i64>, _>("banned_at")?.is_some(),
        reminded: r.try_get::<Option<i32>, _>("reminded")?.map(i64::from),
        ended: r.try_get::<Option<i64>, _>("ended_at")?.is_some(),
        star_charge: r.try_get("star_charge")?,
    })
}

async fn get_in(
    conn: &mut Conn,
    product_id: i64,
    buyer_id: i64,
) -> Result<Option<Membership>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM memberships WHERE product_id = $1 AND buyer_id = $2");
    let row = sqlx::query(&sql)
        .bind(product_id)
        .bind(buyer_id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn get(
    store: &Store,
    product_id: i64,
    buyer_id: i64,
) -> Result<Option<Membership>, StoreError> {
    let mut conn = store.pool().acquire().await?;
    get_in(&mut conn, product_id, buyer_id).await
}

/// Applies a paid order's period to its buyer's membership, in the settlement's transaction
/// (which moves the order to finished once): returns the period's end (`None`: lifetime).
pub async fn extend_in(
    conn: &mut Conn,
    order_id: i64,
    product_id: i64,
    buyer_id: i64,
    chat_id: i64,
) -> Result<Option<i64>, StoreError> {
    let days: Option<i32> = sqlx::query("SELECT access_days FROM products WHERE id = $1")
        .bind(product_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("access_days")?;
    let current = get_in(conn, product_id, buyer_id).await?;
    let standing = current.as_ref().map(|m| Standing {
        ends_at: m.ends_at,
        ended: m.ended,
    });
    let t = now();
    let (starts, ends) = access::period(standing, days.map(i64::from), t);
    sqlx::query(
        "INSERT INTO membership_periods (order_id, product_id, buyer_id, starts_at, ends_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(order_id)
    .bind(product_id)
    .bind(buyer_id)
    .bind(starts)
    .bind(ends)
    .execute(&mut *conn)
    .await?;
    // A lifetime access bought during a subscription ends it never.
    let ends = if current
        .as_ref()
        .is_some_and(|m| m.ends_at.is_none() && !m.ended)
    {
        None
    } else {
        ends
    };
    sqlx::query(
        "INSERT INTO memberships (product_id, buyer_id, chat_id, ends_at, created_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (product_id, buyer_id) DO UPDATE SET chat_id = $3, ends_at = $4, \
         reminded = NULL, ended_at = NULL",
    )
    .bind(product_id)
    .bind(buyer_id)
    .bind(chat_id)
    .bind(ends)
    .bind(t)
    .execute(&mut *conn)
    .await?;
    Ok(ends)
}

/// Sets `set` on one membership where `condition` holds, `$1` being the time now; returns
/// whether it was changed.
async fn stamp(
    conn: &mut Conn,
    (product_id, buyer_id): (i64, i64),
    set: &str,
    condition: &str,
) -> Result<bool, StoreError> {
    let sql =
        format!("UPDATE memberships SET {set} WHERE product_id = $2 AND buyer_id = $3{condition}");
    let done = sqlx::query(&sql)
        .bind(now())
        .bind(product_id)
        .bind(buyer_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// `stamp` on its own.
async fn stamp_now(
    store: &Store,
    member: (i64, i64),
    set: &str,
    condition: &str,
) -> Result<bool, StoreError> {
    let mut conn = store.pool().acquire().await?;
    stamp(&mut conn, member, set, condition).await
}

const RUNNING: &str = " AND ended_at IS NULL";

/// A refunded order ends its buyer's membership (the removal follows through the outbox).
pub async fn end_in(conn: &mut Conn, product_id: i64, buyer_id: i64) -> Result<(), StoreError> {
    stamp(conn, (product_id, buyer_id), "ended_at = $1", RUNNING).await?;
    Ok(())
}

/// The seller ends one member's access (no refund): true when it was running.
pub async fn end(store: &Store, product_id: i64, buyer_id: i64) -> Result<bool, StoreError> {
    stamp_now(store, (product_id, buyer_id), "ended_at = $1", RUNNING).await
}

/// The period an order paid for: `(starts, ends)`.
pub async fn period_of(
    store: &Store,
    order_id: i64,
) -> Result<Option<(i64, Option<i64>)>, StoreError> {
    let row = sqlx::query("SELECT starts_at, ends_at FROM membership_periods WHERE order_id = $1")
        .bind(order_id)
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| Ok((r.try_get("starts_at")?, r.try_get("ends_at")?)))
        .transpose()
}

/// The buyer joined the chat through souk's link.
pub async fn joined(store: &Store, product_id: i64, buyer_id: i64) -> Result<(), StoreError> {
    let set = "joined_at = $1, left_at = NULL, banned_at = NULL";
    stamp_now(store, (product_id, buyer_id), set, "").await?;
    Ok(())
}

/// The user was seen leaving the chat (they left, or were removed): souk no longer counts
/// them in, and a fresh link brings them back while their access runs.
pub async fn left(store: &Store, chat_id: i64, user_id: i64) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE memberships SET left_at = $1 WHERE chat_id = $2 AND buyer_id = $3 \
         AND joined_at IS NOT NULL AND left_at IS NULL",
    )
    .bind(now())
    .bind(chat_id)
    .bind(user_id)
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected())
}

/// Souk is about to ban the member to remove them: until `removed`, a removal cut short knows
/// the ban is its own to lift (a ban by the seller is never lifted).
pub async fn banning(store: &Store, product_id: i64, buyer_id: i64) -> Result<(), StoreError> {
    stamp_now(store, (product_id, buyer_id), "banned_at = $1", "").await?;
    Ok(())
}

/// Souk removed the member (banned and unbanned, or found gone).
pub async fn removed(store: &Store, product_id: i64, buyer_id: i64) -> Result<(), StoreError> {
    let set = "left_at = COALESCE(left_at, $1), banned_at = NULL";
    stamp_now(store, (product_id, buyer_id), set, "").await?;
    Ok(())
}

/// A Stars subscription pays this membership: Telegram renews it, and its end is the one
/// Telegram gives when later than souk's.
pub async fn by_stars(
    store: &Store,
    product_id: i64,
    buyer_id: i64,
    first_charge: &str,
    expires_at: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE memberships SET star_charge = COALESCE(star_charge, $1), \
         ends_at = CASE WHEN ends_at < $2 THEN $2 ELSE ends_at END \
         WHERE product_id = $3 AND buyer_id = $4 AND ended_at IS NULL",
    )
    .bind(first_charge)
    .bind(expires_at)
    .bind(product_id)
    .bind(buyer_id)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// Running subscriptions ending within `within` seconds of `at`, not renewed by Telegram.
pub async fn ending_within(
    store: &Store,
    at: i64,
    within: i64,
) -> Result<Vec<Membership>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM memberships WHERE ended_at IS NULL AND star_charge IS NULL \
         AND ends_at > $1 AND ends_at <= $2 ORDER BY ends_at LIMIT 500"
    );
    let rows = sqlx::query(&sql)
        .bind(at)
        .bind(at + within)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// Records the reminder sent for the membership's end, unless it was renewed meanwhile (in the
/// transaction that queues it).
pub async fn reminded_in(conn: &mut Conn, m: &Membership, days: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE memberships SET reminded = $1 WHERE product_id = $2 AND buyer_id = $3 \
         AND ends_at = $4 AND ended_at IS NULL",
    )
    .bind(i32::try_from(days).unwrap_or(i32::MAX))
    .bind(m.product_id)
    .bind(m.buyer_id)
    .bind(m.ends_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Memberships whose end passed before `before` and that no removal has ended yet.
pub async fn expired(store: &Store, before: i64) -> Result<Vec<Membership>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM memberships WHERE ended_at IS NULL AND ends_at <= $1 \
         ORDER BY ends_at LIMIT 500"
    );
    let rows = sqlx::query(&sql)
        .bind(before)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// Ends a membership on expiry when it still ends at `ends_at` (a renewal moved its end): true
/// when it is this expiry's to remove, also when a run cut short ended it already.
pub async fn close_expired(
    store: &Store,
    product_id: i64,
    buyer_id: i64,
    ends_at: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE memberships SET ended_at = COALESCE(ended_at, $1) \
         WHERE product_id = $2 AND buyer_id = $3 AND ends_at = $4",
    )
    .bind(now())
    .bind(product_id)
    .bind(buyer_id)
    .bind(ends_at)
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A buyer's running accesses.
pub async fn active_of_buyer(store: &Store, buyer_id: i64) -> Result<Vec<Membership>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM memberships WHERE buyer_id = $1 AND ended_at IS NULL \
         ORDER BY ends_at"
    );
    let rows = sqlx::query(&sql)
        .bind(buyer_id)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// A member as their seller sees them: who, and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub buyer_id: i64,
    /// `@username`, else their first name.
    pub name: String,
    pub ends_at: Option<i64>,
    pub joined: bool,
}

/// A product's members whose access runs (the first `limit`, soonest end first) and how many
/// there are.
pub async fn members_of(
    store: &Store,
    product_id: i64,
    limit: i64,
) -> Result<(Vec<Member>, i64), StoreError> {
    let count = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM memberships WHERE product_id = $1 AND ended_at IS NULL",
    )
    .bind(product_id)
    .fetch_one(store.pool())
    .await?
    .try_get("n")?;
    let rows = sqlx::query(
        "SELECT m.buyer_id, m.ends_at, m.joined_at, m.left_at, u.username, u.first_name \
         FROM memberships m LEFT JOIN users u ON u.id = m.buyer_id \
         WHERE m.product_id = $1 AND m.ended_at IS NULL \
         ORDER BY CASE WHEN m.ends_at IS NULL THEN 1 ELSE 0 END, m.ends_at, m.buyer_id LIMIT $2",
    )
    .bind(product_id)
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    let members = rows
        .iter()
        .map(|r| {
            let buyer_id: i64 = r.try_get("buyer_id")?;
            let username: Option<String> = r.try_get("username")?;
            let first: Option<String> = r.try_get("first_name")?;
            let name = match (username, first) {
                (Some(u), _) => format!("@{u}"),
                (None, Some(f)) if !f.is_empty() => f,
                _ => buyer_id.to_string(),
            };
            Ok(Member {
                buyer_id,
                name,
                ends_at: r.try_get("ends_at")?,
                joined: r.try_get::<Option<i64>, _>("joined_at")?.is_some()
                    && r.try_get::<Option<i64>, _>("left_at")?.is_none(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((members, count))
}
