-- A rail's notification is kept once: `digest` names its exact body (the first 16 bytes of its
-- SHA-256, in hex; NULL for souk's own reports and for rows older than this), `repeats` counts
-- how many more times the same body arrived, the last at `last_received_at`. The unique key
-- (payment id, digest) replaces the index on payment id alone, so a row costs no more index
-- writes than before (a digest alone, being random, would touch another index page per row).
ALTER TABLE ipn_events ADD COLUMN digest TEXT;
ALTER TABLE ipn_events ADD COLUMN repeats BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ipn_events ADD COLUMN last_received_at BIGINT;
DROP INDEX ipn_events_payment;
CREATE UNIQUE INDEX ipn_events_notification ON ipn_events(payment_id, digest);
