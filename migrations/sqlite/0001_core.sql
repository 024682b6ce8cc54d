-- Marketplace core: users, products, orders, the IPN inbox, the outbox and dialogue state.
CREATE TABLE users (
    id          INTEGER PRIMARY KEY,            -- the Telegram user id
    username    TEXT,
    first_name  TEXT NOT NULL DEFAULT '',
    language    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE products (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    seller_id      INTEGER NOT NULL REFERENCES users(id),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    price_cents    INTEGER NOT NULL CHECK (price_cents > 0),
    file_id        TEXT NOT NULL,
    file_unique_id TEXT NOT NULL,
    file_name      TEXT,
    status         TEXT NOT NULL DEFAULT 'active',
    created_at     INTEGER NOT NULL
);
CREATE INDEX products_seller ON products(seller_id);

CREATE TABLE orders (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    buyer_id         INTEGER NOT NULL REFERENCES users(id),
    product_id       INTEGER NOT NULL REFERENCES products(id),
    seller_id        INTEGER NOT NULL REFERENCES users(id),
    price_cents      INTEGER NOT NULL,
    commission_cents INTEGER NOT NULL,
    total_cents      INTEGER NOT NULL,
    pay_currency     TEXT NOT NULL,
    status           TEXT NOT NULL,
    payment_id       TEXT UNIQUE,
    pay_address      TEXT,
    pay_amount       TEXT,
    actually_paid    TEXT,
    expires_at       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX orders_buyer ON orders(buyer_id, status);

CREATE TABLE ipn_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id      TEXT NOT NULL,
    order_id        INTEGER,
    payment_status  TEXT NOT NULL,
    body            TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    received_at     INTEGER NOT NULL
);
CREATE INDEX ipn_events_payment ON ipn_events(payment_id);
CREATE INDEX ipn_events_order ON ipn_events(order_id);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key      TEXT NOT NULL UNIQUE,
    chat_id         INTEGER NOT NULL,
    payload         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until   INTEGER NOT NULL DEFAULT 0,
    sent_at         INTEGER,
    failed_at       INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX outbox_pending ON outbox(sent_at, failed_at, next_attempt_at);

CREATE TABLE dialogues (
    chat_id     INTEGER PRIMARY KEY,
    state       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);
