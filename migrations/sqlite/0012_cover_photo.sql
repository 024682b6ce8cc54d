-- A product's cover photo (a Telegram photo file_id, the largest size the seller sent), shown on
-- its card, in inline results; NULL when the seller gave none.
ALTER TABLE products ADD COLUMN photo_file_id TEXT;
