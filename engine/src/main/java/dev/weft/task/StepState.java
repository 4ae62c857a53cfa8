package dev.weft.task;

/** How a step ended: it ran (on some port, maybe {@code error}), was skipped, or failed the task. */
public enum StepState {
    DONE, SKIPPED, FAILED;

    public String word() {
        return name().toLowerCase();
    }

    public static StepState ofWord(String word) {
        return valueOf(word.toUpperCase());
    }
}
