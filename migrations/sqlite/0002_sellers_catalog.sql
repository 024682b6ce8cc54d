-- Sellers and catalog: payout wallets, the earnings ledger, categories, product kinds, stock, stored files.
CREATE TABLE wallets (
    seller_id   INTEGER PRIMARY KEY REFERENCES users(id),
    currency    TEXT NOT NULL,
    address     TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- Append-only: every balance is a sum over these rows. `reference` makes each entry happen once.
CREATE TABLE ledger_entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    seller_id     INTEGER NOT NULL REFERENCES users(id),
    kind          TEXT NOT NULL,
    amount_cents  INTEGER NOT NULL,
    order_id      INTEGER REFERENCES orders(id),
    reference     TEXT NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL
);
CREATE INDEX ledger_seller ON ledger_entries(seller_id, id);

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

ALTER TABLE products ADD COLUMN kind TEXT NOT NULL DEFAULT 'file';
ALTER TABLE products ADD COLUMN category_id INTEGER REFERENCES categories(id);
ALTER TABLE products ADD COLUMN text_content TEXT;
ALTER TABLE products ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN storage_key TEXT;
CREATE INDEX products_category ON products(category_id, status, id);

CREATE TABLE stock_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id  INTEGER NOT NULL REFERENCES products(id),
    content     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'available',
    order_id    INTEGER REFERENCES orders(id),
    created_at  INTEGER NOT NULL,
    UNIQUE (product_id, content)
);
CREATE INDEX stock_items_available ON stock_items(product_id, status, id);
CREATE INDEX stock_items_order ON stock_items(order_id);
