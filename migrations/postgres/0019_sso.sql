-- Single sign-on (reference §7): the one-time codes /connect/oauth2/authorize gives a member's
-- browser, the user tickets auth/getuserinfo gives for snsapi_privateinfo, and the JS-SDK
-- tickets. Codes and user tickets are kept as their SHA-256 (hex) only.
CREATE TABLE sso_codes (
  code_hash TEXT PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES organisations (id),
  member_id BIGINT NOT NULL,
  agentid BIGINT NOT NULL,                   -- 0: asked for no app (snsapi_base alone)
  scope TEXT NOT NULL,
  redirect_host TEXT NOT NULL,
  device_id TEXT NOT NULL,
  expires_at BIGINT NOT NULL                 -- unix milliseconds
);
CREATE INDEX sso_codes_expiry ON sso_codes (expires_at);

CREATE TABLE sso_tickets (
  ticket_hash TEXT PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES organisations (id),
  member_id BIGINT NOT NULL,
  agentid BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sso_tickets_expiry ON sso_tickets (expires_at);

-- agentid 0: the organisation's ticket (wx.config); else the app's (wx.agentConfig).
CREATE TABLE jsapi_tickets (
  org_id BIGINT NOT NULL REFERENCES organisations (id),
  agentid BIGINT NOT NULL,
  ticket TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, agentid)
);
