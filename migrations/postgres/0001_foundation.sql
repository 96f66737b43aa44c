-- Foundation: administrator accounts, and the probe rows that durability tests write.

CREATE TABLE admin_accounts (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL  -- unix seconds
);

CREATE TABLE probe_rows (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at BIGINT NOT NULL DEFAULT (CAST(EXTRACT(EPOCH FROM now()) AS BIGINT))
);
