//! Products sellers publish: title, description, price, category, and what is delivered (a
//! Telegram file, unique items in `stock`, or a text).

use super::{Conn, Store, StoreError, now};
use crate::domain::UsdCents;
use crate::domain::product::{ProductKind, SEARCH_FOLD_VERSION, fold_for_search};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: i64,
    pub seller_id: i64,
    pub title: String,
    pub description: String,
    pub price: UsdCents,
    pub kind: ProductKind,
    pub category_id: Option<i64>,
    /// The Telegram file (file products; empty otherwise).
    pub file_id: String,
    pub file_unique_id: String,
    pub file_name: Option<String>,
    /// The file's size in bytes, when Telegram gave it.
    pub file_size: Option<i64>,
    /// The text delivered (text products).
    pub text_content: Option<String>,
    /// The cover photo's Telegram `file_id`, when the seller gave one.
    pub photo: Option<String>,
    /// The channel or group an access product opens (its id and title).
    pub access_chat: Option<(i64, String)>,
    /// An access product's period in days (`None`: lifetime access).
    pub access_days: Option<i64>,
    /// Where a copy of the file is kept (S3 key or local path), once copied.
    pub storage_key: Option<String>,
    /// active, paused (hidden, not buyable) or deleted (gone from the shop, still re-deliverable).
    pub status: String,
    /// Hidden by an admin (/hide), whatever its seller does.
    pub hidden: bool,
    /// Its seller is banned: the product is out of the shop.
    pub seller_banned: bool,
}

impl Product {
    /// The seller's own switch (pause/resume).
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }

    /// In the shop: active, not hidden by an admin, and its seller not banned.
    pub fn is_buyable(&self) -> bool {
        self.is_active() && !self.hidden && !self.seller_banned
    }
}

/// What the seller gave in /sell.
#[derive(Debug, Clone)]
pub struct NewProduct {
    pub seller_id: i64,
    pub title: String,
    pub description: String,
    pub price: UsdCents,
    pub kind: ProductKind,
    pub category_id: Option<i64>,
    pub file_id: String,
    pub file_unique_id: String,
    pub file_name: Option<String>,
    pub file_size: Option<i64>,
    pub text_content: Option<String>,
    pub photo: Option<String>,
    pub access_chat: Option<(i64, String)>,
    pub access_days: Option<i64>,
}

pub(super) const COLUMNS: &str = "id, seller_id, title, description, price_cents, kind, category_id, \
    file_id, file_unique_id, file_name, file_size, text_content, photo_file_id, access_chat_id, access_chat_title, access_days, storage_key, status, hidden_at, \
    (SELECT u.banned_at FROM users u WHERE u.id = products.seller_id) AS seller_banned_at";

/// The shop shows only products neither hidden nor of a banned seller (a key lookup per
/// product, not a scan of every user).
const IN_SHOP: &str = "status = 'active' AND hidden_at IS NULL AND NOT EXISTS \
    (SELECT 1 FROM users u WHERE u.id = products.seller_id AND u.banned_at IS NOT NULL)";

pub(super) fn from_row(r: &AnyRow) -> Result<Product, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(Product {
        id: r.try_get("id")?,
        seller_id: r.try_get("seller_id")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        price: UsdCents(r.try_get("price_cents")?),
        kind: ProductKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("product kind {kind}")))?,
        category_id: r.try_get("category_id")?,
        file_id: r.try_get("file_id")?,
        file_unique_id: r.try_get("file_unique_id")?,
        file_name: r.try_get("file_name")?,
        file_size: r.try_get("file_size")?,
        text_content: r.try_get("text_content")?,
        photo: r.try_get("photo_file_id")?,
        access_chat: match r.try_get::<Option<i64>, _>("access_chat_id")? {
            Some(id) => Some((
                id,
                r.try_get::<Option<String>, _>("access_chat_title")?
                    .unwrap_or_default(),
            )),
            None => None,
        },
        access_days: r.try_get::<Option<i32>, _>("access_days")?.map(i64::from),
        storage_key: r.try_get("storage_key")?,
        status: r.try_get("status")?,
        hidden: r.try_get::<Option<i64>, _>("hidden_at")?.is_some(),
        seller_banned: r.try_get::<Option<i64>, _>("seller_banned_at")?.is_some(),
    })
}

fn search_text(title: &str, description: &str) -> String {
    fold_for_search(&format!("{title} {description}"))
}

/// Makes every product's folded copy again when the folding changed since it was written
/// (`SEARCH_FOLD_VERSION`, recorded as a cursor); run at start, after the migrations. Returns
/// how many were refolded. Replicas starting together may both refold: same result.
pub async fn refold_search(store: &Store) -> Result<usize, StoreError> {
    const CURSOR: &str = "search-fold-version";
    if super::cursors::position(store, CURSOR).await? >= SEARCH_FOLD_VERSION {
        return Ok(0);
    }
    let rows = sqlx::query("SELECT id, title, description FROM products")
        .fetch_all(store.pool())
        .await?;
    let mut tx = store.write().await?;
    for r in &rows {
        let (title, description): (String, String) =
            (r.try_get("title")?, r.try_get("description")?);
        sqlx::query("UPDATE products SET search_text = $1 WHERE id = $2")
            .bind(search_text(&title, &description))
            .bind(r.try_get::<i64, _>("id")?)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    super::cursors::advance(store, CURSOR, SEARCH_FOLD_VERSION).await?;
    Ok(rows.len())
}

/// Inserts a product inside a transaction.
async fn insert_in(conn: &mut Conn, p: &NewProduct) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO products (seller_id, title, description, price_cents, kind, category_id, file_id, file_unique_id, \
         file_name, text_content, search_text, status, created_at, file_size, photo_file_id, access_chat_id, access_chat_title, access_days) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'active', $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(p.seller_id)
    .bind(&p.title)
    .bind(&p.description)
    .bind(p.price.0)
    .bind(p.kind.as_str())
    .bind(p.category_id)
    .bind(&p.file_id)
    .bind(&p.file_unique_id)
    .bind(&p.file_name)
    .bind(&p.text_content)
    .bind(search_text(&p.title, &p.description))
    .bind(now())
    .bind(p.file_size)
    .bind(&p.photo)
    .bind(p.access_chat.as_ref().map(|c| c.0))
    .bind(p.access_chat.as_ref().map(|c| c.1.clone()))
    .bind(p.access_days.and_then(|d| i32::try_from(d).ok()))
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Inserts a product with its unique items (none for files and texts), in one transaction.
pub async fn insert(store: &Store, p: &NewProduct, items: &[String]) -> Result<i64, StoreError> {
    let mut tx = store.write().await?;
    let id = insert_in(&mut tx, p).await?;
    super::stock::add(&mut tx, id, items).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn get(store: &Store, id: i64) -> Result<Option<Product>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM products WHERE id = $1"))
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Reads a product inside a transaction.
pub async fn get_in(conn: &mut Conn, id: i64) -> Result<Option<Product>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM products WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Which active products to list.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub category_id: Option<i64>,
    /// Words that must all appear (folded) in the title or description.
    pub words: Vec<String>,
}

impl Listing {
    /// A search for what a user typed, folded as product texts are.
    pub fn search(query: &str) -> Listing {
        let words = fold_for_search(query)
            .split(' ')
            .filter(|w| !w.is_empty())
            .take(8)
            .map(String::from)
            .collect();
        Listing {
            category_id: None,
            words,
        }
    }
}

/// Products in the shop with visible reviews, best average first (then most reviewed).
pub async fn best_rated(store: &Store, limit: i64) -> Result<Vec<Product>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM products JOIN (SELECT product_id, AVG(stars * 1.0) AS average, \
         COUNT(*) AS n FROM reviews WHERE hidden_at IS NULL GROUP BY product_id) r \
         ON r.product_id = products.id WHERE {IN_SHOP} \
         ORDER BY r.average DESC, r.n DESC, products.id DESC LIMIT $1"
    );
    let rows = sqlx::query(&sql)
        .bind(limit)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// Active products matching `listing`, newest first.
pub async fn list(
    store: &Store,
    listing: &Listing,
    limit: i64,
    offset: i64,
) -> Result<Vec<Product>, StoreError> {
    let mut conditions = vec![IN_SHOP.to_string()];
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if listing.category_id.is_some() {
        conditions.push(format!("category_id = {}", next()));
    }
    for _ in &listing.words {
        conditions.push(format!("search_text LIKE {}", next()));
    }
    let (lim, off) = (next(), next());
    let sql = format!(
        "SELECT {COLUMNS} FROM products WHERE {} ORDER BY id DESC LIMIT {lim} OFFSET {off}",
        conditions.join(" AND ")
    );
    let mut query = sqlx::query(&sql);
    if let Some(c) = listing.category_id {
        query = query.bind(c);
    }
    for w in &listing.words {
        // Folded words hold only letters, digits and spaces: no LIKE wildcard to escape.
        query = query.bind(format!("%{w}%"));
    }
    let rows = query
        .bind(limit)
        .bind(offset)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// A seller's products (not deleted), newest first, with how many times each sold.
pub async fn by_seller(store: &Store, seller_id: i64) -> Result<Vec<(Product, i64)>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS}, (SELECT COUNT(*) FROM orders o WHERE o.product_id = products.id AND o.status = 'finished') AS sales \
         FROM products WHERE seller_id = $1 AND status <> 'deleted' ORDER BY id DESC"
    ))
    .bind(seller_id)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((from_row(r)?, r.try_get::<i64, _>("sales")?)))
        .collect()
}

/// What a product's card says of its seller and its sales.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Storefront {
    /// The seller's @username, else their first name.
    pub seller: String,
    /// Orders of it that finished.
    pub sales: i64,
}

/// The seller's name and the product's sales, for its card.
pub async fn storefront(store: &Store, product: &Product) -> Result<Storefront, StoreError> {
    let row = sqlx::query(
        "SELECT u.username, u.first_name, \
         (SELECT COUNT(*) FROM orders o WHERE o.product_id = $1 AND o.status = 'finished') AS sales \
         FROM users u WHERE u.id = $2",
    )
    .bind(product.id)
    .bind(product.seller_id)
    .fetch_optional(store.pool())
    .await?;
    let Some(row) = row else {
        return Ok(Storefront {
            seller: String::new(),
            sales: 0,
        });
    };
    let username: Option<String> = row.try_get("username")?;
    let first_name: Option<String> = row.try_get("first_name")?;
    Ok(Storefront {
        seller: username
            .map(|u| format!("@{u}"))
            .or(first_name)
            .unwrap_or_default(),
        sales: row.try_get("sales")?,
    })
}

/// A change a seller makes to their product. Each applies only to the owner's product.
#[derive(Debug, Clone)]
pub enum Change {
    Status(&'static str),
    Price(UsdCents),
    Title(String),
    Description(String),
    File {
        file_id: String,
        file_unique_id: String,
        file_name: Option<String>,
        file_size: Option<i64>,
    },
    Text(String),
    /// A new cover photo, or none.
    Photo(Option<String>),
}

/// Applies `change` to the product if `seller_id` owns it (and it is not deleted). Returns
/// whether it did.
pub async fn change(
    store: &Store,
    id: i64,
    seller_id: i64,
    change: &Change,
) -> Result<bool, StoreError> {
    let mut tx = store.write().await?;
    let Some(p) = get_in(&mut tx, id)
        .await?
        .filter(|p| p.seller_id == seller_id && p.status != "deleted")
    else {
        return Ok(false);
    };
    let (title, description) = match change {
        Change::Title(t) => (t.as_str(), p.description.as_str()),
        Change::Description(d) => (p.title.as_str(), d.as_str()),
        _ => (p.title.as_str(), p.description.as_str()),
    };
    let q = match change {
        Change::Status(s) => sqlx::query("UPDATE products SET status = $1 WHERE id = $2").bind(*s),
        Change::Price(price) => sqlx::query("UPDATE products SET price_cents = $1 WHERE id = $2").bind(price.0),
        Change::Title(_) | Change::Description(_) => sqlx::query(
            "UPDATE products SET title = $1, description = $2, search_text = $3 WHERE id = $4",
        )
        .bind(title.to_string())
        .bind(description.to_string())
        .bind(search_text(title, description)),
        Change::File {
            file_id,
            file_unique_id,
            file_name,
            file_size,
        } => sqlx::query(
            "UPDATE products SET file_id = $1, file_unique_id = $2, file_name = $3, file_size = $4, \
             storage_key = NULL WHERE id = $5",
        )
        .bind(file_id.clone())
        .bind(file_unique_id.clone())
        .bind(file_name.clone())
        .bind(*file_size),
        Change::Text(t) => sqlx::query("UPDATE products SET text_content = $1 WHERE id = $2").bind(t.clone()),
        Change::Photo(photo) => sqlx::query("UPDATE products SET photo_file_id = $1 WHERE id = $2").bind(photo.clone()),
    };
    q.bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// Records where the copy of a product's file is, if the product still has that file.
pub async fn set_storage_key(
    store: &Store,
    id: i64,
    file_unique_id: &str,
    key: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE products SET storage_key = $1 WHERE id = $2 AND file_unique_id = $3")
        .bind(key)
        .bind(id)
        .bind(file_unique_id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// File products whose file has no copy yet.
pub async fn missing_copies(store: &Store) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query("SELECT id FROM products WHERE kind = 'file' AND file_id <> '' AND storage_key IS NULL ORDER BY id")
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

/// Pauses an active product (nothing sells until its seller resumes it); false if it was not
/// active.
pub async fn pause(store: &Store, id: i64) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE products SET status = 'paused' WHERE id = $1 AND status = 'active'")
            .bind(id)
            .execute(store.pool())
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Hides a product from the shop (or shows it again); false if there is no such product.
pub async fn set_hidden(store: &Store, id: i64, hidden: bool) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE products SET hidden_at = $1 WHERE id = $2")
        .bind(hidden.then(now))
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}
