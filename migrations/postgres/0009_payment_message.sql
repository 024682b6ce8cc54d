-- The buyer's payment message (QR, address, buttons), so that it can be edited once the order
-- is paid, cancelled or expired: its buttons go and its address is marked void.
ALTER TABLE orders ADD COLUMN payment_message_id BIGINT;
