package dev.weft.http;

import java.time.Duration;

/**
 * A request the API refuses, of one of a small set of kinds; the {@link ProblemMapper} turns it into
 * {@code application/problem+json}. Handlers throw it and never build error bodies themselves.
 */
public class ApiException extends RuntimeException {

    /** The kinds of refusal, each with its HTTP status and stable problem type. */
    public enum Kind {
        INVALID_INPUT(400, "invalid-input", "Invalid input"),
        MALFORMED_JSON(400, "malformed-json", "Malformed JSON"),
        UNAUTHORIZED(401, "unauthorized", "Missing or invalid credentials"),
        FORBIDDEN(403, "forbidden", "Not allowed"),
        NOT_FOUND(404, "not-found", "Not found"),
        CONFLICT(409, "conflict", "Conflict"),
        NOT_PUBLISHED(409, "flow-not-published", "Flow not published"),
        TASK_FINISHED(409, "task-finished", "Task already finished"),
        TASK_NOT_RETRYABLE(409, "task-not-retryable", "Task cannot be retried"),
        IDEMPOTENCY_KEY_REUSED(409, "idempotency-key-reused", "Idempotency key reused"),
        REQUEST_TIMEOUT(408, "request-timeout", "Request timeout"),
        TOO_LARGE(413, "payload-too-large", "Payload too large"),
        UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
        RATE_LIMITED(429, "rate-limited", "Too many requests"),
        FLOW_BUSY(429, "flow-concurrency-limit", "Flow at its concurrency limit"),
        UNAVAILABLE(503, "unavailable", "Service unavailable"),
        BAD_GATEWAY(502, "bad-gateway", "A service Weft called failed");

        final int status;
        final String type;
        final String title;

        Kind(int status, String type, String title) {
            this.status = status;
            this.type = type;
            this.title = title;
        }
    }

    private final Kind kind;
    private final String field;
    private Duration retryAfter;

    public ApiException(Kind kind, String detail) {
        this(kind, null, detail);
    }

    /** A refusal about one field of the request ({@code flow_id}, {@code node_settings.start.data.name}). */
    public ApiException(Kind kind, String field, String detail) {
        super(detail);
        this.kind = kind;
        this.field = field;
    }

    /** Tells the client when to try again ({@code Retry-After}, whole seconds rounded up). */
    public ApiException retryAfter(Duration wait) {
        this.retryAfter = wait;
        return this;
    }

    /** When the client may try again, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }
}
