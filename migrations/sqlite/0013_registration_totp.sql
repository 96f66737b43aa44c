-- Open registration: people not yet in the directory apply (name, department, position,
-- wished userid, mobile, e-mail); an administrator approves (the member is created and invited)
-- or rejects (the applicant is told). Administrators' second factor (TOTP), and members'
-- optional passwords.

ALTER TABLE identity_settings ADD COLUMN open_registration INTEGER NOT NULL DEFAULT 0
  CHECK (open_registration IN (0, 1));

CREATE TABLE registrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  public_id TEXT NOT NULL UNIQUE,        -- random; what the applicant and the console name it by
  token_hash TEXT NOT NULL,              -- SHA-256 of the applicant's status token
  name TEXT NOT NULL,
  department_id INTEGER NOT NULL,        -- as applied; checked again on approval
  position TEXT NOT NULL DEFAULT '',
  userid TEXT NOT NULL DEFAULT '',       -- wished; may be empty
  mobile TEXT NOT NULL DEFAULT '',
  mobile_key TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  email_key TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',      -- where it was sent from
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  reason TEXT NOT NULL DEFAULT '',       -- given on rejection
  decided_by TEXT NOT NULL DEFAULT '',
  member_userid TEXT NOT NULL DEFAULT '',-- the member created on approval
  notice TEXT NOT NULL DEFAULT '' CHECK (notice IN ('', 'sent', 'failed')),
  created_at INTEGER NOT NULL,           -- unix seconds
  decided_at INTEGER
) STRICT;

CREATE INDEX registrations_by_org ON registrations (org_id, status, created_at);

ALTER TABLE admin_accounts ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';   -- base32, once enabled
ALTER TABLE admin_accounts ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';  -- during enrolment
ALTER TABLE admin_accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0; -- no code twice

-- One-time recovery codes for an administrator who lost their authenticator: SHA-256 only.
CREATE TABLE admin_recovery_codes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  admin_id INTEGER NOT NULL REFERENCES admin_accounts (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at INTEGER
) STRICT;

CREATE INDEX admin_recovery_codes_by_admin ON admin_recovery_codes (admin_id);

-- A member's optional password (argon2id): signs a device in instead of a one-time code.
CREATE TABLE member_passwords (
  member_id INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  password_hash TEXT NOT NULL,
  failed INTEGER NOT NULL DEFAULT 0,        -- wrong passwords in a row
  locked_until INTEGER NOT NULL DEFAULT 0,  -- unix seconds
  updated_at INTEGER NOT NULL
) STRICT;
