-- Coupons: a seller's codes (one product or all of theirs) or the platform's (an admin's, paid
-- out of the commission); a percentage (basis points) or a fixed amount off; an optional expiry
-- and number of uses. `uses` counts the uses held by orders not failed, expired or cancelled;
-- each buyer uses a code once (coupon_uses).
CREATE TABLE coupons (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    code          TEXT NOT NULL UNIQUE,
    seller_id     BIGINT,                     -- NULL: the platform's
    product_id    BIGINT REFERENCES products(id),
    percent_bp    BIGINT,
    amount_cents  BIGINT,
    expires_at    BIGINT,
    max_uses      BIGINT,
    uses          BIGINT NOT NULL DEFAULT 0,
    created_by    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE TABLE coupon_uses (
    coupon_id   BIGINT NOT NULL REFERENCES coupons(id),
    buyer_id    BIGINT NOT NULL,
    order_id    BIGINT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (coupon_id, buyer_id)
);
-- The code a buyer typed for a product, used by their next checkout of it.
CREATE TABLE coupon_picks (
    buyer_id    BIGINT NOT NULL,
    product_id  BIGINT NOT NULL,
    coupon_id   BIGINT NOT NULL REFERENCES coupons(id),
    picked_at   BIGINT NOT NULL,
    PRIMARY KEY (buyer_id, product_id)
);
ALTER TABLE orders ADD COLUMN coupon_id BIGINT;
ALTER TABLE orders ADD COLUMN discount_cents BIGINT NOT NULL DEFAULT 0;
