//! Product categories, managed by admins; sellers pick one at /sell.

use super::{Store, StoreError, is_unique_violation, now};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: i64,
    pub name: String,
}

pub async fn list(store: &Store) -> Result<Vec<Category>, StoreError> {
    let rows = sqlx::query("SELECT id, name FROM categories ORDER BY name")
        .fetch_all(store.pool())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Category {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
}

pub async fn get(store: &Store, id: i64) -> Result<Option<Category>, StoreError> {
    let row = sqlx::query("SELECT id, name FROM categories WHERE id = $1")
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| {
        Ok(Category {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
        })
    })
    .transpose()
}

/// Adds a category; `None` when one with that name exists.
pub async fn add(store: &Store, name: &str) -> Result<Option<i64>, StoreError> {
    match sqlx::query("INSERT INTO categories (name, created_at) VALUES ($1, $2) RETURNING id")
        .bind(name)
        .bind(now())
        .fetch_one(store.pool())
        .await
    {
        Ok(row) => Ok(Some(row.try_get("id")?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Renames a category; false when it does not exist or the name is taken.
pub async fn rename(store: &Store, id: i64, name: &str) -> Result<bool, StoreError> {
    match sqlx::query("UPDATE categories SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(store.pool())
        .await
    {
        Ok(done) => Ok(done.rows_affected() == 1),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Deletes a category; its products stay, uncategorised.
pub async fn delete(store: &Store, id: i64) -> Result<bool, StoreError> {
    let mut tx = store.write().await?;
    sqlx::query("UPDATE products SET category_id = NULL WHERE category_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM categories WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}
