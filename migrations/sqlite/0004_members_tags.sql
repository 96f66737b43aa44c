-- Members (WeCom's users), their departments, tags, the contact-changed events and the audit log.

CREATE TABLE members (
  id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: other tables keep member ids
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  userid TEXT NOT NULL,                  -- as created
  userid_key TEXT NOT NULL,              -- lowercased: userids are unique ignoring case
  name TEXT NOT NULL,
  alias TEXT NOT NULL DEFAULT '',
  mobile TEXT NOT NULL DEFAULT '',
  mobile_key TEXT NOT NULL DEFAULT '',   -- without spaces and hyphens
  email TEXT NOT NULL DEFAULT '',
  email_key TEXT NOT NULL DEFAULT '',    -- lowercased
  biz_mail TEXT NOT NULL DEFAULT '',
  biz_mail_key TEXT NOT NULL DEFAULT '',
  position TEXT NOT NULL DEFAULT '',
  gender INTEGER NOT NULL DEFAULT 0,     -- 0 unknown, 1 male, 2 female
  avatar TEXT NOT NULL DEFAULT '',
  telephone TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  main_department INTEGER NOT NULL,
  direct_leaders TEXT NOT NULL DEFAULT '',  -- userids joined by '|' (a userid holds no '|')
  external_position TEXT NOT NULL DEFAULT '',
  extattr TEXT NOT NULL DEFAULT '{"attrs":[]}',
  external_profile TEXT NOT NULL DEFAULT '{}',
  enable INTEGER NOT NULL DEFAULT 1 CHECK (enable IN (0, 1)),
  state INTEGER NOT NULL CHECK (state IN (1, 4, 5)),  -- 1 active, 4 not activated, 5 left
  external_id TEXT NOT NULL DEFAULT '',
  openid TEXT NOT NULL,
  created_at INTEGER NOT NULL,           -- unix seconds
  updated_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX members_by_userid ON members (org_id, userid_key);
CREATE UNIQUE INDEX members_by_mobile ON members (org_id, mobile_key) WHERE mobile_key <> '';
CREATE UNIQUE INDEX members_by_email ON members (org_id, email_key) WHERE email_key <> '';
CREATE UNIQUE INDEX members_by_biz_mail ON members (org_id, biz_mail_key) WHERE biz_mail_key <> '';
CREATE UNIQUE INDEX members_by_external_id ON members (org_id, external_id) WHERE external_id <> '';
CREATE UNIQUE INDEX members_by_openid ON members (org_id, openid);

-- A member's departments, in the member's own order (position), with its order there.
CREATE TABLE member_departments (
  member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  org_id INTEGER NOT NULL,
  department_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  sort_order INTEGER NOT NULL DEFAULT 0,
  is_leader INTEGER NOT NULL DEFAULT 0 CHECK (is_leader IN (0, 1)),
  PRIMARY KEY (member_id, department_id),
  FOREIGN KEY (org_id, department_id) REFERENCES departments (org_id, id)
) STRICT;

CREATE INDEX member_departments_by_department
  ON member_departments (org_id, department_id, member_id);

CREATE TABLE tags (
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  id INTEGER NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, id)
) STRICT;

CREATE UNIQUE INDEX tags_by_name ON tags (org_id, name);

CREATE TABLE tag_members (
  org_id INTEGER NOT NULL,
  tag_id INTEGER NOT NULL,
  member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  PRIMARY KEY (org_id, tag_id, member_id),
  FOREIGN KEY (org_id, tag_id) REFERENCES tags (org_id, id) ON DELETE CASCADE
) STRICT;

CREATE INDEX tag_members_by_member ON tag_members (member_id);

CREATE TABLE tag_departments (
  org_id INTEGER NOT NULL,
  tag_id INTEGER NOT NULL,
  department_id INTEGER NOT NULL,
  PRIMARY KEY (org_id, tag_id, department_id),
  FOREIGN KEY (org_id, tag_id) REFERENCES tags (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, department_id) REFERENCES departments (org_id, id)
) STRICT;

CREATE INDEX tag_departments_by_department ON tag_departments (org_id, department_id);

-- Contact-changed events, in order, for callbacks (WeCom's change_contact).
CREATE TABLE contact_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  change_type TEXT NOT NULL,
  detail TEXT NOT NULL,                  -- JSON object
  created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX contact_events_by_org ON contact_events (org_id, seq);

-- Who did what, when and from where.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  at INTEGER NOT NULL,                   -- unix seconds
  actor TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}'      -- JSON object
) STRICT;

CREATE INDEX audit_log_by_org ON audit_log (org_id, at);
