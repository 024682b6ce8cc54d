-- Moderation and broadcasts: banned users, products hidden by an admin, users who blocked the bot,
-- and broadcasts with one row per recipient (so a restart never sends anyone a message twice).
ALTER TABLE users ADD COLUMN banned_at BIGINT;
ALTER TABLE users ADD COLUMN blocked_at BIGINT;
ALTER TABLE products ADD COLUMN hidden_at BIGINT;
