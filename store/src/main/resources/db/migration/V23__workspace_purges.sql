-- A deleted workspace's task history goes at once, not after the retention age: deleting the workspace records it
-- here in the same transaction, and each round of the retention loop (store/Retention) deletes that workspace's
-- finished tasks in small batches (their steps, journal entries and the rest by cascade, as for old tasks), then this
-- row once none is left.
CREATE TABLE workspace_purges (
    workspace_id BIGINT PRIMARY KEY,
    deleted_at   BIGINT NOT NULL
);
