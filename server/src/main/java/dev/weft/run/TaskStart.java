package dev.weft.run;

import dev.weft.store.AcceptHook;
import dev.weft.store.NewTask;
import dev.weft.task.StepRecord;
import java.util.List;

/**
 * A task to accept and start, as every caller of the {@link Intake} hands it over: the task, the steps it has done
 * already (a retry's, copied from the earlier task), what else commits with it ({@code hook}: an idempotency key,
 * a callback) and which paths it may take.
 */
public record TaskStart(NewTask task, List<StepRecord> done, AcceptHook hook, Paths paths) {

    /** Which ways a task may start. */
    public enum Paths {
        /**
         * An execute: inline when every node is pure (run on the caller's thread, stored finished), else here when
         * this process's worker has a free slot, else queued.
         */
        ANY,
        /**
         * A retry: here when a slot is free, else queued; never inline, since an inline run starts from scratch
         * and would not reuse the steps done already.
         */
        HERE_OR_QUEUED,
        /**
         * A sub-flow's or map's child task: here at once, on its parent's slot (the parent waits for it and holds
         * no slot of its own, so nested flows cannot use up every slot and wait on each other).
         */
        PARENT_SLOT
    }

    public TaskStart {
        done = List.copyOf(done);
    }

    /** An execute with nothing done yet. */
    public static TaskStart execute(NewTask task, AcceptHook hook) {
        return new TaskStart(task, List.of(), hook, Paths.ANY);
    }

    /** A retry continuing from {@code done}. */
    public static TaskStart retry(NewTask task, List<StepRecord> done) {
        return new TaskStart(task, done, AcceptHook.NONE, Paths.HERE_OR_QUEUED);
    }

    /** A child task of a sub-flow or map step. */
    public static TaskStart child(NewTask task) {
        return child(task, AcceptHook.NONE);
    }

    /** A child task whose {@code hook} may name the child to answer instead (see {@code ChildKey}). */
    public static TaskStart child(NewTask task, AcceptHook hook) {
        return new TaskStart(task, List.of(), hook, Paths.PARENT_SLOT);
    }
}
