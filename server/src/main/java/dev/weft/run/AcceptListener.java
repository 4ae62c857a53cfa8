package dev.weft.run;

import dev.weft.store.TaskRecord;

/** Hears the tasks the {@link Intake} accepts (counts, the copies that polls are answered from, callbacks). */
public interface AcceptListener {

    AcceptListener NONE = (task, start, path) -> {};

    /** A new task was accepted and took {@code path}; called after its commit, before it is answered. */
    void accepted(TaskRecord task, TaskStart start, Started.Path path);
}
