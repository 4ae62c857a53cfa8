package dev.weft.event;

import dev.weft.engine.TaskListener;
import dev.weft.store.TaskRecord;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Logs how tasks end, with {@code task_id} and {@code flow_id} in the log's context (fields of the JSON log): a
 * failed task at INFO with the node and error, a completed or cancelled one at DEBUG.
 */
public final class TaskLog implements TaskListener {

    private static final Logger log = LoggerFactory.getLogger(TaskLog.class);

    private final LongFunction<Optional<TaskRecord>> inMemory;

    /** {@code inMemory} finds a task without a database read (its flow id), or nothing. */
    public TaskLog(LongFunction<Optional<TaskRecord>> inMemory) {
        this.inMemory = inMemory;
    }

    @Override
    public void taskFinished(long taskId, TaskOutcome outcome, Instant at) {
        boolean failed = outcome.state() == TaskState.FAILED;
        if (!failed && !log.isDebugEnabled()) return;
        MDC.put("task_id", String.valueOf(taskId));
        inMemory.apply(taskId).ifPresent(t -> MDC.put("flow_id", String.valueOf(t.flowId())));
        try {
            if (failed && outcome.error() != null) {
                log.info("task {} failed at node {}: {}: {}", taskId, outcome.error().nodeId(), outcome.error().type(),
                        outcome.error().message());
            } else {
                log.debug("task {} {}", taskId, outcome.state().word());
            }
        } finally {
            MDC.remove("task_id");
            MDC.remove("flow_id");
        }
    }
}
