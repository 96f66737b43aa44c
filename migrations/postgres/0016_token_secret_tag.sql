-- Which secret an app's access_token was issued for: the first 16 hex digits of the app's
-- secret hash at gettoken. When the secret is reset the tags stop matching, so every node
-- refuses the old tokens within its app guard's lifetime, even from memory. Empty for the
-- contacts-sync secret.
ALTER TABLE access_tokens ADD COLUMN secret_tag TEXT NOT NULL DEFAULT '';
UPDATE access_tokens SET secret_tag = COALESCE((
  SELECT substr(a.secret_hash, 1, 16) FROM apps a
  WHERE a.org_id = access_tokens.org_id AND 'app:' || a.agentid = access_tokens.principal), '')
WHERE principal LIKE 'app:%';
