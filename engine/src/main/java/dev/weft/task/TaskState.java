package dev.weft.task;

/** A task's lifecycle; {@link #code()} is the integer {@code status} of the Scade-compatible API. */
public enum TaskState {
    QUEUED(1), RUNNING(2), COMPLETED(3), FAILED(4), CANCELLED(5);

    private final int code;

    TaskState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The lowercase word used in the API's {@code state} field and in the database. */
    public String word() {
        return name().toLowerCase();
    }

    public boolean finished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    public static TaskState ofWord(String word) {
        return valueOf(word.toUpperCase());
    }
}
