-- The run API beyond Scade: idempotency keys, completion callbacks with every delivery attempt, and this Weft's
-- own settings (the callback signing secret). Rows that belong to a task go when retention deletes the task.

-- A key is claimed before its task is inserted, in the same transaction: a concurrent request with the same key
-- (another process) waits on the primary key and then finds the first one's task.
CREATE TABLE idempotency_keys (
    scope        TEXT    NOT NULL,
    idem_key     TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    task_id      BIGINT  REFERENCES tasks (id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
CREATE INDEX idempotency_keys_task ON idempotency_keys (task_id);

-- One callback per task: 'waiting' until the task finishes, 'pending' while deliveries are due (next_at),
-- then 'delivered' or 'failed' (retries ran out).
CREATE TABLE callbacks (
    id          ${id_pk},
    task_id     BIGINT  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    url         TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('waiting', 'pending', 'delivered', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     BIGINT,
    created_at  BIGINT  NOT NULL,
    due_since   BIGINT,
    finished_at BIGINT
);
CREATE UNIQUE INDEX callbacks_task ON callbacks (task_id);
CREATE INDEX callbacks_waiting ON callbacks (id) WHERE state = 'waiting';
CREATE INDEX callbacks_due ON callbacks (next_at) WHERE state = 'pending';

CREATE TABLE callback_attempts (
    callback_id BIGINT  NOT NULL REFERENCES callbacks (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    started_at  BIGINT  NOT NULL,
    duration_ms BIGINT  NOT NULL,
    status_code INTEGER,
    error       TEXT,
    PRIMARY KEY (callback_id, number)
);

CREATE TABLE server_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
