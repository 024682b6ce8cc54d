-- A file product's size in bytes, as Telegram gave it at /sell, shown on the product's card.
ALTER TABLE products ADD COLUMN file_size BIGINT;
