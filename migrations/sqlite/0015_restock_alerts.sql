-- "Notify me" on a sold-out product: who waits for it, told once when the seller restocks (the
-- row is taken as the message is queued).
CREATE TABLE restock_alerts (
    product_id  BIGINT NOT NULL REFERENCES products(id),
    user_id     BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (product_id, user_id)
);
