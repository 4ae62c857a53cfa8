-- Schedules (issue 16): a flow's cron schedules, and the ticks claimed from them.
-- `cron` is 5 fields (minute first) or 6 (second first); `zone` an IANA time zone; `inputs` a JSON object of the
-- start node's inputs; `catch_up` what happens to ticks missed while every process was down ('skip', 'once', or
-- 'all' up to `catch_up_limit`). `next_due` (epoch millis, null while disabled) is the cursor: the earliest fire
-- time not yet handled; it only moves forward.
CREATE TABLE schedules (
    id             ${id_pk},
    flow_id        BIGINT  NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
    cron           TEXT    NOT NULL,
    zone           TEXT    NOT NULL,
    inputs         TEXT    NOT NULL,
    enabled        INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    catch_up       TEXT    NOT NULL CHECK (catch_up IN ('skip', 'once', 'all')),
    catch_up_limit INTEGER NOT NULL,
    next_due       BIGINT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX schedules_flow ON schedules (flow_id);
CREATE INDEX schedules_due ON schedules (next_due);

-- One row per tick that ran: its key (schedule_id, due_at) is the claim, inserted in the same transaction as the
-- tick's task, so a tick has exactly one task whichever process and however many processes try it. `task_id` has
-- no foreign key: retention deletes old tasks, the claim stays until its own pruning.
CREATE TABLE schedule_ticks (
    schedule_id BIGINT NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    due_at      BIGINT NOT NULL,
    task_id     BIGINT,
    claimed_at  BIGINT NOT NULL,
    PRIMARY KEY (schedule_id, due_at)
);
CREATE INDEX schedule_ticks_task ON schedule_ticks (task_id);
