-- Delegated administration: admin groups, each with a management scope (departments with their
-- subtrees, and tags), a contacts right there, rights per app and device rights; scoped
-- administrators (admin_accounts.role 'scoped') belong to groups and get the union of theirs.

CREATE TABLE admin_groups (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  contacts TEXT NOT NULL DEFAULT 'read' CHECK (contacts IN ('read', 'edit')),
  devices INTEGER NOT NULL DEFAULT 0 CHECK (devices IN (0, 1)),  -- freeze, log out devices
  created_at INTEGER NOT NULL,  -- unix seconds
  updated_at INTEGER NOT NULL,
  UNIQUE (org_id, name)
) STRICT;

-- The scope: departments (each with its subtree) and tags. Ids may outlive what they name; a
-- deleted department or tag simply covers nobody.
CREATE TABLE admin_group_scope (
  group_id INTEGER NOT NULL REFERENCES admin_groups (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('department', 'tag')),
  target_id INTEGER NOT NULL,
  PRIMARY KEY (group_id, kind, target_id)
) STRICT;

CREATE TABLE admin_group_apps (
  group_id INTEGER NOT NULL REFERENCES admin_groups (id) ON DELETE CASCADE,
  agentid INTEGER NOT NULL,
  app_right TEXT NOT NULL CHECK (app_right IN ('send', 'manage')),
  PRIMARY KEY (group_id, agentid)
) STRICT;

CREATE TABLE admin_group_members (
  group_id INTEGER NOT NULL REFERENCES admin_groups (id) ON DELETE CASCADE,
  admin_id INTEGER NOT NULL REFERENCES admin_accounts (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, admin_id)
) STRICT;

CREATE INDEX admin_group_members_by_admin ON admin_group_members (admin_id);
