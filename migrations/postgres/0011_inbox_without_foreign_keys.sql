-- The inbox without foreign keys: a fan-out to 100k members ran 100k trigger checks of each
-- parent. The code removes a member's inbox rows with the member and a message's with the
-- message (storage/member_sql.cpp, storage/message_sql.cpp).
ALTER TABLE inbox DROP CONSTRAINT inbox_member_id_fkey;
ALTER TABLE inbox DROP CONSTRAINT inbox_message_id_fkey;
