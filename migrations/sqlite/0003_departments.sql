-- The department tree of each organisation. The root is id 1 with parent_id 0.

CREATE TABLE departments (
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  id INTEGER NOT NULL,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  parent_id INTEGER NOT NULL,            -- 0 for the root only
  sort_order INTEGER NOT NULL DEFAULT 0,  -- WeCom's `order`: larger sorts first among siblings
  created_at INTEGER NOT NULL,           -- unix seconds
  updated_at INTEGER NOT NULL,           -- unix seconds
  PRIMARY KEY (org_id, id)
) STRICT;

-- Children of a department, and sibling names unique (WeCom 60008) even between processes.
CREATE UNIQUE INDEX departments_by_parent ON departments (org_id, parent_id, name);
