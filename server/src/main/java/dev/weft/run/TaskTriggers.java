package dev.weft.run;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Says what started a task, on the task's JSON: {@code trigger: {kind, id}} for a task a trigger started (a hosted
 * form, a webhook, a schedule); nothing for one started by an execute.
 */
@FunctionalInterface
public interface TaskTriggers {

    TaskTriggers NONE = (json, taskId) -> {};

    /** Adds {@code trigger} to {@code json} when something other than an execute started task {@code taskId}. */
    void mark(ObjectNode json, long taskId);
}
