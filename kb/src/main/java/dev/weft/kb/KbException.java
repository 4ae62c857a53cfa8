package dev.weft.kb;

/**
 * A knowledge-base request refused: what is missing, what conflicts or which field is wrong. The API turns it into a
 * problem document naming {@code field}; a node into a failed step.
 */
public final class KbException extends RuntimeException {

    /** Why a request was refused. */
    public enum Kind { NOT_FOUND, CONFLICT, INVALID }

    private final Kind kind;
    private final String field;

    public KbException(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }
}
