-- Issue 15 item 2 (PostgreSQL): credentials, MCP servers and knowledge bases belong to a workspace; their names are
-- unique per workspace. Existing rows go to the default workspace 1.

ALTER TABLE credentials ADD COLUMN workspace_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE credentials DROP CONSTRAINT credentials_pkey;
ALTER TABLE credentials ADD PRIMARY KEY (workspace_id, name);

ALTER TABLE mcp_servers ADD COLUMN workspace_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE mcp_servers DROP CONSTRAINT mcp_servers_name_key;
CREATE UNIQUE INDEX mcp_servers_workspace_name ON mcp_servers (workspace_id, name);

ALTER TABLE knowledge_bases ADD COLUMN workspace_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE knowledge_bases DROP CONSTRAINT knowledge_bases_name_key;
CREATE UNIQUE INDEX knowledge_bases_workspace_name ON knowledge_bases (workspace_id, name);
