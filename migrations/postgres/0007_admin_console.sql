-- The admin console: administrator sessions, failed-login lockout, and members' names in pinyin
-- for the console's search.

CREATE TABLE admin_sessions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  admin_id BIGINT NOT NULL REFERENCES admin_accounts (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,  -- SHA-256 of the cookie's token, hex; the token is never stored
  csrf_token TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,       -- unix seconds
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE INDEX admin_sessions_by_admin ON admin_sessions (admin_id);

ALTER TABLE admin_accounts ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE admin_accounts ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;

-- The console's search keys, filled by corphub on every write (members from before this version
-- get theirs when the server starts): the name in pinyin (the list's order), the fields a query
-- matches as a prefix (userid, pinyin, initials, e-mail, IM id, each after a 0x1F), and those it
-- matches anywhere (name, alias, mobile), all lowercased.
ALTER TABLE members ADD COLUMN name_pinyin TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN search_prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN search_any TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN search_keyed BOOLEAN NOT NULL DEFAULT FALSE;

CREATE INDEX members_by_pinyin ON members (org_id, name_pinyin, userid_key);
