-- A counter per organisation that every directory write bumps (in its own transaction), so that
-- readers can tell whether what they computed before is still current. The row is also what
-- directory writes lock to take turns.

CREATE TABLE directory_versions (
  org_id BIGINT PRIMARY KEY REFERENCES organisations (id),
  version BIGINT NOT NULL
);

INSERT INTO directory_versions (org_id, version) SELECT id, 1 FROM organisations;
