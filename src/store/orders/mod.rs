//! Orders: one buyer paying for one product, with the rail's payment attached to it.

use super::{Conn, Store, StoreError, now};
use crate::domain::price::Quote;
use crate::domain::{OrderStatus, UsdCents};
use sqlx::Row;
use sqlx::any::AnyRow;

pub mod renewals;
mod settle;
pub use settle::{
    Move, Moved, SettlementRow, load_for_settlement, transition_many, transition_many_into,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: i64,
    pub buyer_id: i64,
    pub product_id: i64,
    pub seller_id: i64,
    pub price: UsdCents,
    pub commission: UsdCents,
    pub total: UsdCents,
    pub pay_currency: String,
    pub status: OrderStatus,
    pub payment_id: Option<String>,
    pub pay_address: Option<String>,
    /// Exact decimal text as NOWPayments sent it.
    pub pay_amount: Option<String>,
    pub actually_paid: Option<String>,
    /// When the rail stops taking the payment (RFC 3339), when it said.
    pub expires_at: Option<String>,
    /// Paid through the sandbox simulator: delivered, never credited to the seller.
    pub sandbox: bool,
    /// The buyer's payment message in their chat, edited once the order is closed.
    pub payment_message_id: Option<i64>,
}

impl Order {
    /// The rail's expiry date in unix seconds, when it gave a readable one.
    pub fn expiry(&self) -> Option<i64> {
        let at = chrono::DateTime::parse_from_rfc3339(self.expires_at.as_deref()?).ok()?;
        Some(at.timestamp())
    }

    /// The payment a report about this order names: its rail's, or the placeholder of an order
    /// never billed (which a payment attached later replaces).
    pub fn payment_id_or_unbilled(&self) -> String {
        self.payment_id
            .clone()
            .unwrap_or_else(|| unbilled_payment_id(self.id))
    }

    /// Whether a payment other than `payment_id` paid this order already.
    pub fn paid_by_another(&self, payment_id: &str) -> bool {
        self.payment_id
            .as_deref()
            .is_some_and(|p| p != payment_id && p != unbilled_payment_id(self.id))
    }

    /// Whether the rail's expiry date is behind `now` (false without one).
    pub fn is_past_expiry(&self, now: i64) -> bool {
        self.expiry().is_some_and(|at| now > at)
    }
}

/// The payment NOWPayments created for an order.
#[derive(Debug, Clone)]
pub struct AttachedPayment<'a> {
    pub payment_id: &'a str,
    pub pay_address: &'a str,
    pub pay_amount: &'a str,
    pub expires_at: Option<&'a str>,
}

const COLUMNS: &str = "id, buyer_id, product_id, seller_id, price_cents, commission_cents, total_cents, \
    pay_currency, status, payment_id, pay_address, pay_amount, actually_paid, expires_at, sandbox, payment_message_id";

fn from_row(r: &AnyRow) -> Result<Order, StoreError> {
    let status: String = r.try_get("status")?;
    Ok(Order {
        id: r.try_get("id")?,
        buyer_id: r.try_get("buyer_id")?,
        product_id: r.try_get("product_id")?,
        seller_id: r.try_get("seller_id")?,
        price: UsdCents(r.try_get("price_cents")?),
        commission: UsdCents(r.try_get("commission_cents")?),
        total: UsdCents(r.try_get("total_cents")?),
        pay_currency: r.try_get("pay_currency")?,
        status: status
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
        payment_id: r.try_get("payment_id")?,
        pay_address: r.try_get("pay_address")?,
        pay_amount: r.try_get("pay_amount")?,
        actually_paid: r.try_get("actually_paid")?,
        expires_at: r.try_get("expires_at")?,
        sandbox: r.try_get::<i64, _>("sandbox")? == 1,
        payment_message_id: r.try_get("payment_message_id")?,
    })
}

/// Records a new order before NOWPayments is called, so the payment always has an order to land on.
pub async fn insert_created(
    store: &Store,
    buyer_id: i64,
    product_id: i64,
    seller_id: i64,
    quote: Quote,
    pay_currency: &str,
) -> Result<i64, StoreError> {
    let mut tx = store.write().await?;
    let id = insert_created_in(
        &mut tx,
        buyer_id,
        product_id,
        seller_id,
        quote,
        pay_currency,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// `insert_created` inside a transaction (checkout reserves stock in the same one).
pub async fn insert_created_in(
    conn: &mut Conn,
    buyer_id: i64,
    product_id: i64,
    seller_id: i64,
    quote: Quote,
    pay_currency: &str,
    coupon_id: Option<i64>,
) -> Result<i64, StoreError> {
    let t = now();
    let row = sqlx::query(
        "INSERT INTO orders (buyer_id, product_id, seller_id, price_cents, commission_cents, total_cents, \
         pay_currency, status, created_at, updated_at, coupon_id, discount_cents) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'created', $8, $8, $9, $10) RETURNING id",
    )
    .bind(buyer_id)
    .bind(product_id)
    .bind(seller_id)
    .bind(quote.price.0)
    .bind(quote.commission.0)
    .bind(quote.total.0)
    .bind(pay_currency)
    .bind(t)
    .bind(coupon_id)
    .bind(quote.discount.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Remembers the buyer's payment message, so that closing the order can edit it.
/// Only an open order takes it: `None` then; when the order was settled meanwhile, its status
/// (settlement did not know the message, so the caller closes it).
pub async fn set_payment_message(
    store: &Store,
    order_id: i64,
    message_id: i64,
) -> Result<Option<OrderStatus>, StoreError> {
    let mut tx = store.write().await?;
    let done = sqlx::query(&format!(
        "UPDATE orders SET payment_message_id = $1 WHERE id = $2 AND {}",
        super::status_in("status", OrderStatus::is_open)
    ))
    .bind(message_id)
    .bind(order_id)
    .execute(&mut *tx)
    .await?;
    let settled = if done.rows_affected() == 1 {
        None
    } else {
        get_in(&mut tx, order_id).await?.map(|o| o.status)
    };
    tx.commit().await?;
    Ok(settled)
}

/// The product's orders paid after it sold out, oldest first.
pub async fn paid_sold_out(store: &Store, product_id: i64) -> Result<Vec<Order>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM orders WHERE product_id = $1 AND status = 'paid_sold_out' ORDER BY id"
    ))
    .bind(product_id)
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Marks a new order as paid through the sandbox simulator (nothing it settles is credited).
pub async fn mark_sandbox_in(conn: &mut Conn, order_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE orders SET sandbox = 1 WHERE id = $1")
        .bind(order_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The payment id an order never billed gets when it lapses (a Stars invoice left unpaid).
fn unbilled_payment_id(order_id: i64) -> String {
    format!("{UNBILLED_PREFIX}{order_id}")
}

const UNBILLED_PREFIX: &str = "unbilled-order-";

/// Stores the created payment and moves the order from created to waiting. Returns false when
/// the order carries another payment already. An order that lapsed unbilled takes the payment
/// (a Stars invoice paid just after it lapsed): settlement then honours the late money.
pub async fn attach_payment(
    store: &Store,
    order_id: i64,
    p: &AttachedPayment<'_>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE orders SET payment_id = $1, pay_address = $2, pay_amount = $3, expires_at = $4, \
         status = CASE WHEN status = 'created' THEN 'waiting' ELSE status END, updated_at = $5 \
         WHERE id = $6 AND (payment_id IS NULL OR payment_id = $1 OR payment_id = $7)",
    )
    .bind(p.payment_id)
    .bind(p.pay_address)
    .bind(p.pay_amount)
    .bind(p.expires_at)
    .bind(now())
    .bind(order_id)
    .bind(unbilled_payment_id(order_id))
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(store: &Store, id: i64) -> Result<Option<Order>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM orders WHERE id = $1"))
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Reads an order inside a transaction (the write lock is already held on SQLite).
pub async fn get_in(conn: &mut Conn, id: i64) -> Result<Option<Order>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM orders WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Cancels an order the buyer no longer wants, if nobody has paid yet.
/// Its reserved item, if any, goes back to stock in the same transaction.
pub async fn cancel(store: &Store, order_id: i64, buyer_id: i64) -> Result<bool, StoreError> {
    let mut tx = store.write().await?;
    let cancelled = cancel_in(&mut tx, order_id, buyer_id).await?;
    tx.commit().await?;
    Ok(cancelled)
}

/// Cancels one unpaid order of `buyer_id` and releases its item, inside the caller's transaction.
async fn cancel_in(conn: &mut Conn, order_id: i64, buyer_id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(&format!(
        "UPDATE orders SET status = 'cancelled', updated_at = $1 \
         WHERE id = $2 AND buyer_id = $3 AND {}",
        super::status_in("status", OrderStatus::is_open)
    ))
    .bind(now())
    .bind(order_id)
    .bind(buyer_id)
    .execute(&mut *conn)
    .await?;
    let cancelled = done.rows_affected() == 1;
    if cancelled {
        super::stock::release(conn, order_id).await?;
        super::coupons::release_in(conn, order_id).await?;
    }
    Ok(cancelled)
}

/// Cancels the buyer's unpaid orders of a product (another way of paying was chosen), releasing
/// their reserved items, inside the caller's transaction. Money that still reaches one of them
/// is honoured, as for any cancelled order. Returns their ids.
pub async fn cancel_unpaid_in(
    conn: &mut Conn,
    buyer_id: i64,
    product_id: i64,
) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT id FROM orders WHERE buyer_id = $1 AND product_id = $2 AND {}",
        super::status_in("status", OrderStatus::is_open)
    ))
    .bind(buyer_id)
    .bind(product_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut cancelled = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.try_get("id")?;
        if cancel_in(conn, id, buyer_id).await? {
            cancelled.push(id);
        }
    }
    Ok(cancelled)
}

/// One of a buyer's orders as lists show it (/purchases, /paysupport).
#[derive(Debug, Clone)]
pub struct Purchase {
    pub order_id: i64,
    pub title: String,
    pub total: UsdCents,
    /// The product is a file with a stored copy (a download link can be made).
    pub has_file_copy: bool,
}

/// Which of a buyer's orders a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuyerOrders {
    /// Finished orders: what the buyer owns.
    Purchases,
    /// Every order, whatever its status (/paysupport).
    All,
}

/// A buyer's orders, newest first.
pub async fn of_buyer(
    store: &Store,
    buyer_id: i64,
    which: BuyerOrders,
    limit: i64,
    offset: i64,
) -> Result<Vec<Purchase>, StoreError> {
    let only = match which {
        BuyerOrders::Purchases => "AND o.status = 'finished'",
        BuyerOrders::All => "",
    };
    let rows = sqlx::query(&format!(
        "SELECT o.id, p.title, o.total_cents, CASE WHEN p.kind = 'file' AND p.storage_key IS NOT NULL THEN 1 ELSE 0 END AS copy \
         FROM orders o JOIN products p ON p.id = o.product_id \
         WHERE o.buyer_id = $1 {only} ORDER BY o.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(buyer_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Purchase {
                order_id: r.try_get("id")?,
                title: r.try_get("title")?,
                total: UsdCents(r.try_get("total_cents")?),
                has_file_copy: r.try_get::<i64, _>("copy")? == 1,
            })
        })
        .collect()
}

/// An order souk has not heard about for a while, with when it last changed.
#[derive(Debug, Clone)]
pub struct Quiet {
    pub order: Order,
    pub created_at: i64,
    /// When reconciliation last checked it, if ever.
    pub checked_at: Option<i64>,
}

/// Orders that are not final, have not changed since `quiet_since` and were not checked after
/// `checked_since` (unix seconds), least recently checked first: candidates for a status check (a
/// lost notification) or for expiry. Includes orders not billed yet (a Stars invoice not paid),
/// which can only expire.
pub async fn quiet(
    store: &Store,
    quiet_since: i64,
    checked_since: i64,
    limit: i64,
) -> Result<Vec<Quiet>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS}, created_at, checked_at FROM orders \
         WHERE (payment_id IS NOT NULL OR status = 'created') AND {} \
         AND updated_at < $1 AND (checked_at IS NULL OR checked_at <= $2) \
         ORDER BY COALESCE(checked_at, 0), updated_at LIMIT $3",
        super::status_in("status", OrderStatus::is_unsettled)
    ))
    .bind(quiet_since)
    .bind(checked_since)
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Quiet {
                order: from_row(r)?,
                created_at: r.try_get("created_at")?,
                checked_at: r.try_get("checked_at")?,
            })
        })
        .collect()
}

/// Takes the right to ask the order's rail about it now: false when it was asked less than
/// `cooldown` seconds ago (by the "Check status" button or reconciliation, on any replica).
pub async fn claim_check(
    store: &Store,
    order_id: i64,
    now: i64,
    cooldown: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE orders SET checked_at = $1 WHERE id = $2 AND (checked_at IS NULL OR checked_at <= $3)",
    )
    .bind(now)
    .bind(order_id)
    .bind(now - cooldown)
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records that reconciliation asked the order's rail about it at `at`.
pub async fn mark_checked(store: &Store, order_id: i64, at: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE orders SET checked_at = $1 WHERE id = $2")
        .bind(at)
        .bind(order_id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// How many orders are in each status (for metrics).
pub async fn count_by_status(store: &Store) -> Result<Vec<(String, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT status, CAST(COUNT(*) AS BIGINT) AS n FROM orders GROUP BY status ORDER BY status",
    )
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
        .collect()
}

/// The buyer's still-payable order for this product and pay currency, if any: a second press
/// shows it again (or, for an order not billed yet, bills it) instead of writing another.
pub async fn find_unpaid(
    store: &Store,
    buyer_id: i64,
    product_id: i64,
    coin: &str,
) -> Result<Option<Order>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM orders WHERE buyer_id = $1 AND product_id = $2 AND pay_currency = $3 \
         AND {} ORDER BY id DESC LIMIT 1",
        super::status_in("status", OrderStatus::is_open)
    ))
    .bind(buyer_id)
    .bind(product_id)
    .bind(coin)
    .fetch_optional(store.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}
