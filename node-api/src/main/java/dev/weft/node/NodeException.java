package dev.weft.node;

/**
 * A node's failure with a stable, machine-readable type ({@code http_status}, {@code timeout},
 * {@code transform_error}) that ends up in the step's error history and the task's {@code error.type}.
 */
public class NodeException extends RuntimeException {

    /** The stable error type. */
    private final String type;
    /** Whether another attempt may succeed. */
    private final boolean retryable;

    /**
     * A retryable failure of this type.
     *
     * @param type    the stable error type
     * @param message what went wrong, without secrets
     */
    public NodeException(String type, String message) {
        this(type, message, true);
    }

    /**
     * A failure of this type.
     *
     * @param type      the stable error type
     * @param message   what went wrong, without secrets
     * @param retryable false skips the step's remaining retries
     */
    public NodeException(String type, String message, boolean retryable) {
        super(message);
        this.type = type;
        this.retryable = retryable;
    }

    /**
     * The stable error type, a short snake_case word.
     *
     * @return the type
     */
    public String type() {
        return type;
    }

    /**
     * False when another attempt cannot succeed (bad settings, a 4xx answer): retries are skipped.
     *
     * @return whether a retry may help
     */
    public boolean retryable() {
        return retryable;
    }
}
