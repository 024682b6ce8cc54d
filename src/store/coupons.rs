//! Coupons: the codes, the code each buyer picked for a product, and the uses orders hold. A
//! use is taken in the order's own transaction (never past the limit, once per buyer) and given
//! back when the order is cancelled, fails or expires.

use super::{Conn, Store, StoreError, now};
use crate::domain::UsdCents;
use crate::domain::coupon::{Discount, Funding, Unusable};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coupon {
    pub id: i64,
    pub code: String,
    /// The seller whose code it is; `None` for the platform's.
    pub seller_id: Option<i64>,
    /// The one product it is for; `None`: all the seller's (or, for the platform's, all).
    pub product_id: Option<i64>,
    pub discount: Discount,
    pub expires_at: Option<i64>,
    pub max_uses: Option<i64>,
    pub uses: i64,
}

impl Coupon {
    pub fn funding(&self) -> Funding {
        match self.seller_id {
            Some(_) => Funding::Seller,
            None => Funding::Platform,
        }
    }

    /// Whether it may be used now on a product of `seller_id` (`product_id`), limits aside.
    pub fn check(&self, product_id: i64, seller_id: i64, at: i64) -> Result<(), Unusable> {
        if self.seller_id.is_some_and(|s| s != seller_id)
            || self.product_id.is_some_and(|p| p != product_id)
        {
            return Err(Unusable::NotForThis);
        }
        if self.expires_at.is_some_and(|t| t <= at) {
            return Err(Unusable::Expired);
        }
        if self.max_uses.is_some_and(|max| self.uses >= max) {
            return Err(Unusable::UsedUp);
        }
        Ok(())
    }
}

const COLUMNS: &str =
    "id, code, seller_id, product_id, percent_bp, amount_cents, expires_at, max_uses, uses";

fn from_row(r: &AnyRow) -> Result<Coupon, StoreError> {
    let percent: Option<i64> = r.try_get("percent_bp")?;
    let amount: Option<i64> = r.try_get("amount_cents")?;
    let discount = match (percent, amount) {
        (Some(bp), _) => Discount::Percent(bp),
        (None, Some(cents)) => Discount::Fixed(UsdCents(cents)),
        (None, None) => return Err(StoreError::Corrupt("coupon without a discount".into())),
    };
    Ok(Coupon {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        seller_id: r.try_get("seller_id")?,
        product_id: r.try_get("product_id")?,
        discount,
        expires_at: r.try_get("expires_at")?,
        max_uses: r.try_get("max_uses")?,
        uses: r.try_get("uses")?,
    })
}

/// A code to create.
#[derive(Debug, Clone)]
pub struct NewCoupon {
    pub code: String,
    pub seller_id: Option<i64>,
    pub product_id: Option<i64>,
    pub discount: Discount,
    pub expires_at: Option<i64>,
    pub max_uses: Option<i64>,
    pub created_by: i64,
}

/// Creates a code; `None` when the code exists already.
pub async fn create(store: &Store, c: &NewCoupon) -> Result<Option<i64>, StoreError> {
    let (percent, amount) = match c.discount {
        Discount::Percent(bp) => (Some(bp), None),
        Discount::Fixed(cents) => (None, Some(cents.0)),
    };
    let row = sqlx::query(
        "INSERT INTO coupons (code, seller_id, product_id, percent_bp, amount_cents, expires_at, max_uses, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (code) DO NOTHING RETURNING id",
    )
    .bind(&c.code)
    .bind(c.seller_id)
    .bind(c.product_id)
    .bind(percent)
    .bind(amount)
    .bind(c.expires_at)
    .bind(c.max_uses)
    .bind(c.created_by)
    .bind(now())
    .fetch_optional(store.pool())
    .await?;
    row.map(|r| r.try_get("id")).transpose().map_err(Into::into)
}

pub async fn by_code(store: &Store, code: &str) -> Result<Option<Coupon>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM coupons WHERE code = $1");
    let row = sqlx::query(&sql)
        .bind(code)
        .fetch_optional(store.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The codes a seller made (`Some`), or the platform's (`None`), newest first.
pub async fn of_owner(store: &Store, seller_id: Option<i64>) -> Result<Vec<Coupon>, StoreError> {
    let rows = match seller_id {
        Some(id) => {
            let sql =
                format!("SELECT {COLUMNS} FROM coupons WHERE seller_id = $1 ORDER BY id DESC");
            sqlx::query(&sql).bind(id).fetch_all(store.pool()).await?
        }
        None => {
            let sql =
                format!("SELECT {COLUMNS} FROM coupons WHERE seller_id IS NULL ORDER BY id DESC");
            sqlx::query(&sql).fetch_all(store.pool()).await?
        }
    };
    rows.iter().map(from_row).collect()
}

/// Whether any code could apply to the product now (its seller's, or the platform's, not
/// expired nor used up): "Have a code?" is offered only then.
pub async fn any_for(store: &Store, product_id: i64, seller_id: i64) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM coupons WHERE (seller_id = $1 OR seller_id IS NULL) \
         AND (product_id IS NULL OR product_id = $2) AND (expires_at IS NULL OR expires_at > $3) \
         AND (max_uses IS NULL OR uses < max_uses)",
    )
    .bind(seller_id)
    .bind(product_id)
    .bind(now())
    .fetch_one(store.pool())
    .await?;
    Ok(n > 0)
}

/// Whether the buyer used this code already (an order of theirs holds a use).
pub async fn used_by(store: &Store, coupon_id: i64, buyer_id: i64) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM coupon_uses WHERE coupon_id = $1 AND buyer_id = $2",
    )
    .bind(coupon_id)
    .bind(buyer_id)
    .fetch_one(store.pool())
    .await?;
    Ok(n > 0)
}

/// The buyer's code for their next checkout of the product.
pub async fn pick(
    store: &Store,
    buyer_id: i64,
    product_id: i64,
    coupon_id: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO coupon_picks (buyer_id, product_id, coupon_id, picked_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (buyer_id, product_id) DO UPDATE SET coupon_id = $5, picked_at = $6",
    )
    .bind(buyer_id)
    .bind(product_id)
    .bind(coupon_id)
    .bind(now())
    .bind(coupon_id)
    .bind(now())
    .execute(store.pool())
    .await?;
    Ok(())
}

/// The code the buyer picked for the product, if any.
pub async fn picked(
    store: &Store,
    buyer_id: i64,
    product_id: i64,
) -> Result<Option<Coupon>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM coupons WHERE id = \
         (SELECT coupon_id FROM coupon_picks WHERE buyer_id = $1 AND product_id = $2)"
    );
    let row = sqlx::query(&sql)
        .bind(buyer_id)
        .bind(product_id)
        .fetch_optional(store.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Forgets the buyer's code for the product.
pub async fn unpick(store: &Store, buyer_id: i64, product_id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM coupon_picks WHERE buyer_id = $1 AND product_id = $2")
        .bind(buyer_id)
        .bind(product_id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// The code an order was made with, if any.
pub async fn of_order(store: &Store, order_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT coupon_id FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_optional(store.pool())
            .await?
            .flatten(),
    )
}

/// Takes one use of the code for the order, inside the order's transaction: refused when the
/// buyer used it already, or when it expired or is used up (checked on the row itself, so
/// concurrent checkouts never go past the limit).
pub async fn take_use_in(
    conn: &mut Conn,
    coupon_id: i64,
    buyer_id: i64,
    order_id: i64,
) -> Result<Result<(), Unusable>, StoreError> {
    let t = now();
    let mine = sqlx::query(
        "INSERT INTO coupon_uses (coupon_id, buyer_id, order_id, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (coupon_id, buyer_id) DO NOTHING",
    )
    .bind(coupon_id)
    .bind(buyer_id)
    .bind(order_id)
    .bind(t)
    .execute(&mut *conn)
    .await?;
    if mine.rows_affected() == 0 {
        return Ok(Err(Unusable::AlreadyUsed));
    }
    let taken = sqlx::query(
        "UPDATE coupons SET uses = uses + 1 WHERE id = $1 \
         AND (max_uses IS NULL OR uses < max_uses) AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(coupon_id)
    .bind(t)
    .execute(&mut *conn)
    .await?;
    if taken.rows_affected() == 0 {
        return Ok(Err(Unusable::UsedUp));
    }
    Ok(Ok(()))
}

/// Gives back the use an order held (it was cancelled, failed or expired).
pub async fn release_in(conn: &mut Conn, order_id: i64) -> Result<(), StoreError> {
    let rows = sqlx::query("DELETE FROM coupon_uses WHERE order_id = $1 RETURNING coupon_id")
        .bind(order_id)
        .fetch_all(&mut *conn)
        .await?;
    for r in rows {
        sqlx::query("UPDATE coupons SET uses = uses - 1 WHERE id = $1 AND uses > 0")
            .bind(r.try_get::<i64, _>("coupon_id")?)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
