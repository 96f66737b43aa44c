-- Read statistics: an app's sent messages newest first (the console's list), and the messages
-- of a day (message/get_statistics).
CREATE INDEX messages_by_app ON messages (org_id, agentid, id);
CREATE INDEX messages_by_time ON messages (org_id, created_at);
