-- Seller payouts and custody conversions. A batch is one `POST /payout`; each payout is one
-- seller's withdrawal in it. Its amount is debited from the ledger when the payout is planned.
CREATE TABLE payout_batches (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    status           TEXT NOT NULL,              -- planned, created, verified, released
    -- 1 while the batch is planned or created, NULL after: at most one unverified batch at a time.
    open_marker      INTEGER UNIQUE,
    currency         TEXT NOT NULL,
    total_cents      INTEGER NOT NULL,
    started_by       TEXT NOT NULL,              -- schedule, admin, cli
    remote_id        TEXT UNIQUE,                -- NOWPayments' batch id
    verify_attempts  INTEGER NOT NULL DEFAULT 0,
    last_code_step   INTEGER,                    -- TOTP time step of the last code sent
    lease_until      INTEGER NOT NULL DEFAULT 0,   -- a run working on the batch holds it until then
    error            TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE TABLE payouts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id       INTEGER NOT NULL REFERENCES payout_batches(id),
    seller_id      INTEGER NOT NULL REFERENCES users(id),
    amount_cents   INTEGER NOT NULL CHECK (amount_cents > 0),
    currency       TEXT NOT NULL,
    address        TEXT NOT NULL,
    status         TEXT NOT NULL,
    withdrawal_id  TEXT UNIQUE,                  -- NOWPayments' withdrawal id
    hash           TEXT,
    error          TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX payouts_batch ON payouts(batch_id);
CREATE INDEX payouts_status ON payouts(status, updated_at);

CREATE TABLE conversions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    remote_id      TEXT NOT NULL UNIQUE,
    from_currency  TEXT NOT NULL,
    to_currency    TEXT NOT NULL,
    from_amount    TEXT NOT NULL,
    to_amount      TEXT,
    status         TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
