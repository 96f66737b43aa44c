-- The organisation (one by default) and the access_tokens issued by /cgi-bin/gettoken.

CREATE TABLE organisations (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  corpid TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  contacts_secret TEXT NOT NULL,
  is_default BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL  -- unix seconds
);

-- At most one default organisation, even when several processes start at once.
CREATE UNIQUE INDEX organisations_one_default ON organisations (is_default) WHERE is_default;

-- Only the SHA-256 of a token is kept.
CREATE TABLE access_tokens (
  token_hash TEXT PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES organisations (id),
  principal TEXT NOT NULL,
  issued_at BIGINT NOT NULL,   -- unix seconds
  expires_at BIGINT NOT NULL   -- unix seconds
);

CREATE INDEX access_tokens_expires_at ON access_tokens (expires_at);
