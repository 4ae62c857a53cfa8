-- Child tasks: a subflow step runs another flow as a task of its own, linked to the task whose step started it.
-- depth counts the links up to a task started through the API (0), so that a flow calling itself stops at a limit.
-- No foreign key: retention may delete a parent before its child, and the link is then only history.
ALTER TABLE tasks ADD COLUMN parent_task_id BIGINT;
ALTER TABLE tasks ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tasks_parent ON tasks (parent_task_id) WHERE parent_task_id IS NOT NULL;
