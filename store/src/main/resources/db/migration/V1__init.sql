-- Weft's schema, shared by the embedded SQLite database and PostgreSQL.
-- ${id_pk} is the dialect's auto-increment primary key (ids are never reused); times are epoch milliseconds;
-- JSON documents are stored as text.

CREATE TABLE flows (
    id          ${id_pk},
    name        TEXT    NOT NULL,
    document    TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    deleted_at  BIGINT
);

CREATE TABLE flow_versions (
    flow_id     BIGINT  NOT NULL REFERENCES flows (id),
    version     INTEGER NOT NULL CHECK (version > 0),
    document    TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (flow_id, version)
);

CREATE TABLE server_keys (
    id           TEXT    PRIMARY KEY,
    name         TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT,
    expires_at   BIGINT,
    revoked_at   BIGINT,
    flow_ids     TEXT
);

CREATE TABLE tasks (
    id            ${id_pk},
    flow_id       BIGINT  NOT NULL,
    flow_version  INTEGER NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    start_node    TEXT    NOT NULL,
    end_node      TEXT    NOT NULL,
    result_node   TEXT    NOT NULL,
    node_settings TEXT,
    result        TEXT,
    error         TEXT,
    key_id        TEXT,
    lease_owner   TEXT,
    lease_until   BIGINT,
    claims        INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT  NOT NULL,
    started_at    BIGINT,
    finished_at   BIGINT,
    FOREIGN KEY (flow_id, flow_version) REFERENCES flow_versions (flow_id, version)
);

-- The queue's hot index covers only unfinished tasks.
CREATE INDEX tasks_unfinished ON tasks (state, id) WHERE state IN ('queued', 'running');
CREATE INDEX tasks_finished_at ON tasks (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX tasks_flow ON tasks (flow_id, id);

CREATE TABLE steps (
    task_id     BIGINT  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    node_id     TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('done', 'skipped', 'failed')),
    port        TEXT,
    inputs      TEXT,
    outputs     TEXT,
    error       TEXT,
    attempts    TEXT,
    started_at  BIGINT,
    finished_at BIGINT,
    PRIMARY KEY (task_id, node_id)
);
