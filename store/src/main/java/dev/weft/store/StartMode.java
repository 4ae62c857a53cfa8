package dev.weft.store;

import dev.weft.task.StepRecord;
import dev.weft.task.TaskOutcome;
import java.time.Instant;
import java.util.List;

/**
 * How a task accepted into the table starts: waiting in the queue, already claimed by this process (a worker here
 * runs it at once), or finished (it ran in memory before it was stored). A task that continues an earlier one
 * carries that task's finished steps ({@code done}), copied into it so they are not run again.
 */
public sealed interface StartMode permits StartMode.Queued, StartMode.Claimed, StartMode.Finished {

    /** A new task in the queue, with no steps done. */
    StartMode QUEUED = new Queued(List.of());
    /** A new task claimed by this process, with no steps done. */
    StartMode CLAIMED = new Claimed(List.of());

    /** Queued for any worker; {@code done} steps are kept and not run again. */
    record Queued(List<StepRecord> done) implements StartMode {
        public Queued {
            done = List.copyOf(done);
        }
    }

    /** Running under this process's lease from the start; {@code done} steps are kept and not run again. */
    record Claimed(List<StepRecord> done) implements StartMode {
        public Claimed {
            done = List.copyOf(done);
        }
    }

    /** Ran already, in memory: stored finished with its {@code steps} and {@code outcome}, never queued. */
    record Finished(List<StepRecord> steps, TaskOutcome outcome, Instant startedAt, Instant finishedAt)
            implements StartMode {}
}
