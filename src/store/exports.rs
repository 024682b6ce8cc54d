//! What `/export` writes: orders, ledger entries and payouts of a period, everyone's (admins) or
//! one seller's, with exact amounts and times.

use super::{Store, StoreError};
use sqlx::Row;

/// One line of an export.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    /// `order`, `ledger` or `payout`.
    pub record: &'static str,
    pub id: i64,
    pub at: i64,
    pub order_id: Option<i64>,
    pub product_id: Option<i64>,
    pub seller_id: i64,
    pub buyer_id: Option<i64>,
    /// An order's or a payout's status, a ledger entry's kind.
    pub status: String,
    pub currency: String,
    /// Cents: an order's price, commission, total and discount; an entry's or payout's amount
    /// (signed for entries).
    pub price: Option<i64>,
    pub commission: Option<i64>,
    pub total: Option<i64>,
    pub discount: Option<i64>,
    pub amount: Option<i64>,
    /// When an order's sale was credited (its `sale` entry), if it was.
    pub sold_at: Option<i64>,
    pub reference: String,
}

/// The period's lines: orders made or sold in `[from, to)`, entries and payouts made in it;
/// one seller's when `seller` is given (without their buyers' ids).
pub async fn lines(
    store: &Store,
    from: i64,
    to: i64,
    seller: Option<i64>,
) -> Result<Vec<Line>, StoreError> {
    // `$3`: the seller, or 0 with a test that always holds.
    let seller_id = seller.unwrap_or(0);
    let mine = |column: &str| match seller {
        Some(_) => format!("{column} = $3"),
        None => "$3 = $3".to_string(),
    };
    let mut lines = Vec::new();
    let orders = sqlx::query(&format!(
        "SELECT o.id, o.created_at, o.product_id, o.seller_id, o.buyer_id, o.status, o.pay_currency, \
         o.price_cents, o.commission_cents, o.total_cents, o.discount_cents, \
         (SELECT l.created_at FROM ledger_entries l WHERE l.order_id = o.id AND l.kind = 'sale') AS sold_at \
         FROM orders o WHERE {} AND ((o.created_at >= $1 AND o.created_at < $2) OR EXISTS \
         (SELECT 1 FROM ledger_entries s WHERE s.order_id = o.id AND s.kind = 'sale' \
          AND s.created_at >= $4 AND s.created_at < $5)) ORDER BY o.id",
        mine("o.seller_id")
    ))
    .bind(from)
    .bind(to)
    .bind(seller_id)
    .bind(from)
    .bind(to)
    .fetch_all(store.pool())
    .await?;
    for r in &orders {
        lines.push(Line {
            record: "order",
            id: r.try_get("id")?,
            at: r.try_get("created_at")?,
            order_id: Some(r.try_get("id")?),
            product_id: Some(r.try_get("product_id")?),
            seller_id: r.try_get("seller_id")?,
            buyer_id: seller
                .is_none()
                .then(|| r.try_get("buyer_id"))
                .transpose()?,
            status: r.try_get("status")?,
            currency: r.try_get("pay_currency")?,
            price: Some(r.try_get("price_cents")?),
            commission: Some(r.try_get("commission_cents")?),
            total: Some(r.try_get("total_cents")?),
            discount: Some(r.try_get("discount_cents")?),
            amount: None,
            sold_at: r.try_get("sold_at")?,
            reference: String::new(),
        });
    }
    let entries = sqlx::query(&format!(
        "SELECT id, created_at, order_id, seller_id, kind, amount_cents, reference FROM ledger_entries \
         WHERE {} AND created_at >= $1 AND created_at < $2 ORDER BY id",
        mine("seller_id")
    ))
    .bind(from)
    .bind(to)
    .bind(seller_id)
    .fetch_all(store.pool())
    .await?;
    for r in &entries {
        lines.push(Line {
            record: "ledger",
            id: r.try_get("id")?,
            at: r.try_get("created_at")?,
            order_id: r.try_get("order_id")?,
            seller_id: r.try_get("seller_id")?,
            status: r.try_get("kind")?,
            currency: "USD".into(),
            amount: Some(r.try_get("amount_cents")?),
            reference: r.try_get("reference")?,
            ..Line::default()
        });
    }
    let payouts = sqlx::query(&format!(
        "SELECT id, created_at, seller_id, status, currency, amount_cents, withdrawal_id FROM payouts \
         WHERE {} AND created_at >= $1 AND created_at < $2 ORDER BY id",
        mine("seller_id")
    ))
    .bind(from)
    .bind(to)
    .bind(seller_id)
    .fetch_all(store.pool())
    .await?;
    for r in &payouts {
        lines.push(Line {
            record: "payout",
            id: r.try_get("id")?,
            at: r.try_get("created_at")?,
            seller_id: r.try_get("seller_id")?,
            status: r.try_get("status")?,
            currency: r.try_get("currency")?,
            amount: Some(r.try_get("amount_cents")?),
            reference: r
                .try_get::<Option<String>, _>("withdrawal_id")?
                .unwrap_or_default(),
            ..Line::default()
        });
    }
    Ok(lines)
}
