-- The organisation (one by default) and the access_tokens issued by /cgi-bin/gettoken.

CREATE TABLE organisations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  corpid TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  contacts_secret TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  created_at INTEGER NOT NULL  -- unix seconds
) STRICT;

-- At most one default organisation, even when several processes start at once.
CREATE UNIQUE INDEX organisations_one_default ON organisations (is_default) WHERE is_default = 1;

-- Only the SHA-256 of a token is kept.
CREATE TABLE access_tokens (
  token_hash TEXT PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  principal TEXT NOT NULL,
  issued_at INTEGER NOT NULL,   -- unix seconds
  expires_at INTEGER NOT NULL   -- unix seconds
) STRICT;

CREATE INDEX access_tokens_expires_at ON access_tokens (expires_at);
