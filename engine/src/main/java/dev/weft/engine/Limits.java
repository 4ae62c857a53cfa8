package dev.weft.engine;

/** Explicit size limits on the data that flows; a value over a limit fails its step with a clear error. */
public record Limits(int maxStepOutputBytes) {

    public static final int STEP_OUTPUT_DEFAULT = 8 * 1024 * 1024;
    public static final Limits DEFAULT = new Limits(STEP_OUTPUT_DEFAULT);
}
