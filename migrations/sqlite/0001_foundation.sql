-- Foundation: administrator accounts, and the probe rows that durability tests write.
-- STRICT tables refuse a value of the wrong type, as PostgreSQL does.

-- AUTOINCREMENT: an id is never handed out again after its account is deleted (as with
-- PostgreSQL's identity columns), so audit records keep pointing at the right account.
CREATE TABLE admin_accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  created_at INTEGER NOT NULL  -- unix seconds
) STRICT;

CREATE TABLE probe_rows (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))
) STRICT;
