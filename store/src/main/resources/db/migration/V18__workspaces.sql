-- Issue 15 item 2: every object belongs to one workspace. Flows, tasks (copied from their flow so reads and lists
-- filter without a join), server keys, files and audit entries get a workspace column; existing rows go to the
-- default workspace 1. Versions, schedules, webhooks and forms follow their flow. A session remembers the workspace
-- its user is working in. Credentials, MCP servers and knowledge bases, whose names were unique across the server
-- and become unique per workspace, change in V18 of db/sqlite and db/postgresql (SQLite rebuilds those tables).

ALTER TABLE flows ADD COLUMN workspace_id BIGINT NOT NULL DEFAULT 1;
CREATE INDEX flows_workspace ON flows (workspace_id, id);
ALTER TABLE tasks ADD COLUMN workspace_id BIGINT NOT NULL DEFAULT 1;
CREATE INDEX tasks_workspace ON tasks (workspace_id, id);
ALTER TABLE server_keys ADD COLUMN workspace_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE files ADD COLUMN workspace_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN workspace_id BIGINT NOT NULL DEFAULT 1;
CREATE INDEX audit_log_workspace ON audit_log (workspace_id, at);
ALTER TABLE user_sessions ADD COLUMN workspace_id BIGINT NOT NULL DEFAULT 1;
