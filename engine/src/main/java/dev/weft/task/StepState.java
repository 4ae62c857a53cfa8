package dev.weft.task;

/**
 * How a finished step ended: it ran (on some port, maybe {@code error}), was skipped, or failed the task. A step is
 * recorded only once finished, so this is every state a stored step has; before that, the engine's planner follows
 * it as running or waiting for a retry ({@code engine.Step}).
 */
public enum StepState {
    DONE, SKIPPED, FAILED;

    public String word() {
        return name().toLowerCase();
    }

    public static StepState ofWord(String word) {
        return valueOf(word.toUpperCase());
    }
}
