-- Subscriptions to chats. An access product's period in days (NULL: lifetime); each buyer's
-- membership of a product's chat: until when, when souk let them in (through its link), when
-- they were seen leaving, when souk began removing them (its ban, before the unban), the last
-- reminder sent before its end, when it ended, and the Stars subscription Telegram renews by
-- itself (its first charge). Each paid period is one order.
ALTER TABLE products ADD COLUMN access_days INTEGER;
CREATE TABLE memberships (
    product_id   BIGINT NOT NULL REFERENCES products(id),
    buyer_id     BIGINT NOT NULL,
    chat_id      BIGINT NOT NULL,
    ends_at      BIGINT,
    joined_at    BIGINT,
    left_at      BIGINT,
    banned_at    BIGINT,
    reminded     INTEGER,
    ended_at     BIGINT,
    star_charge  TEXT,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (product_id, buyer_id)
);
CREATE INDEX memberships_by_end ON memberships (ends_at);
CREATE INDEX memberships_by_chat ON memberships (chat_id, buyer_id);
CREATE TABLE membership_periods (
    order_id    BIGINT PRIMARY KEY REFERENCES orders(id),
    product_id  BIGINT NOT NULL,
    buyer_id    BIGINT NOT NULL,
    starts_at   BIGINT NOT NULL,
    ends_at     BIGINT
);
-- Lifetime accesses sold before subscriptions existed become memberships.
INSERT INTO memberships (product_id, buyer_id, chat_id, joined_at, created_at)
SELECT a.product_id, a.buyer_id, a.chat_id, MAX(a.joined_at), MIN(a.created_at)
FROM accesses a JOIN orders o ON o.id = a.order_id
WHERE o.status = 'finished'
GROUP BY a.product_id, a.buyer_id, a.chat_id;
