-- The queue's own indexes: the queued tasks and the running ones, each by id. The queue's queries (the claim, the
-- claim under a flow limit, the rescue of lost leases, the counts) read only these rows, however many finished tasks
-- the table holds. SQLite never used tasks_unfinished for them: it uses a partial index only when the query repeats
-- the index's condition, and "state = 'queued'" is not "state IN ('queued', 'running')", so each claim (once a second
-- and whenever a task ends with work waiting) and each rescue read the whole table on the writer's thread. The
-- queries name these indexes on SQLite (INDEXED BY, through the dialect); PostgreSQL's planner chooses them itself.
CREATE INDEX tasks_queued ON tasks (id, flow_id) WHERE state = 'queued';
CREATE INDEX tasks_running ON tasks (id, flow_id, lease_until) WHERE state = 'running';
