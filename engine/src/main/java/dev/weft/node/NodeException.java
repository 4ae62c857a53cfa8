package dev.weft.node;

/**
 * A node's failure with a stable, machine-readable type ({@code http_status}, {@code timeout},
 * {@code transform_error}) that ends up in the step's error history and the task's {@code error.type}.
 */
public class NodeException extends RuntimeException {

    private final String type;
    private final boolean retryable;

    public NodeException(String type, String message) {
        this(type, message, true);
    }

    public NodeException(String type, String message, boolean retryable) {
        super(message);
        this.type = type;
        this.retryable = retryable;
    }

    public String type() {
        return type;
    }

    /** False when another attempt cannot succeed (bad settings, a 4xx answer): retries are skipped. */
    public boolean retryable() {
        return retryable;
    }
}
