-- Durable jobs (batch imports) with their per-row results, and uploaded media.

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  jobid TEXT NOT NULL UNIQUE,            -- the public id
  type TEXT NOT NULL,                    -- sync_user, replace_user, replace_party
  status INTEGER NOT NULL CHECK (status IN (1, 2, 3)),  -- queued, running, finished
  ref TEXT NOT NULL DEFAULT '',          -- what the job works on (a media_id)
  input TEXT NOT NULL DEFAULT '{}',      -- JSON: the caller's options (callback, to_invite)
  total INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,       -- units committed: the checkpoint
  errcode INTEGER NOT NULL DEFAULT 0,
  errmsg TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL DEFAULT 0,  -- unix seconds
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER
) STRICT;

CREATE INDEX jobs_runnable ON jobs (status, lease_until, id);

CREATE TABLE job_results (
  job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  detail TEXT NOT NULL,                  -- JSON object
  PRIMARY KEY (job_id, seq)
) STRICT;

CREATE TABLE media (
  media_id TEXT PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  type TEXT NOT NULL,                    -- image, voice, video, file
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX media_by_expiry ON media (expires_at);
