//! Products a seller publishes: a title, a description, a price and the Telegram file delivered.

use super::{Store, StoreError, now};
use crate::domain::UsdCents;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: i64,
    pub seller_id: i64,
    pub title: String,
    pub description: String,
    pub price: UsdCents,
    pub file_id: String,
    pub file_unique_id: String,
    pub file_name: Option<String>,
    pub status: String,
}

impl Product {
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }
}

/// What the seller gave in /sell.
#[derive(Debug, Clone)]
pub struct NewProduct {
    pub seller_id: i64,
    pub title: String,
    pub description: String,
    pub price: UsdCents,
    pub file_id: String,
    pub file_unique_id: String,
    pub file_name: Option<String>,
}

const COLUMNS: &str =
    "id, seller_id, title, description, price_cents, file_id, file_unique_id, file_name, status";

fn from_row(r: &AnyRow) -> Result<Product, sqlx::Error> {
    Ok(Product {
        id: r.try_get("id")?,
        seller_id: r.try_get("seller_id")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        price: UsdCents(r.try_get("price_cents")?),
        file_id: r.try_get("file_id")?,
        file_unique_id: r.try_get("file_unique_id")?,
        file_name: r.try_get("file_name")?,
        status: r.try_get("status")?,
    })
}

pub async fn insert(store: &Store, p: &NewProduct) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO products (seller_id, title, description, price_cents, file_id, file_unique_id, file_name, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8) RETURNING id",
    )
    .bind(p.seller_id)
    .bind(&p.title)
    .bind(&p.description)
    .bind(p.price.0)
    .bind(&p.file_id)
    .bind(&p.file_unique_id)
    .bind(&p.file_name)
    .bind(now())
    .fetch_one(store.pool())
    .await?;
    Ok(row.try_get("id")?)
}

pub async fn get(store: &Store, id: i64) -> Result<Option<Product>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM products WHERE id = $1"))
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// Active products, newest first, for the browse menu.
pub async fn list_active(
    store: &Store,
    limit: i64,
    offset: i64,
) -> Result<Vec<Product>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM products WHERE status = 'active' ORDER BY id DESC LIMIT $1 OFFSET $2"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(store.pool())
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// Reads a product inside a transaction.
pub async fn get_in(conn: &mut super::Conn, id: i64) -> Result<Option<Product>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM products WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}
