-- Apps (agentid, secret, visible scope), messages with one inbox row per recipient, and member
-- sessions for the member API.

CREATE TABLE apps (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  agentid INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  secret_hash TEXT NOT NULL UNIQUE,      -- SHA-256 of the secret, hex; the secret is never stored
  retention_days INTEGER NOT NULL DEFAULT 5,  -- messages kept this long; 0: permanently
  closed INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
  created_at INTEGER NOT NULL,           -- unix seconds
  updated_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX apps_by_agentid ON apps (org_id, agentid);

-- An app's visible scope: members (by internal id), departments (with their subtrees) and tags.
CREATE TABLE app_scope (
  app_id INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
  kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),  -- 1 member, 2 department, 3 tag
  ref INTEGER NOT NULL,
  PRIMARY KEY (app_id, kind, ref)
) STRICT;

CREATE TABLE messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  agentid INTEGER NOT NULL,
  msgid TEXT NOT NULL UNIQUE,            -- the public id message/send answers
  msgtype TEXT NOT NULL,
  body TEXT NOT NULL,                    -- JSON: the type's object
  preview TEXT NOT NULL DEFAULT '',
  safe INTEGER NOT NULL DEFAULT 0,
  id_trans INTEGER NOT NULL DEFAULT 0,
  sender TEXT NOT NULL,                  -- app:<agentid>, admin:<name>
  recipients INTEGER NOT NULL DEFAULT 0,
  dup_key TEXT NOT NULL DEFAULT '',      -- SHA-256 of the request when duplicate checks are on
  created_at INTEGER NOT NULL,
  expires_at INTEGER,                    -- NULL: kept permanently
  recalled_at INTEGER
) STRICT;

CREATE INDEX messages_by_dup_key ON messages (org_id, agentid, dup_key, created_at)
  WHERE dup_key <> '';
CREATE INDEX messages_by_expiry ON messages (expires_at) WHERE expires_at IS NOT NULL;

-- The media a message names, for the member API's access check.
CREATE TABLE message_media (
  media_id TEXT NOT NULL,
  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  PRIMARY KEY (media_id, message_id)
) STRICT;

CREATE INDEX message_media_by_message ON message_media (message_id);

-- Each member's last event sequence number; the inbox's rows take the next ones.
CREATE TABLE inbox_heads (
  member_id INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
  last_seq INTEGER NOT NULL
) STRICT;

-- A member's events in order: a message arriving (kind 1, with its read time), a recall (2),
-- messages read on another device (3: up to message_id in agentid's conversation).
CREATE TABLE inbox (
  member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  agentid INTEGER NOT NULL,
  read_at INTEGER,
  PRIMARY KEY (member_id, seq)
) STRICT, WITHOUT ROWID;

CREATE INDEX inbox_by_message ON inbox (message_id, member_id);

CREATE TABLE member_sessions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,       -- SHA-256 of the cookie's token, hex
  csrf_token TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX member_sessions_by_member ON member_sessions (member_id);
