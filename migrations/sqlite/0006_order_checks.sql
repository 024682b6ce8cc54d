-- When reconciliation last asked an order's payment rail about it: each rail is asked at its own
-- pace (NexPay every few minutes, NOWPayments hourly), whatever the job's own cadence.
ALTER TABLE orders ADD COLUMN checked_at INTEGER;
