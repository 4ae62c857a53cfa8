-- A child task started for a step's once-only call (an agent's flow tool) names the call: a parent resumed after a
-- crash that asks again for the same call gets the child that call made, never a second one.
ALTER TABLE tasks ADD COLUMN parent_key TEXT;
CREATE UNIQUE INDEX tasks_parent_key ON tasks (parent_task_id, parent_key) WHERE parent_key IS NOT NULL;
