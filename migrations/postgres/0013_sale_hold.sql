-- The refund window: a sale's credit is paid out only once it clears (clears_at, unix seconds);
-- NULL for entries that count at once (payouts, reversals, sales made without a hold). A refund of
-- a sale still held clears with it, so the two cancel out before any payout.
ALTER TABLE ledger_entries ADD COLUMN clears_at BIGINT;
