-- A broadcast keeps the admin's formatting (the text's entities, as Telegram's JSON) and, for a
-- photo or a document, the admin's own message, which is copied to every user.
ALTER TABLE broadcasts ADD COLUMN entities TEXT;
ALTER TABLE broadcasts ADD COLUMN source_message_id BIGINT;
