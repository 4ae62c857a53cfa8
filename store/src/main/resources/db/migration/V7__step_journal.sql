-- Durable agent runs and conversation memory (issue 11).

-- What a step recorded while it ran (dev.weft.node.Journal): an agent's finished model calls and tool calls, so that
-- a step cut short by a crash, a lost lease or a retry resumes where it stood. Written only under the task's lease;
-- kept after the step finishes (the agent's trace) and deleted with the task. `seq` orders a step's entries (the
-- step's count of entries when it recorded this one).
CREATE TABLE step_journal (
    task_id     BIGINT  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    node_id     TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    key         TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    recorded_at BIGINT  NOT NULL,
    PRIMARY KEY (task_id, node_id, key)
);

-- An agent's conversation memory: the messages of a session, per flow (one flow's sessions are not another's), kept
-- across tasks and capped by the agent (oldest dropped first). `task_id`/`node_id` name the step that added a
-- message (no foreign key: retention deletes tasks, a session outlives them); a step's rows are replaced, never
-- added twice. `seq` orders a session's messages; `tokens` is an estimate for the cap.
CREATE TABLE conversation_messages (
    seq         ${id_pk},
    flow_id     BIGINT  NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
    session_id  TEXT    NOT NULL,
    task_id     BIGINT  NOT NULL,
    node_id     TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    tokens      INTEGER NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE INDEX conversation_messages_session ON conversation_messages (flow_id, session_id, seq);
CREATE INDEX conversation_messages_step ON conversation_messages (task_id, node_id);
