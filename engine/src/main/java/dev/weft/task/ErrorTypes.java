package dev.weft.task;

import java.util.List;

/**
 * The error types the engine itself gives a failed step or task: the {@code type} of {@link TaskError}, a stable
 * wire value that clients read in {@code error.type} and in each attempt's error (docs/api.md, "Step error types").
 * A node's own types are constants on the node ({@code CodeNode.ERROR}, {@code HttpNode.STATUS}, ...), listed in
 * docs/nodes.md; the common ones below are shared by nodes too ({@link #SETTINGS}, {@link #TIMEOUT},
 * {@link #UNAVAILABLE}).
 */
public final class ErrorTypes {

    /** A step's settings, once rendered, are wrong (not retried). */
    public static final String SETTINGS = "settings";
    /** A step gave no answer within its {@code timeout_ms}. */
    public static final String TIMEOUT = "timeout";
    /** What the step needs is not there in this process: the node pool shut down, no task store, no worker. */
    public static final String UNAVAILABLE = "unavailable";
    /** A step's output is over the task's output limit. */
    public static final String OUTPUT_TOO_LARGE = "output_too_large";
    /** A node failed with an exception that carries no type of its own. */
    public static final String NODE_ERROR = "node_error";
    /** The thread running the step was interrupted. */
    public static final String INTERRUPTED = "interrupted";
    /** The step's result could not be recorded. */
    public static final String STORAGE = "storage";
    /** A claimed task cannot run: its flow version is gone or no longer valid. */
    public static final String INVALID_TASK = "invalid_task";
    /** The task was cancelled. */
    public static final String CANCELLED = "cancelled";

    /** Every type above. */
    public static final List<String> ALL = List.of(SETTINGS, TIMEOUT, UNAVAILABLE, OUTPUT_TOO_LARGE, NODE_ERROR,
            INTERRUPTED, STORAGE, INVALID_TASK, CANCELLED);

    private ErrorTypes() {}
}
