-- Verified activation and login: one-time codes, the device a session was opened on, the
-- organisation's identity settings, activations waiting for an administrator (second
-- verification), and the invitations sent.

-- A one-time code sent to a member's registered mobile or e-mail. The client holds the
-- challenge (a random token); only its SHA-256 and the SHA-256 of challenge + code are kept,
-- so the table alone cannot be searched for codes.
CREATE TABLE member_codes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  challenge_hash TEXT NOT NULL UNIQUE,
  code_hash TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
  address TEXT NOT NULL DEFAULT '',      -- where it was asked from
  attempts INTEGER NOT NULL DEFAULT 0,   -- wrong codes entered
  created_at INTEGER NOT NULL,           -- unix seconds
  expires_at INTEGER NOT NULL,
  spent_at INTEGER                       -- used, or out of attempts; NULL while usable
) STRICT;

CREATE INDEX member_codes_by_member ON member_codes (member_id, created_at);

ALTER TABLE member_sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';

CREATE TABLE identity_settings (
  org_id INTEGER PRIMARY KEY REFERENCES organisations (id),
  second_verification INTEGER NOT NULL DEFAULT 0 CHECK (second_verification IN (0, 1)),
  updated_at INTEGER NOT NULL
) STRICT;

-- A member who proved their mobile or e-mail while second verification was required, waiting
-- for an administrator (or user/authsucc) to confirm them.
CREATE TABLE pending_activations (
  member_id INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  channel TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  verified_at INTEGER NOT NULL
) STRICT;

CREATE INDEX pending_activations_by_org ON pending_activations (org_id, verified_at);

-- Invitations sent (or that failed to send), newest last.
CREATE TABLE invitations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
  status TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
  error TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX invitations_by_member ON invitations (member_id, id);
