-- Disputes: a buyer's problem with a finished order, opened inside the refund window. While one is
-- open, the order's sale credit is frozen (not paid out, even past the window). An admin settles
-- it: refunded in full, refunded in part (refund_cents), or closed in the seller's favour.
CREATE TABLE disputes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id      BIGINT NOT NULL UNIQUE REFERENCES orders(id),
    buyer_id      BIGINT NOT NULL,
    seller_id     BIGINT NOT NULL,
    status        TEXT NOT NULL,              -- open, refunded, partly_refunded, closed
    refund_cents  BIGINT,
    opened_at     BIGINT NOT NULL,
    settled_at    BIGINT,
    settled_by    BIGINT
);
CREATE INDEX disputes_open ON disputes(status, order_id);

-- Every message of a dispute's thread, as written and relayed.
CREATE TABLE dispute_messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    dispute_id  BIGINT NOT NULL REFERENCES disputes(id),
    author_id   BIGINT NOT NULL,
    role        TEXT NOT NULL,                -- buyer, seller, admin
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX dispute_messages_thread ON dispute_messages(dispute_id, id);
