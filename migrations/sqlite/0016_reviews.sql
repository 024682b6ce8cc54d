-- Reviews from verified buyers: one per finished order (its buyer may change it), the seller's
-- one answer, and an admin's hiding.
CREATE TABLE reviews (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id     BIGINT NOT NULL UNIQUE REFERENCES orders(id),
    product_id   BIGINT NOT NULL REFERENCES products(id),
    seller_id    BIGINT NOT NULL,
    buyer_id     BIGINT NOT NULL,
    stars        BIGINT NOT NULL,             -- 1 to 5
    comment      TEXT,
    answer       TEXT,
    answered_at  BIGINT,
    hidden_at    BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX reviews_product ON reviews(product_id, id);
CREATE INDEX reviews_seller ON reviews(seller_id);

-- When a finished order's buyer was invited to review it (jobs::invites); orders finished before
-- reviews existed count as invited, so an upgrade invites nobody about old purchases.
ALTER TABLE orders ADD COLUMN review_invited_at BIGINT;
UPDATE orders SET review_invited_at = 0 WHERE status = 'finished';
