package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.node.NodeException;
import dev.weft.node.Problems;
import dev.weft.registry.SettingsSchema;
import dev.weft.task.ErrorTypes;
import java.util.stream.Collectors;

/**
 * Shared checks of node settings, written once for both moments they run: at save time, when strings may still
 * hold {@code {{ }}} placeholders whose format cannot be known yet, and before a run, on rendered settings.
 */
final class Settings {

    /** The error type of settings that turn out wrong only once rendered (a URL built from upstream data). */
    static final String INVALID = ErrorTypes.SETTINGS;

    private Settings() {}

    /** True for a value that is absent: missing, or JSON null. */
    static boolean absent(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull();
    }

    /**
     * True when the value's format cannot be checked yet: a string with a placeholder, seen before rendering.
     * After rendering nothing is exempt, so text that merely contains "{{" is checked like any other.
     */
    static boolean deferred(JsonNode value, boolean unrendered) {
        return SettingsSchema.deferred(value, unrendered);
    }

    /** Checks that a required setting is present and is text. */
    static boolean requireText(JsonNode value, String path, Problems problems) {
        if (absent(value)) {
            problems.add(path, "is required");
            return false;
        }
        if (!value.isTextual()) {
            problems.add(path, "must be text (got " + describe(value) + ")");
            return false;
        }
        return true;
    }

    /** Checks an optional whole number of milliseconds between 1 and {@code max}. */
    static void checkMillis(JsonNode value, long max, String path, Problems problems, boolean unrendered) {
        if (absent(value) || deferred(value, unrendered)) return;
        if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > max) {
            problems.add(path, "must be a whole number of milliseconds from 1 to " + max + " (got " + value + ")");
        }
    }

    /** Throws the problems found in rendered settings as one non-retryable failure: another try renders the same. */
    static void throwIfAny(Problems problems) {
        if (problems.isEmpty()) return;
        throw new NodeException(INVALID, problems.list().stream()
                .map(p -> "settings." + p)
                .collect(Collectors.joining("; ")), false);
    }

    /** One problem of rendered settings as a non-retryable failure. */
    static NodeException invalid(String path, String message) {
        return new NodeException(INVALID, "settings." + path + ": " + message, false);
    }

    /** A short description of a JSON value's kind, for messages. */
    static String describe(JsonNode value) {
        return SettingsSchema.describe(value);
    }
}
