-- Files that Weft serves at a stable URL: uploaded with a server key (POST /api/v1/files) or fetched by a `files`
-- node. The bytes live on disk under the data folder (files/<2 chars>/<id>); this table holds what is known about
-- them. `id` is random (128 bits), so the URL that names it is unguessable. `key_id`: the server key that uploaded
-- it (null: the admin or a node); `flow_id`, `task_id`, `node_id`: the step that fetched it. No foreign keys: a file
-- outlives the task that made it (retention of tasks does not delete files).

CREATE TABLE files (
    id           TEXT    PRIMARY KEY,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    sha256       TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    key_id       TEXT,
    flow_id      BIGINT,
    task_id      BIGINT,
    node_id      TEXT
);
CREATE INDEX files_task ON files (task_id);
