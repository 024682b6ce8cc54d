-- Access to a private channel or group (product kind `access`): the chat, and each buyer's
-- join-request link, approved only for that buyer.
ALTER TABLE products ADD COLUMN access_chat_id BIGINT;
ALTER TABLE products ADD COLUMN access_chat_title TEXT;
CREATE TABLE accesses (
    order_id     BIGINT PRIMARY KEY REFERENCES orders(id),
    product_id   BIGINT NOT NULL REFERENCES products(id),
    buyer_id     BIGINT NOT NULL,
    chat_id      BIGINT NOT NULL,
    invite_link  TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    joined_at    BIGINT
);
