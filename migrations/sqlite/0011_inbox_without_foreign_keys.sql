-- The inbox without foreign keys. Checking both parents for every row, and the statement
-- journal that a checked multi-row insert needs, cost about half of a fan-out's time. The
-- code removes a member's inbox rows with the member and a message's with the message
-- (storage/member_sql.cpp, storage/message_sql.cpp); the rows are written only for a message
-- inserted in the same transaction and for members that have an inbox head.
CREATE TABLE inbox_rebuilt (
  member_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
  message_id INTEGER NOT NULL,
  agentid INTEGER NOT NULL,
  read_at INTEGER,
  PRIMARY KEY (member_id, seq)
) STRICT, WITHOUT ROWID;

INSERT INTO inbox_rebuilt (member_id, seq, kind, message_id, agentid, read_at)
  SELECT member_id, seq, kind, message_id, agentid, read_at FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_rebuilt RENAME TO inbox;
CREATE INDEX inbox_by_message ON inbox (message_id, member_id);
