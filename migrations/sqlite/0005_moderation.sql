-- Moderation and broadcasts: banned users, products hidden by an admin, users who blocked the bot,
-- and broadcasts with one row per recipient (so a restart never sends anyone a message twice).
ALTER TABLE users ADD COLUMN banned_at INTEGER;
ALTER TABLE users ADD COLUMN blocked_at INTEGER;
ALTER TABLE products ADD COLUMN hidden_at INTEGER;

CREATE TABLE broadcasts (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    admin_id             INTEGER NOT NULL,
    text                 TEXT NOT NULL,
    status               TEXT NOT NULL,        -- draft, sending, done, dropped
    progress_message_id  INTEGER,                  -- the admin's live progress message
    created_at           INTEGER NOT NULL,
    started_at           INTEGER,
    finished_at          INTEGER,
    -- The process sending it holds it until then (renewed as it goes), so replicas never both send.
    runner               TEXT,
    lease_until          INTEGER NOT NULL DEFAULT 0
);

-- One row per recipient: pending, then sending (claimed), then sent, failed or blocked. A row
-- left in sending by a process that died becomes unknown and is never sent again.
CREATE TABLE broadcast_recipients (
    broadcast_id  INTEGER NOT NULL REFERENCES broadcasts(id),
    user_id       INTEGER NOT NULL,
    status        TEXT NOT NULL,
    PRIMARY KEY (broadcast_id, user_id)
);
CREATE INDEX broadcast_recipients_status ON broadcast_recipients(broadcast_id, status);
