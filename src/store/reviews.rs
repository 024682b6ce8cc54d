//! Reviews: one per finished order, written by its buyer (who may change it), answered once by
//! the seller, hidden by an admin; product and seller ratings are sums over the visible ones.

use super::{Store, StoreError, now, placeholders};
use crate::domain::review::Rating;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: i64,
    pub order_id: i64,
    pub product_id: i64,
    pub seller_id: i64,
    pub buyer_id: i64,
    pub stars: i64,
    pub comment: Option<String>,
    pub answer: Option<String>,
    pub hidden: bool,
}

const COLUMNS: &str =
    "id, order_id, product_id, seller_id, buyer_id, stars, comment, answer, hidden_at";

fn from_row(r: &AnyRow) -> Result<Review, StoreError> {
    Ok(Review {
        id: r.try_get("id")?,
        order_id: r.try_get("order_id")?,
        product_id: r.try_get("product_id")?,
        seller_id: r.try_get("seller_id")?,
        buyer_id: r.try_get("buyer_id")?,
        stars: r.try_get("stars")?,
        comment: r.try_get("comment")?,
        answer: r.try_get("answer")?,
        hidden: r.try_get::<Option<i64>, _>("hidden_at")?.is_some(),
    })
}

/// What rating an order did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rated {
    New(i64),
    Changed(i64),
}

/// The order's review with `stars`: written, or changed when it exists.
pub async fn rate(
    store: &Store,
    order_id: i64,
    product_id: i64,
    seller_id: i64,
    buyer_id: i64,
    stars: i64,
) -> Result<Rated, StoreError> {
    let t = now();
    let mut tx = store.write().await?;
    let inserted = sqlx::query(
        "INSERT INTO reviews (order_id, product_id, seller_id, buyer_id, stars, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (order_id) DO NOTHING RETURNING id",
    )
    .bind(order_id)
    .bind(product_id)
    .bind(seller_id)
    .bind(buyer_id)
    .bind(stars)
    .bind(t)
    .bind(t)
    .fetch_optional(&mut *tx)
    .await?;
    let rated = match inserted {
        Some(row) => Rated::New(row.try_get("id")?),
        None => {
            let row = sqlx::query(
                "UPDATE reviews SET stars = $1, updated_at = $2 WHERE order_id = $3 RETURNING id",
            )
            .bind(stars)
            .bind(t)
            .bind(order_id)
            .fetch_one(&mut *tx)
            .await?;
            Rated::Changed(row.try_get("id")?)
        }
    };
    tx.commit().await?;
    Ok(rated)
}

/// The buyer's comment on their order's review.
pub async fn comment(store: &Store, order_id: i64, text: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE reviews SET comment = $1, updated_at = $2 WHERE order_id = $3")
        .bind(text)
        .bind(now())
        .bind(order_id)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The seller's answer, once; false when the review is not theirs or has an answer already.
pub async fn answer(
    store: &Store,
    review_id: i64,
    seller_id: i64,
    text: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE reviews SET answer = $1, answered_at = $2 WHERE id = $3 AND seller_id = $4 AND answer IS NULL",
    )
    .bind(text)
    .bind(now())
    .bind(review_id)
    .bind(seller_id)
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Hides a review from every list (or shows it again); false when there is no such review.
pub async fn set_hidden(store: &Store, review_id: i64, hidden: bool) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE reviews SET hidden_at = $1 WHERE id = $2")
        .bind(hidden.then(now))
        .bind(review_id)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(store: &Store, id: i64) -> Result<Option<Review>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM reviews WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// A product's visible reviews, newest first.
pub async fn of_product(
    store: &Store,
    product_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<Review>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM reviews WHERE product_id = $1 AND hidden_at IS NULL \
         ORDER BY updated_at DESC, id DESC LIMIT $2 OFFSET $3"
    );
    let rows = sqlx::query(&sql)
        .bind(product_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// The ratings of products (`column` = `product_id`) or of sellers (`seller_id`), in one query;
/// one without visible reviews is not in the map.
async fn ratings(
    store: &Store,
    column: &str,
    ids: &[i64],
) -> Result<HashMap<i64, Rating>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT {column} AS id, COUNT(*) AS n, CAST(COALESCE(SUM(stars), 0) AS BIGINT) AS stars \
         FROM reviews WHERE hidden_at IS NULL AND {column} IN {} GROUP BY {column}",
        placeholders(1, 1, ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(store.pool()).await?;
    rows.iter()
        .map(|row| {
            let rating = Rating {
                count: row.try_get("n")?,
                stars: row.try_get("stars")?,
            };
            Ok((row.try_get("id")?, rating))
        })
        .collect()
}

/// The rating of one product or seller (no reviews: a count of zero).
async fn rating(store: &Store, column: &str, id: i64) -> Result<Rating, StoreError> {
    let ratings = ratings(store, column, &[id]).await?;
    Ok(ratings.get(&id).copied().unwrap_or_default())
}

pub async fn of_product_rating(store: &Store, product_id: i64) -> Result<Rating, StoreError> {
    rating(store, "product_id", product_id).await
}

/// The ratings of several products (a page of the catalogue); a product without visible
/// reviews is not in the map.
pub async fn of_products_ratings(
    store: &Store,
    product_ids: &[i64],
) -> Result<HashMap<i64, Rating>, StoreError> {
    ratings(store, "product_id", product_ids).await
}

pub async fn of_seller_rating(store: &Store, seller_id: i64) -> Result<Rating, StoreError> {
    rating(store, "seller_id", seller_id).await
}

/// A sale whose buyer is owed the invitation to review it.
#[derive(Debug, Clone)]
pub struct DueInvitation {
    pub order_id: i64,
    pub buyer_id: i64,
    pub title: String,
}

/// Sales credited at or before `sold_before` whose buyer was not invited yet, oldest first.
pub async fn due_invitations(
    store: &Store,
    sold_before: i64,
    limit: i64,
) -> Result<Vec<DueInvitation>, StoreError> {
    let rows = sqlx::query(
        "SELECT o.id, o.buyer_id, p.title FROM ledger_entries l \
         JOIN orders o ON o.id = l.order_id JOIN products p ON p.id = o.product_id \
         WHERE l.kind = 'sale' AND l.created_at <= $1 AND o.review_invited_at IS NULL \
         AND o.status = 'finished' ORDER BY l.id LIMIT $2",
    )
    .bind(sold_before)
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DueInvitation {
                order_id: r.try_get("id")?,
                buyer_id: r.try_get("buyer_id")?,
                title: r.try_get("title")?,
            })
        })
        .collect()
}

/// Marks the order's invitation queued; false when another process did it first.
pub async fn mark_invited_in(conn: &mut super::Conn, order_id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE orders SET review_invited_at = $1 WHERE id = $2 AND review_invited_at IS NULL",
    )
    .bind(now())
    .bind(order_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
