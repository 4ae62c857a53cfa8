-- MCP servers that Weft's mcp and agent nodes call (issue 11). `transport` is 'http' (Streamable HTTP at `url`) or
-- 'stdio' (a process started from `command` and `args`, a JSON array, only when the command is on the admin's
-- allow-list). `headers`: a JSON object of HTTP header name -> stored credential name (the credentials table holds
-- the secret; no secret is ever stored here). `version` grows with each change, so that every process drops a
-- session opened on an older configuration.

CREATE TABLE mcp_servers (
    id         ${id_pk},
    name       TEXT    NOT NULL UNIQUE,
    transport  TEXT    NOT NULL CHECK (transport IN ('http', 'stdio')),
    url        TEXT,
    headers    TEXT    NOT NULL,
    command    TEXT,
    args       TEXT    NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL,
    CHECK ((transport = 'http' AND url IS NOT NULL) OR (transport = 'stdio' AND command IS NOT NULL))
);
