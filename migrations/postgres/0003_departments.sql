-- The department tree of each organisation. The root is id 1 with parent_id 0.

CREATE TABLE departments (
  org_id BIGINT NOT NULL REFERENCES organisations (id),
  id BIGINT NOT NULL,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  parent_id BIGINT NOT NULL,            -- 0 for the root only
  sort_order BIGINT NOT NULL DEFAULT 0,  -- WeCom's `order`: larger sorts first among siblings
  created_at BIGINT NOT NULL,           -- unix seconds
  updated_at BIGINT NOT NULL,           -- unix seconds
  PRIMARY KEY (org_id, id)
);

-- Children of a department, and sibling names unique (WeCom 60008) even between processes.
CREATE UNIQUE INDEX departments_by_parent ON departments (org_id, parent_id, name);
