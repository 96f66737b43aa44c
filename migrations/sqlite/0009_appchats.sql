-- App group chats (WeCom's appchat): a chat an app made, its members, and the chat a message
-- went to ('' for an app's own conversation).

CREATE TABLE appchats (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  chatid TEXT NOT NULL,                  -- the public id: the caller's, or made up
  agentid INTEGER NOT NULL,              -- the app that made it; its messages come through it
  name TEXT NOT NULL,
  owner_id INTEGER NOT NULL,             -- a member id (no foreign key: deleting the owner must not fail)
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX appchats_by_chatid ON appchats (org_id, chatid);

CREATE TABLE appchat_members (
  chat_id INTEGER NOT NULL REFERENCES appchats (id) ON DELETE CASCADE,
  member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  PRIMARY KEY (chat_id, member_id)
) STRICT;

ALTER TABLE messages ADD COLUMN chatid TEXT NOT NULL DEFAULT '';
