-- An app's trusted caller addresses (WeCom's 企业可信IP): one IPv4 or IPv6 address or CIDR range
-- per line. Empty: any address may call with the app's token.
ALTER TABLE apps ADD COLUMN ip_allowlist TEXT NOT NULL DEFAULT '';
