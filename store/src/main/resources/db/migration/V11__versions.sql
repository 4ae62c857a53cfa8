-- Issue 14, versions and credentials. `published_by`: who published a version ('admin session' from the UI,
-- 'admin token' from a script, 'admin token (CLI)' from `weft flows publish`); null for versions published before.
-- A credential's `type` says how its secret is sent: 'api_key' and 'bearer' hold one token (every credential
-- stored before types existed is an 'api_key', the way nodes used it), 'basic' holds `user:password`, 'headers'
-- holds `Name: value` lines. `rotated_at`: when the secret was last replaced (null: never).
ALTER TABLE flow_versions ADD COLUMN published_by TEXT;
ALTER TABLE credentials ADD COLUMN type TEXT NOT NULL DEFAULT 'api_key'
    CHECK (type IN ('api_key', 'bearer', 'basic', 'headers'));
ALTER TABLE credentials ADD COLUMN rotated_at BIGINT;
