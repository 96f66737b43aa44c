-- Callbacks (reference §8): where each app's events go, and the durable queue of deliveries.
-- agentid 0 is the contacts-sync callback (通讯录同步). token and aes_key are sealed at rest.
CREATE TABLE app_callbacks (
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  agentid INTEGER NOT NULL,
  url TEXT NOT NULL,
  token TEXT NOT NULL,
  aes_key TEXT NOT NULL,
  updated_at INTEGER NOT NULL,           -- unix seconds
  PRIMARY KEY (org_id, agentid)
) STRICT;

-- One event for one app. payload is the plaintext XML, sealed anew on each attempt; event_id is
-- stable across attempts. A member's (member_key: userid, or 'sys') deliveries go out in id
-- order: a later one waits while an earlier one is pending. lease_until keeps two nodes from
-- sending the same delivery at once.
CREATE TABLE callback_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  agentid INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  member_key TEXT NOT NULL,
  kind TEXT NOT NULL,                    -- "change_contact/create_user", "text", "click", ...
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,              -- unix milliseconds
  lease_until INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,           -- unix seconds
  delivered_at INTEGER,
  last_status INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  UNIQUE (org_id, agentid, event_id)
) STRICT;

CREATE INDEX callback_deliveries_due ON callback_deliveries (state, next_at);
CREATE INDEX callback_deliveries_by_member
  ON callback_deliveries (org_id, agentid, member_key, state, id);
CREATE INDEX callback_deliveries_by_app ON callback_deliveries (org_id, agentid, id);

-- How far contact events have been turned into deliveries.
CREATE TABLE callback_cursors (
  org_id INTEGER PRIMARY KEY REFERENCES organisations (id),
  contact_seq INTEGER NOT NULL
) STRICT;
