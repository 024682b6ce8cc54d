-- Referrals: who brought a user (once and for good) and when; their purchases for
-- REFERRAL_DAYS after that earn the referrer a share of the commission (ledger kind referral).
ALTER TABLE users ADD COLUMN referred_by BIGINT;
ALTER TABLE users ADD COLUMN referred_at BIGINT;
