-- Issue 15 item 2 (SQLite): credentials, MCP servers and knowledge bases belong to a workspace; their names are
-- unique per workspace. SQLite cannot drop a UNIQUE or PRIMARY KEY constraint, so each table is rebuilt the way
-- SQLite's manual says (https://www.sqlite.org/lang_altertable.html#otheralter): foreign keys off (only possible
-- outside a transaction, hence the .conf beside this file), one explicit transaction (a savepoint) that renames the old table
-- aside (legacy_alter_table keeps kb_documents' and kb_changes' foreign keys naming knowledge_bases), makes and
-- fills the new one and drops the old, a foreign key check, foreign keys on again. Existing rows go to the default
-- workspace 1.

PRAGMA foreign_keys = OFF;
PRAGMA legacy_alter_table = ON;
SAVEPOINT v18_workspace_names;

ALTER TABLE credentials RENAME TO credentials_v17;
CREATE TABLE credentials (
    workspace_id BIGINT NOT NULL DEFAULT 1,
    name         TEXT   NOT NULL,
    description  TEXT,
    secret       TEXT   NOT NULL,
    hosts        TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    type         TEXT   NOT NULL DEFAULT 'api_key' CHECK (type IN ('api_key', 'bearer', 'basic', 'headers')),
    rotated_at   BIGINT,
    PRIMARY KEY (workspace_id, name)
);
INSERT INTO credentials (workspace_id, name, description, secret, hosts, created_at, updated_at, type, rotated_at)
SELECT 1, name, description, secret, hosts, created_at, updated_at, type, rotated_at FROM credentials_v17;
DROP TABLE credentials_v17;

ALTER TABLE mcp_servers RENAME TO mcp_servers_v17;
CREATE TABLE mcp_servers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT  NOT NULL DEFAULT 1,
    name         TEXT    NOT NULL,
    transport    TEXT    NOT NULL CHECK (transport IN ('http', 'stdio')),
    url          TEXT,
    headers      TEXT    NOT NULL,
    command      TEXT,
    args         TEXT    NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    CHECK ((transport = 'http' AND url IS NOT NULL) OR (transport = 'stdio' AND command IS NOT NULL))
);
INSERT INTO mcp_servers (id, workspace_id, name, transport, url, headers, command, args, version, created_at, updated_at)
SELECT id, 1, name, transport, url, headers, command, args, version, created_at, updated_at FROM mcp_servers_v17;
DROP TABLE mcp_servers_v17;
CREATE UNIQUE INDEX mcp_servers_workspace_name ON mcp_servers (workspace_id, name);

ALTER TABLE knowledge_bases RENAME TO knowledge_bases_v17;
CREATE TABLE knowledge_bases (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id       BIGINT  NOT NULL DEFAULT 1,
    name               TEXT    NOT NULL,
    description        TEXT,
    embedding_provider TEXT    NOT NULL CHECK (embedding_provider IN ('local', 'openai')),
    embedding_model    TEXT    NOT NULL,
    dimension          INTEGER NOT NULL CHECK (dimension > 0),
    embedding_url      TEXT,
    credential         TEXT,
    chunk_tokens       INTEGER NOT NULL CHECK (chunk_tokens > 0),
    chunk_overlap      INTEGER NOT NULL CHECK (chunk_overlap >= 0),
    version            BIGINT  NOT NULL DEFAULT 0,
    created_at         BIGINT  NOT NULL
);
INSERT INTO knowledge_bases (id, workspace_id, name, description, embedding_provider, embedding_model, dimension,
    embedding_url, credential, chunk_tokens, chunk_overlap, version, created_at)
SELECT id, 1, name, description, embedding_provider, embedding_model, dimension, embedding_url, credential,
    chunk_tokens, chunk_overlap, version, created_at FROM knowledge_bases_v17;
DROP TABLE knowledge_bases_v17;
CREATE UNIQUE INDEX knowledge_bases_workspace_name ON knowledge_bases (workspace_id, name);

RELEASE v18_workspace_names;
PRAGMA legacy_alter_table = OFF;
PRAGMA foreign_keys = ON;
PRAGMA foreign_key_check;
