-- A payout batch is held by a named run (its lease holder) while its lease lasts; only the holder
-- may move the batch forward. Outbox rows name the replica that claimed them. Sandbox orders
-- (paid through the simulator) deliver but are never credited to the seller.
ALTER TABLE payout_batches ADD COLUMN lease_holder TEXT;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE orders ADD COLUMN sandbox INTEGER NOT NULL DEFAULT 0;
-- How far a job has read a provider's list (Telegram's Star transactions, oldest first).
CREATE TABLE cursors (
    name     TEXT PRIMARY KEY,
    position INTEGER NOT NULL
);
-- The daily pruning reads this.
CREATE INDEX ipn_events_received ON ipn_events(received_at);
-- Telegram's budget of about 30 messages a second, shared by every replica: the next free
-- moment (unix milliseconds) of each budget; each send takes one.
CREATE TABLE send_slots (
    name       TEXT PRIMARY KEY,
    next_at_ms BIGINT NOT NULL
);
INSERT INTO send_slots (name, next_at_ms) VALUES ('telegram', 0);
-- Second Stars charges Telegram would not refund yet: the Stars check tries again until it does.
CREATE TABLE star_refunds_owed (
    charge      TEXT PRIMARY KEY,
    buyer_id    BIGINT NOT NULL,
    order_id    BIGINT,
    error       TEXT,
    created_at  BIGINT NOT NULL,
    refunded_at BIGINT
);
